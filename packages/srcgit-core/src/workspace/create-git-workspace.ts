/**
 * @module
 * `createGitWorkspace`: the git workspace port on the git CLI (the converter's `createGitRunner`).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRunner, isConverterError } from '@srcgit/dist-git-converter';
import type { GitRunner } from '@srcgit/dist-git-converter';
import { CoreError } from '../core-error';
import { remoteAccess } from './git-credentials';
import type {
  Checkout,
  CheckoutDistGitInput,
  CheckoutSourceGitInput,
  GitRemote,
  GitWorkspace,
  PushBranchInput,
  PushBranchResult,
  WorkspaceJob,
} from './git-workspace';
import { acquireFileLock } from './file-lock';
import { KeyedMutex } from './keyed-mutex';

/** Options of {@link createGitWorkspace}. */
export interface CreateGitWorkspaceOptions {
  /** Per-job directories are created under it. */
  readonly workDir: string;
  /** The per-project bare repository caches live under it (default `<workDir>/cache`). */
  readonly cacheDir?: string;
  /** The git CLI (default `createGitRunner()`). */
  readonly git?: GitRunner;
  /** Clock, to recognise lock files left by a killed git process (default `Date.now`). */
  readonly now?: () => number;
  /** A git lock file older than this is left over from a killed process (default 10 minutes). */
  readonly staleLockMs?: number;
  /**
   * How often a process holding a cache's lock refreshes it (default 5 s). Processes sharing
   * `cacheDir` (worker replicas on one volume) wait for each other through that lock.
   */
  readonly lockHeartbeatMs?: number;
  /**
   * A cache lock whose heartbeat stopped this long ago is left over from a dead process and may be
   * taken over (default 60 s); on the same host it is as soon as the holder's pid is gone.
   */
  readonly lockStaleMs?: number;
}

const CACHE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Creates the git-CLI workspace. Each job gets its own directory under `workDir`; fetched objects
 * are kept in one bare repository per project under `cacheDir`, so a big repository is downloaded
 * once and later jobs fetch only new commits (docs/architecture.md decision 7). Source-git checkouts
 * are `git worktree`s of the cache (no copy of the history); dist-git checkouts are local clones
 * of the cache (hard links). Every use of a cache is serialised within this process and, across
 * processes and hosts sharing `cacheDir`, by a lock file next to the cache
 * (`<cacheKey>.git.srcgit-lock`, see {@link acquireFileLock}): it names its holder, is refreshed
 * while held and is taken over only from a dead holder, so worker replicas may share one volume.
 * Git's own `*.lock` files in a cache are cleared (when older than `staleLockMs`) only while
 * holding that lock, so a replica never removes one of another replica's running fetch.
 *
 * Credentials in remote URLs are passed to git as a one-process `http.extraHeader`, only to the
 * commands that talk to the remote (fetch, ls-remote, push), never on the command line, in a
 * configuration file, or to any other git process. The default git runner is the converter's
 * hardened one (no hooks, no fsmonitor, no credential helpers, an allow-listed environment) and
 * does not take identity from `GIT_AUTHOR_*`/`GIT_COMMITTER_*`: a dist-git clone's commits are
 * made by the identity configured in it, whatever the worker's environment holds.
 *
 * @example
 * ```ts
 * const workspace = createGitWorkspace({ workDir: config.workDir });
 * const job = await workspace.openJob('sg-3001-5');
 * try {
 *   const sg = await job.checkoutSourceGit({ cacheKey: 'sg-3001', remote, ref: 'refs/merge-requests/5/head', tags: true });
 * } finally {
 *   await job.dispose();
 * }
 * ```
 */
export function createGitWorkspace(options: CreateGitWorkspaceOptions): GitWorkspace {
  const git = options.git ?? createGitRunner();
  const cacheDir = options.cacheDir ?? join(options.workDir, 'cache');
  const jobsDir = join(options.workDir, 'jobs');
  const now = options.now ?? Date.now;
  const staleLockMs = options.staleLockMs ?? 10 * 60_000;
  const mutex = new KeyedMutex();
  const lockOptions = {
    ...(options.lockHeartbeatMs === undefined ? {} : { heartbeatMs: options.lockHeartbeatMs }),
    staleMs: options.lockStaleMs ?? 60_000,
  };

  /**
   * Runs `task` holding the cache's in-process mutex and its cross-process lock; `task` gets a
   * signal that fires if the lock is lost (or `signal` fires).
   */
  function withCache<T>(
    cache: string,
    signal: AbortSignal | undefined,
    task: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return mutex.run(cache, async () => {
      const lock = await acquireFileLock(`${cache}.srcgit-lock`, {
        ...lockOptions,
        ...(signal === undefined ? {} : { signal }),
      }).catch((error: unknown) => {
        if (signal?.aborted !== true) throw error;
        // Cancelled like a transport command: the job's signal fired while it waited.
        throw new CoreError(
          'GIT_TRANSPORT_FAILED',
          `aborted while waiting for the repository cache ${cache}`,
          {
            cause: error,
            data: { cache },
          },
        );
      });
      try {
        return await task(signal === undefined ? lock.signal : AbortSignal.any([signal, lock.signal]));
      } finally {
        await lock.release();
      }
    });
  }

  /** Creates (once) and returns the bare cache repository of `cacheKey`. */
  async function cacheRepository(cacheKey: string): Promise<string> {
    if (!CACHE_KEY.test(cacheKey)) {
      throw new CoreError('GIT_TRANSPORT_FAILED', `invalid repository cache key "${cacheKey}"`, {
        data: { cacheKey },
      });
    }
    const path = join(cacheDir, `${cacheKey}.git`);
    // Under the repository's mutex: two jobs starting at once for one project must not both run
    // `git init` on it (git fails with "could not lock config file").
    await mkdir(cacheDir, { recursive: true });
    await withCache(path, undefined, async () => {
      if (!(await exists(join(path, 'HEAD')))) {
        await git.run(['init', '--bare', '--quiet', path], { cwd: cacheDir });
      }
      await removeStaleLocks(path, now(), staleLockMs);
    });
    return path;
  }

  /** Runs a git command that talks to `remote`, classifying failures as transport failures. */
  async function transport(
    args: readonly string[],
    cwd: string,
    remote: GitRemote,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const access = remoteAccess(remote.url);
    try {
      return await git.text(
        args.map((arg) => (arg === REMOTE ? access.url : arg)),
        { cwd, env: access.env, ...(signal === undefined ? {} : { signal }) },
      );
    } catch (error) {
      const raw = isConverterError(error) ? error.data['stderr'] : undefined;
      const stderr = typeof raw === 'string' ? raw : '';
      throw new CoreError(
        'GIT_TRANSPORT_FAILED',
        `git could not ${what} ${access.url}: ${stderr.trim() || (error instanceof Error ? error.message : String(error))}`,
        { cause: error, data: { remote: access.url, stderr } },
      );
    }
  }

  return {
    async openJob(label, jobOptions = {}) {
      const { signal } = jobOptions;
      const safe = label.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60);
      const dir = join(jobsDir, `${safe}-${randomUUID().slice(0, 8)}`);
      await mkdir(dir, { recursive: true });
      const worktrees: { cache: string; path: string }[] = [];
      let disposed = false;

      const job: WorkspaceJob = {
        dir,
        git,

        async checkoutSourceGit(input: CheckoutSourceGitInput): Promise<Checkout> {
          const path = join(dir, 'source-git');
          const cache = await cacheRepository(input.cacheKey);
          return withCache(cache, signal, async (held) => {
            await transport(
              [
                'fetch',
                '--quiet',
                '--force',
                '--no-write-fetch-head',
                ...(input.tags ? ['--tags'] : ['--no-tags']),
                REMOTE,
                `+${input.ref}:${input.ref}`,
              ],
              cache,
              input.remote,
              `fetch ${input.ref}${input.tags ? ' and the tags' : ''} from`,
              held,
            );
            const headSha = (
              await git.text(['rev-parse', '--verify', `${input.ref}^{commit}`], { cwd: cache })
            ).trim();
            await git.run(['worktree', 'prune'], { cwd: cache });
            const patterns =
              input.sparseFor === undefined || input.sparseFor === headSha
                ? sparsePatterns(input.sparsePaths)
                : null;
            if (patterns === null) {
              await git.run(['worktree', 'add', '--quiet', '--detach', path, headSha], {
                cwd: cache,
                signal: held,
              });
              worktrees.push({ cache, path });
              return { dir: path, headSha, sparse: false };
            }
            await git.run(['worktree', 'add', '--quiet', '--no-checkout', '--detach', path, headSha], {
              cwd: cache,
            });
            worktrees.push({ cache, path });
            // Per-worktree configuration (git moves the cache's core.bare into its own
            // config.worktree), so other jobs' worktrees stay complete.
            await git.run(['sparse-checkout', 'set', '--no-cone', ...patterns], { cwd: path });
            await git.run(['checkout', '--quiet', '--detach', headSha], { cwd: path, signal: held });
            return { dir: path, headSha, sparse: true };
          });
        },

        async checkoutDistGit(input: CheckoutDistGitInput): Promise<Checkout> {
          const path = join(dir, 'dist-git');
          const cache = await cacheRepository(input.cacheKey);
          const ref = `refs/heads/${input.branch}`;
          await withCache(cache, signal, async (held) => {
            await transport(
              ['fetch', '--quiet', '--force', '--no-tags', '--no-write-fetch-head', REMOTE, `+${ref}:${ref}`],
              cache,
              input.remote,
              `fetch ${ref} from`,
              held,
            );
            await git.run(
              [
                'clone',
                '--quiet',
                '--local',
                '--single-branch',
                '--no-tags',
                '--branch',
                input.branch,
                cache,
                path,
              ],
              // The one command that reads a repository by its local path: the job's own cache.
              { cwd: dir, localTransport: true, signal: held },
            );
          });
          await git.run(['config', 'user.name', input.identity.name], { cwd: path });
          await git.run(['config', 'user.email', input.identity.email], { cwd: path });
          const headSha = (await git.text(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: path })).trim();
          return { dir: path, headSha, sparse: false };
        },

        async pushBranch(input: PushBranchInput): Promise<PushBranchResult> {
          const ref = `refs/heads/${input.branch}`;
          const head = (
            await git.text(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: input.dir })
          ).trim();
          const listed = await transport(['ls-remote', REMOTE, ref], input.dir, input.remote, 'list', signal);
          const tip = listed
            .split('\n')
            .map((line) => line.split('\t'))
            .find(([, name]) => name === ref)?.[0];
          if (tip !== undefined) {
            if (tip === head) return { outcome: 'unchanged', sha: tip };
            const seen = 'refs/srcgit/remote-tip';
            await transport(
              [
                'fetch',
                '--quiet',
                '--force',
                '--no-tags',
                '--no-write-fetch-head',
                REMOTE,
                `+${ref}:${seen}`,
              ],
              input.dir,
              input.remote,
              `fetch ${ref} from`,
              signal,
            );
            const describe = (rev: string) =>
              git.text(['show', '-s', '--format=%T%n%P%n%B', rev], { cwd: input.dir });
            if ((await describe(head)) === (await describe(seen))) return { outcome: 'unchanged', sha: tip };
          }
          await transport(
            ['push', '--quiet', `--force-with-lease=${ref}:${tip ?? ''}`, REMOTE, `${head}:${ref}`],
            input.dir,
            input.remote,
            `push ${ref} to`,
            signal,
          );
          return { outcome: 'pushed', sha: head };
        },

        async dispose() {
          if (disposed) return;
          disposed = true;
          for (const { cache, path } of worktrees) {
            await withCache(cache, undefined, async () => {
              await git.run(['worktree', 'remove', '--force', path], { cwd: cache, okExitCodes: [0, 128] });
            });
          }
          await rm(dir, { recursive: true, force: true });
          for (const { cache } of worktrees) {
            await withCache(cache, undefined, () => git.run(['worktree', 'prune'], { cwd: cache }));
          }
        },
      };
      return job;
    },
  };
}

/**
 * Non-cone sparse-checkout patterns (gitignore syntax, anchored) for `paths`, or `null` for a
 * full checkout: no paths given, or one of them is the repository root.
 */
function sparsePatterns(paths: readonly string[] | undefined): string[] | null {
  if (paths === undefined || paths.length === 0) return null;
  const patterns: string[] = [];
  for (const path of paths) {
    const clean = path.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
    if (clean === '' || clean === '.' || clean === './' || clean.split('/').includes('..')) return null;
    patterns.push(`/${clean}`);
  }
  return [...new Set(patterns)];
}

/** Stands for the remote URL in argument lists; replaced by the credential-free URL. */
const REMOTE = '\u0000remote';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes `*.lock` files older than `staleMs` in a bare repository's refs and top level: a git
 * process killed mid-fetch leaves them, and they would fail every later fetch.
 */
async function removeStaleLocks(repository: string, nowMs: number, staleMs: number): Promise<void> {
  const candidates = [
    ...['packed-refs.lock', 'shallow.lock', 'config.lock', 'HEAD.lock'].map((name) => join(repository, name)),
  ];
  try {
    const entries = await readdir(join(repository, 'refs'), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith('.lock')) candidates.push(join(entry.parentPath, entry.name));
    }
  } catch {
    // No refs directory yet.
  }
  for (const candidate of candidates) {
    try {
      const info = await stat(candidate);
      if (nowMs - info.mtimeMs > staleMs) await rm(candidate, { force: true });
    } catch {
      // Not there.
    }
  }
}

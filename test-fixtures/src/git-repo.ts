import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTempDir } from './temp-dir';
import { runGit, type RunGitOptions } from './run-git';

/** File content in a {@link Tree}: text, bytes, an executable, a symlink, or `null` to delete. */
export type TreeEntry =
  | string
  | Uint8Array
  | null
  | { readonly content: string | Uint8Array; readonly executable: true }
  | { readonly symlink: string };

/** Paths (relative, `/`-separated) to contents. */
export type Tree = Readonly<Record<string, TreeEntry>>;

export interface CommitOptions {
  /** Files to write before committing (all changes in the work tree are committed). */
  readonly files?: Tree;
  /** Author and committer date (ISO 8601). Default: the repository's clock, one minute per commit. */
  readonly date?: string;
  readonly author?: { readonly name: string; readonly email: string };
  readonly allowEmpty?: boolean;
}

export interface GitRepo {
  readonly dir: string;
  /** Runs git in the repository with the fixed test identity and no user configuration. */
  git(args: readonly string[], options?: Omit<RunGitOptions, 'cwd'>): Promise<string>;
  write(files: Tree): Promise<void>;
  /** Stages everything and commits; returns the new commit's sha. */
  commit(message: string, options?: CommitOptions): Promise<string>;
  revParse(ref: string): Promise<string>;
  remove(): Promise<void>;
}

export interface GitRepoOptions {
  readonly bare?: boolean;
  /** Initial branch name. Default `main`. */
  readonly branch?: string;
  /** Date of the first commit (ISO 8601); later commits add one minute each. */
  readonly startDate?: string;
  /** Create the repository in this directory instead of a new temp directory. */
  readonly dir?: string;
}

const DEFAULT_START = '2024-01-01T12:00:00+00:00';

/**
 * Creates a real git repository in a temp directory with a fixed identity (`A U Thor` /
 * `C O Mitter`), fixed dates, no signing and no background maintenance, so commit shas are
 * reproducible run after run.
 */
export async function createGitRepo(options: GitRepoOptions = {}): Promise<GitRepo> {
  const dir = options.dir ?? createTempDir(options.bare === true ? 'bare' : 'repo').path;
  await mkdir(dir, { recursive: true });
  const branch = options.branch ?? 'main';
  await runGit(
    ['init', '--quiet', `--initial-branch=${branch}`, ...(options.bare === true ? ['--bare'] : []), dir],
    {
      cwd: dir,
    },
  );
  for (const [key, value] of [
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
    ['core.autocrlf', 'false'],
    ['user.name', 'C O Mitter'],
    ['user.email', 'committer@example.com'],
  ] as const) {
    await runGit(['config', key, value], { cwd: dir });
  }
  let clock = Date.parse(options.startDate ?? DEFAULT_START);
  const git = (args: readonly string[], extra: Omit<RunGitOptions, 'cwd'> = {}) =>
    runGit(args, { cwd: dir, ...extra });

  const write = async (files: Tree): Promise<void> => {
    for (const [path, entry] of Object.entries(files)) {
      const target = join(dir, path);
      await rm(target, { force: true, recursive: true });
      if (entry === null) continue;
      await mkdir(dirname(target), { recursive: true });
      if (typeof entry === 'string' || entry instanceof Uint8Array) {
        await writeFile(target, entry);
      } else if ('symlink' in entry) {
        await symlink(entry.symlink, target);
      } else {
        await writeFile(target, entry.content);
        await chmod(target, 0o755);
      }
    }
  };

  return {
    dir,
    git,
    write,
    async commit(message, commitOptions = {}) {
      if (commitOptions.files !== undefined) await write(commitOptions.files);
      const date = commitOptions.date ?? formatDate(clock);
      clock += 60_000;
      const env: Record<string, string> = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
      if (commitOptions.author !== undefined) {
        env.GIT_AUTHOR_NAME = commitOptions.author.name;
        env.GIT_AUTHOR_EMAIL = commitOptions.author.email;
      }
      await git(['add', '--all']);
      await git(
        [
          'commit',
          '--quiet',
          '--no-verify',
          ...(commitOptions.allowEmpty === true ? ['--allow-empty'] : []),
          '-F',
          '-',
        ],
        {
          input: message,
          env,
        },
      );
      return (await git(['rev-parse', 'HEAD'])).trim();
    },
    async revParse(ref) {
      return (await git(['rev-parse', '--verify', '--end-of-options', ref])).trim();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

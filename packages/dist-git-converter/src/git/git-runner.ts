import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ConverterError } from '../converter-error';

/** The outcome of one git process. `stdout` is raw bytes: patches and file contents are not text. */
export interface GitResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface GitRunOptions {
  readonly cwd: string;
  /**
   * Bytes or text written to git's standard input; or chunks produced while git runs (e.g. to
   * feed `git patch-id` while `git format-patch` is still printing), written with backpressure.
   */
  readonly input?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /**
   * Variables set on purpose for this command (identity, dates, `GIT_INDEX_FILE`, a one-process
   * `GIT_CONFIG_COUNT`/`_KEY_n`/`_VALUE_n` such as a transport's credentials), on top of the
   * allow-listed environment. Only git's own variables (`GIT_*`) and `TZ`: anything else is refused.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are not failures (e.g. `[0, 1]` for `merge-base --is-ancestor`). Default `[0]`. */
  readonly okExitCodes?: readonly number[];
  readonly signal?: AbortSignal;
  /**
   * Ignore the system and global git configuration (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL`),
   * for commands whose output must not depend on the user (format-patch, patch-id). Commands that
   * commit keep the user's configuration, hence their identity.
   */
  readonly isolated?: boolean;
  /**
   * Let this command read or write another repository by its local path (`protocol.file.allow`),
   * e.g. `git clone --local` of a cache. Default `false`: local paths and `file://` URLs are
   * refused, so nothing a repository names (a remote, a submodule, an alternate URL) can make git
   * read files of this machine. Submodules are never fetched either way.
   */
  readonly localTransport?: boolean;
  /**
   * Called with each chunk of standard output as it arrives (e.g. to report progress of a long
   * `format-patch`); the whole output is still returned in {@link GitResult.stdout}.
   */
  readonly onStdout?: (chunk: Buffer) => void;
}

/** Runs the git CLI. The converter's only way to reach git for source-git repositories. */
export interface GitRunner {
  run(args: readonly string[], options: GitRunOptions): Promise<GitResult>;
  /** Runs git and returns stdout decoded as UTF-8. */
  text(args: readonly string[], options: GitRunOptions): Promise<string>;
  /**
   * Optional: what identifies the git executable this runner starts (its path, inode, size and
   * times), so that facts about it (its version) can be cached; undefined when unknown.
   */
  executableIdentity?(): Promise<string | undefined>;
}

/**
 * Configuration every git process gets through `-c`, so that the user's own configuration
 * (`format.signature`, `diff.noprefix`, `diff.mnemonicPrefix`, `diff.algorithm`, `core.abbrev`, …)
 * can never leak into generated files. Identity is left to the user.
 */
export const NEUTRAL_GIT_CONFIG: readonly string[] = [
  'core.quotePath=true',
  'core.abbrev=auto',
  'core.autocrlf=false',
  'core.safecrlf=false',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'diff.renames=true',
  'diff.algorithm=myers',
  'diff.indentHeuristic=true',
  'diff.suppressBlankEmpty=false',
  'diff.interHunkContext=0',
  'diff.context=3',
  'format.numbered=auto',
  'format.coverLetter=false',
  'format.thread=false',
  'format.suffix=.patch',
  'format.subjectPrefix=PATCH',
  'format.useAutoBase=false',
  'format.signOff=false',
  'log.showSignature=false',
  'color.ui=false',
  'commit.gpgSign=false',
  'i18n.commitEncoding=UTF-8',
  'i18n.logOutputEncoding=UTF-8',
  'gc.auto=0',
  'maintenance.auto=false',
];

/**
 * Configuration that turns off every way a repository's own files could make git run a command or
 * reach another repository, given through `-c` on every git process, so that it wins over any
 * `.git/config`, `include.path` or global file. A source-git or dist-git repository is the work of
 * strangers: hooks (`.git/hooks/*`), `core.fsmonitor`, `core.sshCommand`, `core.askPass`,
 * credential helpers and submodules are never used; `protocol.file` (local paths, `file://`) and
 * `protocol.ext` (any command) are refused unless a command is explicitly allowed to read a local
 * repository ({@link GitRunOptions.localTransport}).
 */
export const HARDENED_GIT_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.sshCommand=ssh',
  'core.askPass=',
  'credential.helper=',
  'protocol.ext.allow=never',
  'submodule.recurse=false',
  'fetch.recurseSubmodules=false',
  'push.recurseSubmodules=no',
];

/**
 * The variables a git process takes from the caller's environment; nothing else reaches it (no
 * token, webhook secret or Redis URL, no `GIT_DIR`, `GIT_INDEX_FILE`, `GIT_CONFIG_PARAMETERS`,
 * `GIT_SSH_COMMAND`, `GIT_EXEC_PATH`, …): `PATH` to find git, `HOME` and `XDG_CONFIG_HOME` for the
 * global git configuration (a packager's identity; a deployment's `http.sslCAInfo`), `TMPDIR`,
 * `TZ` for the zone of commit dates, and the proxy and CA bundle variables curl reads to reach a
 * forge.
 */
export const INHERITED_ENVIRONMENT: readonly string[] = [
  'PATH',
  'HOME',
  'XDG_CONFIG_HOME',
  'TMPDIR',
  'TZ',
  'http_proxy',
  'https_proxy',
  'HTTPS_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'no_proxy',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
];

/**
 * With {@link CreateGitRunnerOptions.userEnvironment}, also taken from the caller's environment:
 * what git honours for a user's own commits (identity and dates, `EMAIL`) and the user's choice of
 * configuration files. Never for the bot, whose configured identity must always win.
 */
export const USER_GIT_ENVIRONMENT: readonly string[] = [
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
  'EMAIL',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
  'GIT_CONFIG_NOSYSTEM',
];

export interface CreateGitRunnerOptions {
  /** The git executable. Default `git` from `PATH`. */
  readonly binary?: string;
  /**
   * The caller's environment, of which a git process gets only {@link INHERITED_ENVIRONMENT} (and
   * {@link USER_GIT_ENVIRONMENT} with `userEnvironment`). Default: the current process environment
   * (which, in the worker, holds secrets: they are filtered out here, not by the caller).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Called with the arguments of every git process the runner starts (e.g. to count them in a
   * test, so that a change that adds processes shows).
   */
  readonly onSpawn?: (args: readonly string[]) => void;
  /**
   * A packager running srcgit on their own machine (the CLI): commits may take their identity
   * and dates from `GIT_AUTHOR_*`/`GIT_COMMITTER_*`/`EMAIL`, and `GIT_CONFIG_GLOBAL`/`_SYSTEM`/
   * `_NOSYSTEM` choose their configuration files, as with git itself. Default `false`: the identity
   * comes from the git configuration only (the bot's is in its dist-git clone).
   */
  readonly userEnvironment?: boolean;
}

/**
 * Creates the default {@link GitRunner}: spawns git with {@link NEUTRAL_GIT_CONFIG} and
 * {@link HARDENED_GIT_CONFIG}, an allow-listed environment ({@link INHERITED_ENVIRONMENT}),
 * `LC_ALL=C`, no pager and no prompts. A failing command rejects with a `GIT_FAILED`
 * {@link ConverterError} naming the command, the directory and git's message.
 */
export function createGitRunner(options: CreateGitRunnerOptions = {}): GitRunner {
  const binary = options.binary ?? 'git';
  // The process edge: what a git child may inherit is picked from here, never passed whole.
  // eslint-disable-next-line no-restricted-properties
  const baseEnv = inheritedEnvironment(options.env ?? process.env, options.userEnvironment === true);
  const neutral = NEUTRAL_GIT_CONFIG.flatMap((entry) => ['-c', entry]);
  const hardened = HARDENED_GIT_CONFIG.flatMap((entry) => ['-c', entry]);

  const run = (args: readonly string[], runOptions: GitRunOptions): Promise<GitResult> =>
    new Promise((resolve, reject) => {
      const refused = Object.keys(runOptions.env ?? {}).filter((name) => !COMMAND_VARIABLE.test(name));
      if (refused.length > 0) {
        reject(
          new TypeError(
            `git ${args.join(' ')}: only GIT_* variables and TZ may be set for a git command, not ${refused.join(', ')}`,
          ),
        );
        return;
      }
      options.onSpawn?.(args);
      const transport = `protocol.file.allow=${runOptions.localTransport === true ? 'always' : 'never'}`;
      const child = spawn(binary, [...neutral, ...hardened, '-c', transport, ...args], {
        cwd: runOptions.cwd,
        env: {
          ...baseEnv,
          LC_ALL: 'C',
          LANGUAGE: '',
          GIT_PAGER: 'cat',
          PAGER: 'cat',
          GIT_TERMINAL_PROMPT: '0',
          GIT_OPTIONAL_LOCKS: '0',
          ...(runOptions.isolated === true
            ? { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }
            : {}),
          ...runOptions.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: runOptions.signal,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        out.push(chunk);
        try {
          runOptions.onStdout?.(chunk);
        } catch (error) {
          child.kill();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.stdin.on('error', () => undefined); // git may exit before reading all input
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          new ConverterError(
            'GIT_FAILED',
            error.code === 'ENOENT'
              ? `git is not installed or not on PATH (tried "${binary}"): srcgit needs the git command-line tool`
              : `could not run git ${args.join(' ')} in ${runOptions.cwd}: ${error.message}`,
            { cause: error, data: { args: [...args], cwd: runOptions.cwd } },
          ),
        );
      });
      child.on('close', (code) => {
        const exitCode = code ?? -1;
        const stderr = Buffer.concat(err).toString('utf8');
        const result = { stdout: Buffer.concat(out), stderr, exitCode };
        if ((runOptions.okExitCodes ?? [0]).includes(exitCode)) {
          resolve(result);
          return;
        }
        reject(
          new ConverterError(
            'GIT_FAILED',
            `git ${args.join(' ')} failed in ${runOptions.cwd} (exit ${exitCode}): ${stderr.trim()}`,
            {
              data: { args: [...args], cwd: runOptions.cwd, exitCode, stderr },
            },
          ),
        );
      });
      const input = runOptions.input;
      if (input === undefined || typeof input === 'string' || input instanceof Uint8Array) {
        child.stdin.end(input);
      } else {
        // Stop writing when git closes its input (it may exit early); a failing producer kills git.
        const stdinGone = new Promise<void>((resolveGone) => {
          child.stdin.once('close', () => resolveGone());
          child.stdin.once('error', () => resolveGone());
        });
        void (async () => {
          for await (const chunk of input) {
            if (child.stdin.destroyed || child.stdin.writableEnded) return;
            if (!child.stdin.write(chunk))
              await Promise.race([once(child.stdin, 'drain').catch(() => undefined), stdinGone]);
          }
          if (!child.stdin.destroyed) child.stdin.end();
        })().catch((error: unknown) => {
          child.kill();
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      }
    });

  let identity: Promise<string | undefined> | undefined;
  return {
    run,
    async text(args, runOptions) {
      return (await run(args, runOptions)).stdout.toString('utf8');
    },
    executableIdentity() {
      return (identity ??= identifyExecutable(binary, baseEnv.PATH));
    },
  };
}

/** `path:inode:size:mtime:ctime` of the executable `binary` names (looked up on `PATH` like spawn does). */
async function identifyExecutable(binary: string, path: string | undefined): Promise<string | undefined> {
  const candidates = binary.includes('/')
    ? [binary]
    : (path ?? '')
        .split(':')
        .filter((dir) => isAbsolute(dir))
        .map((dir) => join(dir, binary));
  for (const candidate of candidates) {
    try {
      const info = await stat(candidate);
      if (!info.isFile() || (info.mode & 0o111) === 0) continue;
      return `${candidate}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The names a command's own environment ({@link GitRunOptions.env}) may set. */
const COMMAND_VARIABLE = /^(?:GIT_[A-Z0-9_]+|TZ)$/;

/** The allow-listed part of `env` that every git process of a runner starts from. */
function inheritedEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  userEnvironment: boolean,
): Record<string, string> {
  const names = userEnvironment ? [...INHERITED_ENVIRONMENT, ...USER_GIT_ENVIRONMENT] : INHERITED_ENVIRONMENT;
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

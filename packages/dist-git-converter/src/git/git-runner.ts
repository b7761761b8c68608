import { spawn } from 'node:child_process';
import { once } from 'node:events';
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
  /** Extra environment (identity, dates) on top of the neutral one. */
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
}

/**
 * Configuration every git process gets through `-c`, so that the user's own configuration
 * (`format.signature`, `diff.noprefix`, `diff.mnemonicPrefix`, `diff.algorithm`, `core.abbrev`, …)
 * can never leak into generated files (converter-spec Q16). Identity is left to the user.
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

export interface CreateGitRunnerOptions {
  /** The git executable. Default `git` from `PATH`. */
  readonly binary?: string;
  /** Base environment. Default: the current process environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Creates the default {@link GitRunner}: spawns git with {@link NEUTRAL_GIT_CONFIG}, `LC_ALL=C`,
 * no pager and no prompts. A failing command rejects with a `GIT_FAILED` {@link ConverterError}
 * naming the command, the directory and git's message.
 */
export function createGitRunner(options: CreateGitRunnerOptions = {}): GitRunner {
  const binary = options.binary ?? 'git';
  // A child git inherits the caller's environment (PATH, HOME for the user's identity) unless
  // the caller passes one; this is the process edge, not configuration.
  // eslint-disable-next-line no-restricted-properties
  const baseEnv = options.env ?? process.env;
  const config = NEUTRAL_GIT_CONFIG.flatMap((entry) => ['-c', entry]);

  const run = (args: readonly string[], runOptions: GitRunOptions): Promise<GitResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, [...config, ...args], {
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

  return {
    run,
    async text(args, runOptions) {
      return (await run(args, runOptions)).stdout.toString('utf8');
    },
  };
}

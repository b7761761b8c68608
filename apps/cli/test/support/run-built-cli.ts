/**
 * @module
 * Runs the built `srcgit` binary as a user would, for the CLI's end-to-end tests.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary (`pnpm test` builds it first). */
export const CLI_BINARY = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** How one run of the binary ended. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunBuiltCliOptions {
  readonly cwd?: string;
  /** The whole environment of the run. */
  readonly env: NodeJS.ProcessEnv;
  /** Node options before the binary (e.g. `--import` of a module that breaks something). */
  readonly nodeOptions?: readonly string[];
}

/** Runs the binary with `args`; resolves with its exit code and output, whatever the code. */
export function runBuiltCli(args: readonly string[], options: RunBuiltCliOptions): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeOptions ?? []), CLI_BINARY, ...args],
      { cwd: options.cwd, env: options.env },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr });
      },
    );
  });
}

/**
 * A user's environment without their git configuration: `path` as `PATH`, `home` as `HOME`, no
 * system or global git configuration, and a fixed author and committer.
 */
export function isolatedUserEnv(home: string, path: string | undefined): NodeJS.ProcessEnv {
  return {
    PATH: path,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'A U Thor',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'C O Mitter',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
  };
}

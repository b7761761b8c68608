import { spawn } from 'node:child_process';

/**
 * The environment every test git process gets: no system/global config, fixed identities. Nothing
 * else of the caller's environment reaches git but `PATH` (no `GIT_DIR`, `GIT_AUTHOR_NAME`,
 * `GIT_CONFIG_PARAMETERS`, …), so fixtures are the same whatever the developer has exported.
 */
export const neutralGitEnv: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'A U Thor',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'C O Mitter',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
  TZ: 'UTC',
};

/**
 * Configuration every test git process gets on its command line: fixtures plant hooks and
 * `core.fsmonitor` commands in repositories to prove srcgit never runs them, so the tests' own git
 * must not run them either.
 */
const HOOKS_OFF: readonly string[] = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

export interface RunGitOptions {
  readonly cwd: string;
  readonly input?: string | Uint8Array;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs git and returns its stdout; rejects with git's stderr when it exits non-zero. */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<string> {
  const { stdout } = await runGitRaw(args, options);
  return stdout.toString('utf8');
}

export async function runGitRaw(
  args: readonly string[],
  options: RunGitOptions,
): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...HOOKS_OFF, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.cwd, ...neutralGitEnv, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new Error(`git ${args.join(' ')} (in ${options.cwd}) exited with ${code}: ${err.trim()}`));
    });
    child.stdin.end(options.input);
  });
}

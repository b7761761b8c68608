/**
 * The built webhook server (`dist/main.js`, build it first) as a real child process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const binary = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A running server process and how to stop it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far (JSON log lines). */
  output(): string;
  /** Kills the process (SIGKILL) unless it already exited, and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `node dist/main.js` with exactly `env` and resolves once it logs "listening"; rejects
 * when it exits first.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [binary], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('"msg":"listening"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}${stderr}`)));
    });
  } catch (error) {
    await kill();
    throw error;
  }
  return { child, output: () => output, kill };
}

/** The resident set size of process `pid` in bytes (Linux: `VmRSS` of `/proc/<pid>/status`). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * A built app (`apps/<app>/dist/main.js`) running as a real child process, with its JSON log
 * lines collected.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type AppName = 'webhook-server' | 'worker';

export interface BotProcess {
  readonly app: AppName;
  readonly child: ChildProcess;
  /** Parsed JSON log lines so far. */
  readonly lines: Record<string, unknown>[];
  /** Everything written to stderr. */
  stderr(): string;
  /** Resolves with the first log line matching `predicate` (also one already written). */
  waitForLine(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Sends `signal` and waits for the exit; resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

export function appBinary(app: AppName): string {
  return fileURLToPath(new URL(`../../../${app}/dist/main.js`, import.meta.url));
}

/** Spawns `node apps/<app>/dist/main.js` with exactly `env` (include PATH and HOME: git needs them). */
export function startBotProcess(app: AppName, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [appBinary(app)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        lines.push({ msg: text });
      }
    }
    for (const waiter of waiters.splice(0)) waiter();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    app,
    child,
    lines,
    stderr: () => stderr,
    exited,
    async waitForLine(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(predicate);
        if (found !== undefined) return found;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `${app} exited (${child.exitCode ?? child.signalCode}) before the expected log line:\n${stderr}`,
          );
        }
        if (Date.now() > deadline)
          throw new Error(`${app}: no such log line within ${timeoutMs} ms:\n${stderr}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 200);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

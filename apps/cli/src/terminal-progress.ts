import type { CliIo } from './create-program';

/** A one-line progress display on stderr, shown only when stderr is a terminal. */
export interface TerminalProgress {
  /** Replaces the line with `<command>: <text>`. */
  show(text: string): void;
  /** Removes the line (before other output, and at the end). */
  clear(): void;
}

const silent: TerminalProgress = { show() {}, clear() {} };

/**
 * The progress line of `command`: on stderr when it is a terminal, else nothing (so logs, pipes
 * and `--json` consumers never see it).
 */
export function createTerminalProgress(io: CliIo, command: string): TerminalProgress {
  if ((io.stderr as { isTTY?: boolean }).isTTY !== true) return silent;
  let shown = false;
  return {
    show(text) {
      io.stderr.write(`\r\x1b[K${command}: ${text}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

/**
 * Runs `work` with a progress line `<text> (N s)` updated every second on a terminal, for steps
 * whose progress cannot be counted (a conversion without a callback, GitLab requests); the line is
 * removed when `work` ends, also when it fails.
 */
export async function withActivity<T>(
  progress: TerminalProgress,
  text: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  progress.show(text);
  const timer = setInterval(() => {
    progress.show(`${text} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 1000);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    progress.clear();
  }
}

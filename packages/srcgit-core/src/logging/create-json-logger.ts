/**
 * @module
 * A {@link CoreLogger} writing one JSON object per line, for the apps' processes.
 */
import type { CoreLogger } from '../workflows/workflow-deps';

/**
 * A logger writing `{"time","level","msg",...fields}` lines to `stream`. Errors in fields are
 * written as `{ name, message, code? }`, or as their own `toJSON()` when they have one (srcgit's
 * errors add `code` and `data`). Lines below `level` are dropped.
 *
 * @example
 * const logger = createJsonLogger(process.stdout, { app: 'worker' }, 'info');
 */
export function createJsonLogger(
  stream: { write(line: string): unknown },
  base: Record<string, unknown> = {},
  level: 'debug' | 'info' | 'warn' | 'error' = 'info',
  now: () => Date = () => new Date(),
): CoreLogger {
  const order = ['debug', 'info', 'warn', 'error'];
  const threshold = order.indexOf(level);
  const write = (lineLevel: string, msg: string, fields: Record<string, unknown> = {}): void => {
    if (order.indexOf(lineLevel) < threshold) return;
    const line = JSON.stringify(
      { time: now().toISOString(), level: lineLevel, msg, ...base, ...fields },
      (_, value: unknown) =>
        value instanceof Error
          ? { name: value.name, message: value.message, ...('code' in value ? { code: value.code } : {}) }
          : value,
    );
    stream.write(`${line}\n`);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

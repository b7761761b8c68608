/**
 * @module
 * A logger writing one JSON object per line.
 */
import type { Logger } from './logger';

/**
 * A {@link Logger} writing `{"time","level","msg",...fields}` lines to `stream`. Errors in fields
 * are written as `{ name, message, code? }`.
 *
 * @example
 * const logger = createJsonLogger(process.stdout, { app: 'webhook-server' });
 * logger.info('listening', { port: 8080 });
 */
export function createJsonLogger(
  stream: { write(line: string): unknown },
  base: Record<string, unknown> = {},
  now: () => Date = () => new Date(),
): Logger {
  const write = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
    const line = JSON.stringify(
      { time: now().toISOString(), level, msg, ...base, ...fields },
      (_, value: unknown) =>
        value instanceof Error
          ? { name: value.name, message: value.message, ...('code' in value ? { code: value.code } : {}) }
          : value,
    );
    stream.write(`${line}\n`);
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

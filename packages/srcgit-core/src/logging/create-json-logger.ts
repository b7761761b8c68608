/**
 * @module
 * A {@link CoreLogger} writing one JSON object per line, for the apps' processes, on pino.
 */
import { pino } from 'pino';
import type { CoreLogger } from '../workflows/workflow-deps';

/** The log levels the apps accept (`LOG_LEVEL`): a threshold; `silent` writes nothing. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

type LineLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Field names whose values never reach a log line, at the top level or one level down (e.g. a
 * request's `headers.authorization`): pino replaces them with `[redacted]`.
 */
export const REDACTED_LOG_FIELDS: readonly string[] = [
  'token',
  'password',
  'secret',
  'authorization',
  'privateToken',
  'gitlabToken',
  'webhookSecret',
  'x-gitlab-token',
  'private-token',
];

/**
 * A logger writing `{"level","time",...fields,"msg"}` lines to `stream` through pino. Lines below
 * `level` are dropped; fields named in {@link REDACTED_LOG_FIELDS} are redacted. An `Error` in a
 * field is written as its own `toJSON()` when it has one (srcgit's errors: name, code, message,
 * data), else as `{ name, message, code?, stack? }` with its `cause` the same way: an error with a
 * `code` is an expected outcome, so only the others — internal errors — keep their stack trace.
 *
 * @example
 * const logger = createJsonLogger(process.stdout, { app: 'worker' }, 'info');
 */
export function createJsonLogger(
  stream: { write(line: string): unknown },
  base: Record<string, unknown> = {},
  level: LogLevel = 'info',
  now: () => Date = () => new Date(),
): CoreLogger {
  const logger = pino(
    {
      level,
      base,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACTED_LOG_FIELDS.flatMap((field) => [quotedPath(field), `*.${quotedPath(field)}`]),
        censor: '[redacted]',
      },
    },
    stream,
  );
  const write =
    (lineLevel: LineLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      logger[lineLevel](withSerializedErrors(fields), msg);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A redaction path for a field name (bracketed when it is not an identifier). */
function quotedPath(field: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
}

function withSerializedErrors(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      value instanceof Error ? serializeError(value, 0) : value,
    ]),
  );
}

function serializeError(error: Error, depth: number): unknown {
  // srcgit's errors describe themselves (code and data).
  if ('toJSON' in error && typeof error.toJSON === 'function') return (error.toJSON as () => unknown)();
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const cause =
    error.cause instanceof Error && depth < 3 ? serializeError(error.cause, depth + 1) : undefined;
  return {
    name: error.name,
    message: error.message,
    ...(code === undefined ? { stack: error.stack } : { code }),
    ...(cause === undefined ? {} : { cause }),
  };
}

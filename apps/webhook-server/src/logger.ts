/**
 * @module
 * The logger the webhook server writes through (JSON lines in production, see `createJsonLogger`).
 */

/** Structured log lines: a message and fields. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

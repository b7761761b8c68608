/**
 * @module
 * The failure of a `Forge` operation, classified so that callers react without string matching.
 */
import { CoreError } from '../core-error';

/**
 * How a failed forge operation should be treated:
 * - `transient`: rate limited, server error, dropped connection, timeout — retry the job later
 *   (`retryAfterMs` says when, if the forge said);
 * - `permanent`: the request is wrong or the data unexpected — retrying will not help;
 * - `permission`: the bot's token lacks a right (or is invalid) — tell a human, fall back;
 * - `not-found`: the project, MR, commit, … does not exist or is invisible to the bot;
 * - `conflict`: the state on the forge conflicts with the request (e.g. a project path is taken).
 */
export type ForgeErrorKind = 'transient' | 'permanent' | 'permission' | 'not-found' | 'conflict';

/** The error every `Forge` implementation throws (adapters may subclass it with more detail). */
export class ForgeError extends CoreError {
  override readonly name: string = 'ForgeError';
  readonly kind: ForgeErrorKind;
  /** For `transient` errors: how long the forge asked us to wait, if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ForgeErrorKind,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super('FORGE_FAILED', message, {
      data: {
        kind,
        ...options.data,
        ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
      },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Whether `error` is a {@link ForgeError} of one of `kinds`. */
export function isForgeError(error: unknown, ...kinds: ForgeErrorKind[]): error is ForgeError {
  if (!(error instanceof ForgeError)) return false;
  return kinds.length === 0 || kinds.includes(error.kind);
}

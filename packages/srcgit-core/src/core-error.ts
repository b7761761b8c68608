/** Stable codes of the bot core's failures. */
export type CoreErrorCode =
  | 'CONFIG_INVALID'
  | 'EVENT_INVALID'
  | 'JOB_INVALID'
  | 'PAIRING_CONFLICT'
  /** A git fetch or push failed (network, credentials, a concurrent push): retry the job. */
  | 'GIT_TRANSPORT_FAILED'
  /** A forge operation failed; the error is a `ForgeError` whose `kind` says how to react. */
  | 'FORGE_FAILED'
  /**
   * A conversion was stopped at its time or memory limit (`data.limit`, `data.setting`): the
   * contributor's input is too big to convert; explained on the merge request, not retried.
   */
  | 'CONVERSION_KILLED';

/** The one error type of `@srcgit/core`, with a literal `code` and structured `data`. */
export class CoreError extends Error {
  // `string`, not the literal, so that subclasses such as `ForgeError` can name themselves.
  override readonly name: string = 'CoreError';
  readonly code: CoreErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: CoreErrorCode,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data ?? {};
  }

  toJSON(): { name: string; code: CoreErrorCode; message: string; data: Readonly<Record<string, unknown>> } {
    return { name: this.name, code: this.code, message: this.message, data: this.data };
  }
}

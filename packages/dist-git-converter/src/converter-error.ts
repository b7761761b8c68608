/** Stable codes of every failure the converter reports. Callers branch on these, never on messages. */
export type ConverterErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_MISSING'
  | 'SPEC_INVALID'
  | 'GIT_FAILED'
  | 'UPSTREAM_REF_UNKNOWN'
  | 'DIST_GIT_DIRTY'
  | 'SOURCE_GIT_DIRTY'
  | 'PATCH_NAME_INVALID'
  | 'PATCH_NAME_CONFLICT'
  | 'PATCH_METADATA_INVALID'
  | 'PATCH_ID_TOO_LOW'
  | 'PATCH_APPLY_FAILED'
  | 'NOTHING_TO_COMMIT'
  | 'OUT_OF_SYNC'
  | 'SYNC_MARKER_MISSING'
  | 'SYNC_MARKER_INVALID'
  | 'UNSUPPORTED_CHANGE'
  | 'RANGE_INVALID'
  | 'ALREADY_INITIALIZED'
  | 'DIST_GIT_WRITE_FAILED'
  /** A size limit of the conversion (`ConversionLimits`: commits, patch, blob, spec bytes) is exceeded. */
  | 'LIMIT_EXCEEDED';

/**
 * The one error type of `@srcgit/dist-git-converter`: a literal `code`, a message that says what
 * failed and what was expected, structured `data`, and an optional `cause`. Serializable with
 * {@link ConverterError.toJSON}, because job queues store failures as JSON.
 */
export class ConverterError extends Error {
  override readonly name = 'ConverterError';
  readonly code: ConverterErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: ConverterErrorCode,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data ?? {};
  }

  toJSON(): {
    name: string;
    code: ConverterErrorCode;
    message: string;
    data: Readonly<Record<string, unknown>>;
  } {
    return { name: this.name, code: this.code, message: this.message, data: this.data };
  }
}

/** True for a {@link ConverterError}, also one that crossed a process boundary as plain JSON. */
export function isConverterError(error: unknown): error is ConverterError {
  return (
    error instanceof ConverterError ||
    (error instanceof Error && error.name === 'ConverterError' && 'code' in error)
  );
}

/** How a failed GitLab call should be treated by its caller. */
export type GitLabErrorKind = 'transient' | 'permanent' | 'permission' | 'not-found';

/** A failed GitLab request, classified so that callers can retry or give up without string matching. */
export class GitLabError extends Error {
  override readonly name = 'GitLabError';
  readonly kind: GitLabErrorKind;
  readonly status: number | undefined;

  constructor(kind: GitLabErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
  }
}

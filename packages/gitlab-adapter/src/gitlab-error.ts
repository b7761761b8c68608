/**
 * @module
 * The adapter's one error type: a failed GitLab request (or an unexpected response), classified
 * as core's `ForgeError` so that workflows react by `kind` and never by message.
 */
import { ForgeError } from '@srcgit/core';
import type { ForgeErrorKind } from '@srcgit/core';

/** How a failed GitLab call should be treated by its caller (the same kinds as `ForgeError`). */
export type GitLabErrorKind = ForgeErrorKind;

/**
 * A failed GitLab request. `message` reads `GitLab <METHOD> <path> answered <status>: <GitLab's
 * message>` (the token is never included); `status` is absent for network failures.
 */
export class GitLabError extends ForgeError {
  override readonly name: string = 'GitLabError';
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(
    kind: GitLabErrorKind,
    message: string,
    options: { status?: number; method?: string; path?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(kind, message, {
      data: { status: options.status, method: options.method, path: options.path },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
    });
    this.status = options.status;
    this.method = options.method;
    this.path = options.path;
  }
}

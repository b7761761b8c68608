/**
 * @module
 * How an HTTP status from GitLab is classified.
 */
import type { GitLabErrorKind } from '../gitlab-error';

/** The kind of failure an error status means (429 and 5xx are `transient`). */
export function failureKindForStatus(status: number): GitLabErrorKind {
  if (status === 401 || status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  return 'permanent';
}

/** What the operator should check, for statuses that need a human. */
export function remedyForStatus(status: number): string {
  if (status === 401) return ' Check that the GitLab token is valid and not expired.';
  if (status === 403)
    return " Check the bot account's role in this project and the token's scopes (api, write_repository).";
  if (status === 429) return ' GitLab is rate limiting the bot; check the applicable rate limits.';
  return '';
}

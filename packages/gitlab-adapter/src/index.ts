/**
 * @module
 * `@srcgit/gitlab-adapter`: GitLab behind `@srcgit/core`'s `Forge` port, on `@gitbeaker/rest`,
 * with webhook token verification and payload validation.
 */
export { GitLabError } from './gitlab-error';
export type { GitLabErrorKind } from './gitlab-error';

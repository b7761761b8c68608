/**
 * @module
 * A git runner whose commits are made by a given identity.
 */
import type { GitRunner } from '@srcgit/dist-git-converter';
import type { GitIdentity } from '../workspace/git-workspace';

/**
 * `git` with the committer (and default author) set to `identity` through the environment, so
 * that commits in shared repository caches never depend on their configuration. An explicit
 * author in a call's `env` still wins.
 */
export function withGitIdentity(git: GitRunner, identity: GitIdentity): GitRunner {
  const base = {
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
  };
  return {
    run: (args, options) => git.run(args, { ...options, env: { ...base, ...options.env } }),
    text: (args, options) => git.text(args, { ...options, env: { ...base, ...options.env } }),
  };
}

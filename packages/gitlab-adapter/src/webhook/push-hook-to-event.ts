/**
 * @module
 * `Push Hook` → the dist-git pushed event.
 */
import type { PushHook } from '../schemas/push-hook';
import type { WebhookParseResult } from './webhook-parse-result';

const ZERO_SHA = /^0+$/;

/** Maps a validated `Push Hook`; branch deletions and non-branch refs are not interesting. */
export function pushHookToEvent(hook: PushHook): WebhookParseResult {
  if (!hook.ref.startsWith('refs/heads/')) {
    return { kind: 'not-interested', reason: `push to ${hook.ref}, which is not a branch` };
  }
  const branch = hook.ref.slice('refs/heads/'.length);
  if (ZERO_SHA.test(hook.after)) {
    return { kind: 'not-interested', reason: `branch ${branch} was deleted` };
  }
  return {
    kind: 'event',
    event: {
      kind: 'dist-git-pushed',
      pusher: { username: hook.user_username, id: hook.user_id ?? null },
      project: { id: hook.project.id, path: hook.project.path_with_namespace, webUrl: hook.project.web_url },
      branch,
      before: hook.before,
      after: hook.after,
      headSha: hook.checkout_sha ?? hook.after,
      branchCreated: ZERO_SHA.test(hook.before),
      commits: hook.commits.map((commit) => ({
        sha: commit.id,
        title: commit.title ?? commit.message.split('\n', 1)[0] ?? '',
        authorName: commit.author.name,
        authorEmail: commit.author.email,
      })),
      totalCommits: hook.total_commits_count,
    },
  };
}

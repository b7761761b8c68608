import { ZERO_SHA } from '../git-store';
import { projectUrls } from '../rest/project-json';
import { avatarUrl } from '../rest/user-json';
import type { SimContext } from '../sim-context';
import type { SimProject, SimUser } from '../sim-model';
import { hookCommit, hookProject, hookRepository, visibilityLevel } from './hook-blocks';

/** At most this many commits are listed; `total_commits_count` has the real number. */
const COMMIT_LIMIT = 20;

/** A `Push Hook` or `Tag Push Hook` payload for one updated ref. */
export async function pushHookPayload(
  ctx: SimContext,
  project: SimProject,
  pusher: SimUser,
  update: { readonly ref: string; readonly before: string; readonly after: string },
): Promise<Record<string, unknown>> {
  const tag = update.ref.startsWith('refs/tags/');
  const deleted = update.after === ZERO_SHA;
  const head = deleted ? undefined : await ctx.git.resolveCommit(project.repoDir, update.after);
  let commits: Awaited<ReturnType<typeof ctx.git.log>> = [];
  let total = 0;
  let message: string | null = null;
  if (head !== undefined && tag) {
    commits = await ctx.git.log(project.repoDir, head, undefined, 1);
    total = commits.length;
    const name = update.ref.slice('refs/tags/'.length);
    message =
      (await ctx.git.tags(project.repoDir)).find((entry) => entry.name === name)?.message.trimEnd() ?? '';
  } else if (head !== undefined) {
    const from =
      update.before === ZERO_SHA ? await defaultBranchBase(ctx, project, update.ref) : update.before;
    commits = await ctx.git.log(project.repoDir, head, from);
    total = commits.length;
    commits = commits.slice(0, COMMIT_LIMIT).reverse();
  }
  const urls = projectUrls(ctx, project);
  return {
    object_kind: tag ? 'tag_push' : 'push',
    event_name: tag ? 'tag_push' : 'push',
    before: update.before,
    after: update.after,
    ref: update.ref,
    ref_protected: !tag && update.ref === `refs/heads/${project.defaultBranch}`,
    checkout_sha: head ?? null,
    message,
    user_id: pusher.id,
    user_name: pusher.name,
    user_username: pusher.username,
    user_email: '',
    user_avatar: avatarUrl(pusher),
    project_id: project.id,
    project: hookProject(ctx, project),
    commits: commits.map((commit) => ({
      ...hookCommit(ctx, project, commit),
      added: [...commit.added],
      modified: [...commit.modified],
      removed: [...commit.removed],
    })),
    total_commits_count: total,
    push_options: {},
    repository: {
      ...hookRepository(ctx, project),
      git_http_url: urls.httpUrl,
      git_ssh_url: urls.sshUrl,
      visibility_level: visibilityLevel[project.visibility],
    },
  };
}

/** For a new branch, GitLab lists the commits not on the default branch. */
async function defaultBranchBase(
  ctx: SimContext,
  project: SimProject,
  ref: string,
): Promise<string | undefined> {
  if (ref === `refs/heads/${project.defaultBranch}`) return undefined;
  return ctx.git.branchHead(project.repoDir, project.defaultBranch);
}

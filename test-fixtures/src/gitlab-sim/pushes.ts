import { ZERO_SHA } from './git-store';
import { sourceBranchPushed, targetBranchPushed } from './merge-requests';
import { createPipeline } from './pipelines';
import { refreshRepoInfo } from './projects';
import type { Actor, SimContext } from './sim-context';
import type { SimProject } from './sim-model';
import { pushHookPayload } from './webhooks/push-hook';

/** One ref a push changed (`before`/`after` all zeros for a created/deleted ref). */
export interface RefUpdate {
  readonly ref: string;
  readonly before: string;
  readonly after: string;
}

/**
 * What GitLab does after a push (its post-receive work): Push Hook / Tag Push Hook on the pushed
 * project's hooks, merge requests from a pushed branch updated (`update` hook with `oldrev` on the
 * target, head mirrored into the target repository), mergeability of MRs into a pushed branch
 * recomputed, and branch or tag pipelines when the CI configuration asks for them.
 */
export async function processPush(
  ctx: SimContext,
  actor: Actor,
  project: SimProject,
  updates: readonly RefUpdate[],
): Promise<void> {
  const pushedBranches = updates
    .filter((update) => update.ref.startsWith('refs/heads/') && update.after !== ZERO_SHA)
    .map((update) => update.ref.slice('refs/heads/'.length));
  await refreshRepoInfo(ctx, project, pushedBranches);
  project.lastActivityAt = ctx.now();
  for (const update of updates) {
    const isBranch = update.ref.startsWith('refs/heads/');
    const isTag = update.ref.startsWith('refs/tags/');
    if (!isBranch && !isTag) continue;
    const name = update.ref.slice(isBranch ? 'refs/heads/'.length : 'refs/tags/'.length);
    await ctx.webhooks.fire(
      project,
      isBranch ? 'push' : 'tag_push',
      () => pushHookPayload(ctx, project, actor.user, update),
      actor.eventUuid,
      isBranch ? { branch: name } : {},
    );
    if (update.after === ZERO_SHA) continue;
    if (isBranch) {
      await sourceBranchPushed(ctx, actor, project, name, update.after);
      await targetBranchPushed(ctx, project, name);
    }
    const sha = (await ctx.git.resolveCommit(project.repoDir, update.after)) ?? update.after;
    await createPipeline(ctx, {
      project,
      sha,
      beforeSha: update.before,
      ref: name,
      sourceRef: name,
      tag: isTag,
      source: 'push',
      user: actor.user,
      eventUuid: actor.eventUuid,
    });
  }
}

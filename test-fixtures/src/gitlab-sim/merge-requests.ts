import { AccessLevel } from './access-level';
import { hookTime } from './gitlab-time';
import { addSystemNote } from './notes';
import { createMergeRequestPipeline, identityOf } from './pipelines';
import { isDraft } from './rest/merge-request-json';
import { projectUrls } from './rest/project-json';
import { runGit } from '../run-git';
import type { Actor, SimContext } from './sim-context';
import {
  mergeRequestStateId,
  type MergeRequestState,
  type SimMergeRequest,
  type SimProject,
} from './sim-model';
import { GitLabSimulatorError, forbidden, notFound, unauthorized } from './simulator-error';
import { mergeRequestHookPayload, type MergeRequestHookAction } from './webhooks/merge-request-hook';

export interface CreateMergeRequestInput {
  readonly sourceProject: SimProject;
  /** Default: the source project itself. */
  readonly targetProject?: SimProject;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly title: string;
  readonly description?: string;
  readonly assigneeIds?: readonly number[];
  readonly reviewerIds?: readonly number[];
  readonly labels?: readonly string[];
  readonly removeSourceBranch?: boolean;
  readonly squash?: boolean;
  readonly allowCollaboration?: boolean;
}

function validationError(status: number, message: string): GitLabSimulatorError {
  return new GitLabSimulatorError(status === 409 ? 'conflict' : 'invalid-argument', message, {
    http: { status, body: { message: [message] } },
  });
}

function forkNetworkRoot(ctx: SimContext, project: SimProject): SimProject {
  let current = project;
  for (;;) {
    const parent = current.forkedFromId === null ? undefined : ctx.state.projects.get(current.forkedFromId);
    if (parent === undefined) return current;
    current = parent;
  }
}

/** Whether the two projects are in one fork network (upstream, forks and forks of forks). */
function inForkNetwork(ctx: SimContext, source: SimProject, target: SimProject): boolean {
  return forkNetworkRoot(ctx, source).id === forkNetworkRoot(ctx, target).id;
}

/**
 * `POST /projects/:id/merge_requests`: an MR from `sourceProject` (often a fork) into the target,
 * stored in the target with the next iid. Fires `open` on the target's hooks (with
 * `merge_status: preparing`, like GitLab), then creates the MR pipeline the CI configuration asks for.
 */
export async function createMergeRequest(
  ctx: SimContext,
  actor: Actor,
  input: CreateMergeRequestInput,
): Promise<SimMergeRequest> {
  const source = input.sourceProject;
  const target = input.targetProject ?? source;
  if (!ctx.state.canSeeProject(actor.user, target)) throw notFound('Project');
  if (ctx.state.projectAccess(actor.user, source) < AccessLevel.developer) throw forbidden();
  if (!inForkNetwork(ctx, source, target)) {
    throw validationError(422, 'Source project is not a fork of the target project');
  }
  if (source.id === target.id && input.sourceBranch === input.targetBranch) {
    throw validationError(422, "You can't use same project/branch for source and target");
  }
  const sourceHead = await ctx.git.branchHead(source.repoDir, input.sourceBranch);
  if (sourceHead === undefined)
    throw validationError(422, `Source branch "${input.sourceBranch}" does not exist`);
  if ((await ctx.git.branchHead(target.repoDir, input.targetBranch)) === undefined) {
    throw validationError(422, `Target branch "${input.targetBranch}" does not exist`);
  }
  for (const other of ctx.state.mergeRequests.values()) {
    if (
      other.projectId === target.id &&
      other.sourceProjectId === source.id &&
      other.sourceBranch === input.sourceBranch &&
      other.targetBranch === input.targetBranch &&
      other.state === 'opened'
    ) {
      throw validationError(
        409,
        `Another open merge request already exists for this source branch: !${other.iid}`,
      );
    }
  }
  const now = ctx.now();
  const mr: SimMergeRequest = {
    id: ctx.state.nextId('mergeRequest'),
    iid: target.nextMergeRequestIid++,
    projectId: target.id,
    sourceProjectId: source.id,
    sourceBranch: input.sourceBranch,
    targetBranch: input.targetBranch,
    title: input.title,
    description: input.description ?? '',
    state: 'opened',
    authorId: actor.user.id,
    assigneeIds: [...(input.assigneeIds ?? [])],
    reviewerIds: [...(input.reviewerIds ?? [])],
    labels: [...(input.labels ?? [])],
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    lastEditedAt: null,
    lastEditedById: null,
    closedAt: null,
    closedById: null,
    mergedAt: null,
    mergedById: null,
    mergeCommitSha: null,
    sha: sourceHead,
    baseSha: null,
    startSha: null,
    mergeStatus: 'preparing',
    changesCount: null,
    hasConflicts: false,
    squash: input.squash ?? false,
    removeSourceBranch: input.removeSourceBranch ?? null,
    allowCollaboration: input.allowCollaboration ?? false,
    commitsSeen: 1,
    timeTrackingReported: false,
  };
  ctx.state.mergeRequests.set(mr.id, mr);
  await refreshMergeRequest(ctx, mr, { keepMergeStatus: true });
  target.lastActivityAt = now;
  await fireMergeRequestHook(ctx, mr, actor, 'open', {
    changes: { merge_status: { previous: 'unchecked', current: 'preparing' } },
  });
  mr.mergeStatus = mr.hasConflicts ? 'cannot_be_merged' : 'can_be_merged';
  await createMergeRequestPipeline(ctx, mr, actor, { inTarget: false });
  return mr;
}

/**
 * Bulk-creates open merge requests from existing source branches, for benchmarks that need
 * thousands: the records are what `createMergeRequest` makes, and each head is mirrored to
 * `refs/merge-requests/<iid>/head` in the target (one `git fetch` per source project), but no
 * diff refs or mergeability are computed, no pipeline is started and no hook fires.
 */
export async function importMergeRequests(
  ctx: SimContext,
  actor: Actor,
  inputs: readonly CreateMergeRequestInput[],
): Promise<SimMergeRequest[]> {
  const heads = new Map<number, Map<string, string>>();
  const created: SimMergeRequest[] = [];
  for (const input of inputs) {
    const source = input.sourceProject;
    const target = input.targetProject ?? source;
    if (ctx.state.projectAccess(actor.user, source) < AccessLevel.developer) throw forbidden();
    if (!inForkNetwork(ctx, source, target)) {
      throw validationError(422, 'Source project is not a fork of the target project');
    }
    let branches = heads.get(source.id);
    if (branches === undefined) {
      branches = await ctx.git.branches(source.repoDir);
      heads.set(source.id, branches);
    }
    const sha = branches.get(input.sourceBranch);
    if (sha === undefined) throw validationError(422, `Source branch "${input.sourceBranch}" does not exist`);
    const now = ctx.now();
    const mr: SimMergeRequest = {
      id: ctx.state.nextId('mergeRequest'),
      iid: target.nextMergeRequestIid++,
      projectId: target.id,
      sourceProjectId: source.id,
      sourceBranch: input.sourceBranch,
      targetBranch: input.targetBranch,
      title: input.title,
      description: input.description ?? '',
      state: 'opened',
      authorId: actor.user.id,
      assigneeIds: [],
      reviewerIds: [],
      labels: [],
      createdAt: now,
      updatedAt: now,
      updatedById: null,
      lastEditedAt: null,
      lastEditedById: null,
      closedAt: null,
      closedById: null,
      mergedAt: null,
      mergedById: null,
      mergeCommitSha: null,
      sha,
      baseSha: null,
      startSha: null,
      mergeStatus: 'can_be_merged',
      changesCount: null,
      hasConflicts: false,
      squash: false,
      removeSourceBranch: null,
      allowCollaboration: false,
      commitsSeen: 1,
      timeTrackingReported: false,
    };
    ctx.state.mergeRequests.set(mr.id, mr);
    created.push(mr);
  }
  const bySourceAndTarget = new Map<string, SimMergeRequest[]>();
  for (const mr of created) {
    const key = `${mr.sourceProjectId}:${mr.projectId}`;
    bySourceAndTarget.set(key, [...(bySourceAndTarget.get(key) ?? []), mr]);
  }
  for (const group of bySourceAndTarget.values()) {
    const [first] = group;
    if (first === undefined) continue;
    const source = ctx.state.requireProject(first.sourceProjectId);
    const target = ctx.state.requireProject(first.projectId);
    const refspecs = group.map((mr) => `+${mr.sha}:refs/merge-requests/${mr.iid}/head`);
    if (source.id === target.id) {
      for (const mr of group)
        await ctx.git.updateRef(target.repoDir, `refs/merge-requests/${mr.iid}/head`, mr.sha);
    } else {
      await runGit(['fetch', '--quiet', '--no-tags', source.repoDir, ...refspecs], { cwd: target.repoDir });
    }
  }
  return created;
}

/**
 * Re-reads the merge request's head from its source branch (while open), mirrors it to
 * `refs/merge-requests/<iid>/head` in the target repository (which makes a fork's commits readable
 * there) and recomputes diff refs and mergeability.
 */
export async function refreshMergeRequest(
  ctx: SimContext,
  mr: SimMergeRequest,
  options: { keepMergeStatus?: boolean } = {},
): Promise<void> {
  const source = ctx.state.projects.get(mr.sourceProjectId);
  const target = ctx.state.requireProject(mr.projectId);
  if (mr.state === 'opened' && source !== undefined) {
    const head = await ctx.git.branchHead(source.repoDir, mr.sourceBranch);
    if (head !== undefined) mr.sha = head;
  }
  const headRef = `refs/merge-requests/${mr.iid}/head`;
  if (source !== undefined && source.id !== target.id) {
    if ((await ctx.git.resolveCommit(source.repoDir, mr.sha)) !== undefined) {
      await ctx.git.fetchCommit(source.repoDir, target.repoDir, mr.sha, headRef);
    }
  } else {
    await ctx.git.updateRef(target.repoDir, headRef, mr.sha);
  }
  if (mr.state !== 'opened') return;
  const targetHead = await ctx.git.branchHead(target.repoDir, mr.targetBranch);
  mr.startSha = targetHead ?? null;
  mr.baseSha =
    targetHead === undefined ? null : ((await ctx.git.mergeBase(target.repoDir, targetHead, mr.sha)) ?? null);
  mr.changesCount =
    mr.baseSha === null
      ? null
      : String((await ctx.git.changedFiles(target.repoDir, mr.baseSha, mr.sha)).length);
  mr.hasConflicts =
    targetHead !== undefined && !(await ctx.git.mergesCleanly(target.repoDir, targetHead, mr.sha));
  if (options.keepMergeStatus !== true)
    mr.mergeStatus = mr.hasConflicts ? 'cannot_be_merged' : 'can_be_merged';
}

async function fireMergeRequestHook(
  ctx: SimContext,
  mr: SimMergeRequest,
  actor: Actor,
  action: MergeRequestHookAction,
  extra: { oldrev?: string; changes?: Record<string, unknown> },
): Promise<void> {
  if (action === 'update' && !mr.timeTrackingReported) {
    mr.timeTrackingReported = true;
    extra = { ...extra, changes: { ...extra.changes, total_time_spent: { previous: null, current: 0 } } };
  }
  await ctx.webhooks.fire(
    ctx.state.requireProject(mr.projectId),
    'merge_request',
    () => mergeRequestHookPayload(ctx, mr, actor.user, action, extra),
    actor.eventUuid,
  );
}

export interface UpdateMergeRequestInput {
  readonly title?: string;
  readonly description?: string;
  readonly targetBranch?: string;
  readonly stateEvent?: 'close' | 'reopen';
  readonly labels?: readonly string[];
  readonly assigneeIds?: readonly number[];
  readonly reviewerIds?: readonly number[];
  readonly removeSourceBranch?: boolean;
  readonly squash?: boolean;
  readonly allowCollaboration?: boolean;
}

function mayUpdate(ctx: SimContext, actor: Actor, mr: SimMergeRequest): boolean {
  const target = ctx.state.requireProject(mr.projectId);
  return (
    mr.authorId === actor.user.id || ctx.state.projectAccess(actor.user, target) >= AccessLevel.developer
  );
}

/**
 * `PUT /projects/:id/merge_requests/:iid`. Metadata changes fire `update` with `changes` (and no
 * `oldrev`) and leave a system note; `state_event` closes (`close`) or reopens (`reopen`). A
 * transition the state machine does not allow (reopening a merged MR, closing a closed one) changes
 * nothing, as on gitlab.com.
 */
export async function updateMergeRequest(
  ctx: SimContext,
  actor: Actor,
  mr: SimMergeRequest,
  input: UpdateMergeRequestInput,
): Promise<SimMergeRequest> {
  if (!mayUpdate(ctx, actor, mr)) throw forbidden();
  const target = ctx.state.requireProject(mr.projectId);
  if (input.targetBranch !== undefined && input.targetBranch !== mr.targetBranch) {
    if ((await ctx.git.branchHead(target.repoDir, input.targetBranch)) === undefined) {
      throw validationError(422, `Target branch "${input.targetBranch}" does not exist`);
    }
  }
  const before = ctx.now();
  const previousUpdatedAt = mr.updatedAt;
  const changes: Record<string, unknown> = {};
  const notes: string[] = [];
  if (input.title !== undefined && input.title !== mr.title) {
    changes.title = { previous: mr.title, current: input.title };
    const wasDraft = isDraft(mr);
    notes.push(`changed title from **{-${mr.title}-}** to **{+${input.title}+}**`);
    mr.title = input.title;
    if (wasDraft !== isDraft(mr)) changes.draft = { previous: wasDraft, current: !wasDraft };
  }
  if (input.description !== undefined && input.description !== mr.description) {
    changes.description = { previous: mr.description, current: input.description };
    notes.push('changed the description');
    mr.description = input.description;
    changes.last_edited_at = { previous: hookTime(mr.lastEditedAt), current: hookTime(before) };
    changes.last_edited_by_id = { previous: mr.lastEditedById, current: actor.user.id };
    mr.lastEditedAt = before;
    mr.lastEditedById = actor.user.id;
  }
  if (input.targetBranch !== undefined && input.targetBranch !== mr.targetBranch) {
    changes.target_branch = { previous: mr.targetBranch, current: input.targetBranch };
    notes.push(`changed target branch from \`${mr.targetBranch}\` to \`${input.targetBranch}\``);
    mr.targetBranch = input.targetBranch;
  }
  if (input.labels !== undefined && input.labels.join('\n') !== mr.labels.join('\n')) {
    changes.labels = {
      previous: mr.labels.map((title) => ({ title })),
      current: input.labels.map((title) => ({ title })),
    };
    mr.labels = [...input.labels];
  }
  if (input.assigneeIds !== undefined && input.assigneeIds.join() !== mr.assigneeIds.join()) {
    changes.assignees = { previous: mr.assigneeIds, current: [...input.assigneeIds] };
    mr.assigneeIds = [...input.assigneeIds];
  }
  if (input.reviewerIds !== undefined && input.reviewerIds.join() !== mr.reviewerIds.join()) {
    changes.reviewers = { previous: mr.reviewerIds, current: [...input.reviewerIds] };
    mr.reviewerIds = [...input.reviewerIds];
  }
  if (input.removeSourceBranch !== undefined) mr.removeSourceBranch = input.removeSourceBranch;
  if (input.squash !== undefined) mr.squash = input.squash;
  if (input.allowCollaboration !== undefined) mr.allowCollaboration = input.allowCollaboration;
  if (Object.keys(changes).length > 0) {
    mr.updatedAt = before;
    mr.updatedById = actor.user.id;
    changes.updated_at = { previous: hookTime(previousUpdatedAt), current: hookTime(mr.updatedAt) };
    changes.updated_by_id = { previous: null, current: actor.user.id };
    for (const body of notes) addSystemNote(ctx, mr, actor.user, body);
    if (changes.target_branch !== undefined) await refreshMergeRequest(ctx, mr);
    await fireMergeRequestHook(ctx, mr, actor, 'update', { changes });
  }
  if (input.stateEvent === 'close' && mr.state === 'opened') {
    await changeState(ctx, actor, mr, 'closed', 'close');
  } else if (input.stateEvent === 'reopen' && mr.state === 'closed') {
    await changeState(ctx, actor, mr, 'opened', 'reopen');
  }
  return mr;
}

async function changeState(
  ctx: SimContext,
  actor: Actor,
  mr: SimMergeRequest,
  state: MergeRequestState,
  action: 'close' | 'reopen',
): Promise<void> {
  const previousState = mr.state;
  const previousUpdatedAt = mr.updatedAt;
  const now = ctx.now();
  mr.state = state;
  mr.updatedAt = now;
  mr.updatedById = actor.user.id;
  if (action === 'close') {
    mr.closedAt = now;
    mr.closedById = actor.user.id;
  } else {
    mr.closedAt = null;
    mr.closedById = null;
    await refreshMergeRequest(ctx, mr);
  }
  addSystemNote(ctx, mr, actor.user, action === 'close' ? 'closed' : 'reopened');
  await fireMergeRequestHook(ctx, mr, actor, action, {
    changes: {
      state_id: { previous: mergeRequestStateId[previousState], current: mergeRequestStateId[state] },
      updated_at: { previous: hookTime(previousUpdatedAt), current: hookTime(now) },
    },
  });
}

export interface MergeInput {
  /** Must equal the MR head, else 409. */
  readonly sha?: string;
  readonly mergeCommitMessage?: string;
  readonly shouldRemoveSourceBranch?: boolean;
}

/** What a merge did to the target branch, so the caller can process it as a push. */
export interface MergeOutcome {
  readonly before: string;
  readonly after: string;
}

/**
 * `PUT /projects/:id/merge_requests/:iid/merge` with merge method "merge": a merge commit on the
 * target branch with GitLab's default message. 401 without the right to merge (Maintainer for the
 * protected default branch, Developer otherwise), 405 when not open or a draft, 406 on conflicts,
 * 409 when `sha` is not the head.
 */
export async function mergeMergeRequest(
  ctx: SimContext,
  actor: Actor,
  mr: SimMergeRequest,
  input: MergeInput,
): Promise<MergeOutcome> {
  const target = ctx.state.requireProject(mr.projectId);
  const needed = mr.targetBranch === target.defaultBranch ? AccessLevel.maintainer : AccessLevel.developer;
  if (ctx.state.projectAccess(actor.user, target) < needed) throw unauthorized();
  if (mr.state !== 'opened' || isDraft(mr)) {
    throw new GitLabSimulatorError('not-allowed', '405 Method Not Allowed');
  }
  await refreshMergeRequest(ctx, mr);
  if (input.sha !== undefined && input.sha !== mr.sha) {
    throw new GitLabSimulatorError('conflict', `SHA does not match HEAD of source branch: ${mr.sha}`);
  }
  const targetHead = await ctx.git.branchHead(target.repoDir, mr.targetBranch);
  if (targetHead === undefined || mr.hasConflicts) {
    throw new GitLabSimulatorError('not-allowed', 'Branch cannot be merged', { http: { status: 406 } });
  }
  const fullRef = `${ctx.state.projectFullPath(target)}!${mr.iid}`;
  const message =
    input.mergeCommitMessage ??
    `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${fullRef}`;
  const merge = await ctx.git.mergeCommit(
    target.repoDir,
    targetHead,
    mr.sha,
    message,
    identityOf(actor.user),
    undefined,
  );
  if (merge === undefined) {
    throw new GitLabSimulatorError('not-allowed', 'Branch cannot be merged', { http: { status: 406 } });
  }
  await ctx.git.updateRef(target.repoDir, `refs/heads/${mr.targetBranch}`, merge);
  const previousUpdatedAt = mr.updatedAt;
  const now = ctx.now();
  mr.state = 'merged';
  mr.mergedAt = now;
  mr.mergedById = actor.user.id;
  mr.mergeCommitSha = merge;
  mr.updatedAt = now;
  mr.updatedById = actor.user.id;
  addSystemNote(ctx, mr, actor.user, 'merged');
  await fireMergeRequestHook(ctx, mr, actor, 'merge', {
    changes: {
      state_id: { previous: mergeRequestStateId.opened, current: mergeRequestStateId.merged },
      updated_at: { previous: hookTime(previousUpdatedAt), current: hookTime(now) },
    },
  });
  return { before: targetHead, after: merge };
}

/**
 * A push moved `branch` of `project`: every open MR with that source branch gets the new head
 * (mirrored into its target), a system note, an `update` hook with `oldrev`, and a pipeline.
 */
export async function sourceBranchPushed(
  ctx: SimContext,
  actor: Actor,
  project: SimProject,
  branch: string,
  after: string,
): Promise<void> {
  for (const mr of [...ctx.state.mergeRequests.values()]) {
    if (mr.state !== 'opened' || mr.sourceProjectId !== project.id || mr.sourceBranch !== branch) continue;
    if (mr.sha === after) continue;
    const oldrev = mr.sha;
    const previousUpdatedAt = mr.updatedAt;
    await refreshMergeRequest(ctx, mr);
    const target = ctx.state.requireProject(mr.projectId);
    const added = await ctx.git.log(target.repoDir, mr.sha, oldrev);
    mr.updatedAt = ctx.now();
    mr.commitsSeen += 1;
    const items = added
      .slice(0, 10)
      .map((commit) => `<li>${commit.id.slice(0, 8)} - ${commit.title}</li>`)
      .join('');
    const url = `${projectUrls(ctx, target).webUrl}/-/merge_requests/${mr.iid}/diffs?diff_id=${mr.commitsSeen}&start_sha=${oldrev}`;
    addSystemNote(
      ctx,
      mr,
      actor.user,
      `added ${added.length} commit${added.length === 1 ? '' : 's'}\n\n<ul>${items}</ul>\n\n[Compare with previous version](${url})`,
    );
    await fireMergeRequestHook(ctx, mr, actor, 'update', {
      oldrev,
      changes: { updated_at: { previous: hookTime(previousUpdatedAt), current: hookTime(mr.updatedAt) } },
    });
    await createMergeRequestPipeline(ctx, mr, actor, { inTarget: false });
  }
}

/** A push moved a target branch: open MRs into it get fresh diff refs and mergeability. */
export async function targetBranchPushed(
  ctx: SimContext,
  project: SimProject,
  branch: string,
): Promise<void> {
  for (const mr of ctx.state.mergeRequests.values()) {
    if (mr.state === 'opened' && mr.projectId === project.id && mr.targetBranch === branch) {
      await refreshMergeRequest(ctx, mr);
    }
  }
}

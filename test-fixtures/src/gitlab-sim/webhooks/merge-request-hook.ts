import { hookTime } from '../gitlab-time';
import { detailedMergeStatus, isDraft, mergeRequestWebUrl } from '../rest/merge-request-json';
import { headPipelineOf } from '../head-pipeline';
import type { SimContext } from '../sim-context';
import { mergeRequestStateId, type SimMergeRequest, type SimUser } from '../sim-model';
import { hookCommit, hookProject, hookRepository, hookUser } from './hook-blocks';

export type MergeRequestHookAction = 'open' | 'update' | 'close' | 'reopen' | 'merge';

/** `object_attributes` of a merge request hook (also `merge_request` of note hooks, without `action`). */
export async function hookMergeRequestAttributes(
  ctx: SimContext,
  mr: SimMergeRequest,
): Promise<Record<string, unknown>> {
  const source = ctx.state.projects.get(mr.sourceProjectId);
  const target = ctx.state.requireProject(mr.projectId);
  const lastCommit = await ctx.git.commit(target.repoDir, mr.sha);
  const draft = isDraft(mr);
  return {
    assignee_id: mr.assigneeIds[0] ?? null,
    author_id: mr.authorId,
    created_at: hookTime(mr.createdAt),
    description: mr.description,
    draft,
    head_pipeline_id: headPipelineOf(ctx, mr)?.id ?? null,
    id: mr.id,
    iid: mr.iid,
    last_edited_at: hookTime(mr.lastEditedAt),
    last_edited_by_id: mr.lastEditedById,
    merge_commit_sha: mr.mergeCommitSha,
    merge_error: null,
    merge_params: { force_remove_source_branch: mr.removeSourceBranch === false ? '0' : '1' },
    merge_status: mr.mergeStatus,
    merge_user_id: mr.mergedById,
    merge_when_pipeline_succeeds: false,
    milestone_id: null,
    source_branch: mr.sourceBranch,
    source_project_id: mr.sourceProjectId,
    state_id: mergeRequestStateId[mr.state],
    target_branch: mr.targetBranch,
    target_project_id: mr.projectId,
    time_estimate: 0,
    title: mr.title,
    updated_at: hookTime(mr.updatedAt),
    updated_by_id: mr.updatedById,
    prepared_at: hookTime(mr.createdAt),
    assignee_ids: [...mr.assigneeIds],
    blocking_discussions_resolved: true,
    detailed_merge_status: detailedMergeStatus(mr),
    first_contribution: false,
    human_time_change: null,
    human_time_estimate: null,
    human_total_time_spent: null,
    labels: mr.labels.map((title) => ({ title })),
    last_commit: lastCommit === undefined ? null : hookCommit(ctx, target, lastCommit),
    reviewer_ids: [...mr.reviewerIds],
    source: source === undefined ? null : hookProject(ctx, source),
    state: mr.state,
    target: hookProject(ctx, target),
    time_change: 0,
    total_time_spent: 0,
    url: mergeRequestWebUrl(ctx, mr),
    work_in_progress: draft,
  };
}

/** A `Merge Request Hook` payload, as the target project's hooks receive it. */
export async function mergeRequestHookPayload(
  ctx: SimContext,
  mr: SimMergeRequest,
  actor: SimUser,
  action: MergeRequestHookAction,
  extra: { oldrev?: string; changes?: Record<string, unknown> } = {},
): Promise<Record<string, unknown>> {
  const target = ctx.state.requireProject(mr.projectId);
  const attributes = await hookMergeRequestAttributes(ctx, mr);
  const assignees = mr.assigneeIds.map((id) => ctx.state.users.get(id)).filter((user) => user !== undefined);
  const reviewers = mr.reviewerIds.map((id) => ctx.state.users.get(id)).filter((user) => user !== undefined);
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: hookUser(actor),
    project: hookProject(ctx, target),
    object_attributes: {
      ...attributes,
      action,
      ...(extra.oldrev === undefined ? {} : { oldrev: extra.oldrev }),
    },
    labels: [],
    changes: extra.changes ?? {},
    repository: hookRepository(ctx, target),
    ...(assignees.length === 0 ? {} : { assignees: assignees.map(hookUser) }),
    ...(reviewers.length === 0 ? {} : { reviewers: reviewers.map(hookUser) }),
  };
}

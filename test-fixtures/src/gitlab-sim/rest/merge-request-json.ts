import { AccessLevel } from '../access-level';
import { restTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { SimMergeRequest, SimUser } from '../sim-model';
import { headPipelineOf } from '../head-pipeline';
import { basicPipelineJson, pipelineJson } from './pipeline-json';
import { projectUrls } from './project-json';
import { basicUserJson } from './user-json';

export function mergeRequestWebUrl(ctx: SimContext, mr: SimMergeRequest): string {
  return `${projectUrls(ctx, ctx.state.requireProject(mr.projectId)).webUrl}/-/merge_requests/${mr.iid}`;
}

/** GitLab's `detailed_merge_status` for the merge request as it stands. */
export function detailedMergeStatus(mr: SimMergeRequest): string {
  if (mr.state !== 'opened') return 'not_open';
  if (isDraft(mr)) return 'draft_status';
  if (mr.mergeStatus === 'preparing') return 'preparing';
  if (mr.mergeStatus === 'unchecked') return 'unchecked';
  if (mr.mergeStatus === 'checking') return 'checking';
  if (mr.hasConflicts || mr.mergeStatus === 'cannot_be_merged') return 'conflict';
  return 'mergeable';
}

export function isDraft(mr: SimMergeRequest): boolean {
  return /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s|\[wip\]|wip:)/i.test(mr.title);
}

function userOrNull(ctx: SimContext, id: number | null): Record<string, unknown> | null {
  if (id === null) return null;
  const user = ctx.state.users.get(id);
  return user === undefined ? null : basicUserJson(ctx, user);
}

/** A merge request in lists (`GET /projects/:id/merge_requests`). */
export function basicMergeRequestJson(ctx: SimContext, mr: SimMergeRequest): Record<string, unknown> {
  const target = ctx.state.requireProject(mr.projectId);
  const fullPath = ctx.state.projectFullPath(target);
  const assignees = mr.assigneeIds.map((id) => userOrNull(ctx, id)).filter((user) => user !== null);
  const draft = isDraft(mr);
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: restTime(mr.createdAt),
    updated_at: restTime(mr.updatedAt),
    merged_by: userOrNull(ctx, mr.mergedById),
    merge_user: userOrNull(ctx, mr.mergedById),
    merged_at: restTime(mr.mergedAt),
    closed_by: userOrNull(ctx, mr.closedById),
    closed_at: restTime(mr.closedAt),
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    user_notes_count: userNotesCount(ctx, mr),
    upvotes: awardCount(ctx, mr, 'thumbsup'),
    downvotes: awardCount(ctx, mr, 'thumbsdown'),
    author: userOrNull(ctx, mr.authorId),
    assignees,
    assignee: assignees[0] ?? null,
    reviewers: mr.reviewerIds.map((id) => userOrNull(ctx, id)).filter((user) => user !== null),
    source_project_id: mr.sourceProjectId,
    target_project_id: mr.projectId,
    labels: [...mr.labels],
    draft,
    imported: false,
    imported_from: 'none',
    work_in_progress: draft,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: mr.mergeStatus,
    detailed_merge_status: detailedMergeStatus(mr),
    merge_after: null,
    sha: mr.sha,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: mr.removeSourceBranch ?? false,
    prepared_at: restTime(mr.createdAt),
    allow_collaboration: mr.allowCollaboration,
    allow_maintainer_to_push: mr.allowCollaboration,
    reference: `!${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${fullPath}!${mr.iid}` },
    web_url: mergeRequestWebUrl(ctx, mr),
    time_stats: {
      time_estimate: 0,
      total_time_spent: 0,
      human_time_estimate: null,
      human_total_time_spent: null,
    },
    squash: mr.squash,
    squash_on_merge: mr.squash,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: mr.hasConflicts,
    blocking_discussions_resolved: true,
    approvals_before_merge: 0,
  };
}

/** A single merge request (`GET`, `POST`, `PUT` of one merge request). */
export function mergeRequestJson(
  ctx: SimContext,
  mr: SimMergeRequest,
  viewer: SimUser | undefined,
): Record<string, unknown> {
  const head = headPipelineOf(ctx, mr);
  const target = ctx.state.requireProject(mr.projectId);
  return {
    ...basicMergeRequestJson(ctx, mr),
    subscribed: viewer !== undefined && (viewer.id === mr.authorId || mr.assigneeIds.includes(viewer.id)),
    changes_count: mr.changesCount,
    latest_build_started_at: head === undefined ? null : restTime(head.startedAt),
    latest_build_finished_at: head === undefined ? null : restTime(head.finishedAt),
    first_deployed_to_production_at: null,
    pipeline: head === undefined ? null : basicPipelineJson(ctx, head),
    head_pipeline: head === undefined ? null : pipelineJson(ctx, head),
    diff_refs: { base_sha: mr.baseSha, head_sha: mr.sha, start_sha: mr.startSha },
    merge_error: null,
    first_contribution: false,
    user: {
      can_merge: viewer !== undefined && ctx.state.projectAccess(viewer, target) >= AccessLevel.developer,
    },
  };
}

function userNotesCount(ctx: SimContext, mr: SimMergeRequest): number {
  let count = 0;
  for (const note of ctx.state.notes.values()) {
    if (!note.system && note.target.type === 'MergeRequest' && note.target.mergeRequestId === mr.id)
      count += 1;
  }
  return count;
}

function awardCount(ctx: SimContext, mr: SimMergeRequest, name: string): number {
  let count = 0;
  for (const award of ctx.state.awardEmoji.values()) {
    if (
      award.name === name &&
      award.awardable.type === 'MergeRequest' &&
      award.awardable.mergeRequestId === mr.id
    ) {
      count += 1;
    }
  }
  return count;
}

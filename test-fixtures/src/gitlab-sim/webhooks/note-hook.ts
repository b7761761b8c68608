import { createHash } from 'node:crypto';
import { hookTime } from '../gitlab-time';
import { mergeRequestWebUrl } from '../rest/merge-request-json';
import { projectUrls } from '../rest/project-json';
import type { SimContext } from '../sim-context';
import type { SimNote, SimUser } from '../sim-model';
import { hookCommit, hookProject, hookRepository, hookUser } from './hook-blocks';
import { hookMergeRequestAttributes } from './merge-request-hook';

/** A `Note Hook` payload for a user note on a merge request or a commit. */
export async function noteHookPayload(
  ctx: SimContext,
  note: SimNote,
  actor: SimUser,
  action: 'create' | 'update',
): Promise<Record<string, unknown>> {
  const project = ctx.state.requireProject(note.projectId);
  const target = note.target;
  const mr = target.type === 'MergeRequest' ? ctx.state.mergeRequests.get(target.mergeRequestId) : undefined;
  const commitSha = target.type === 'Commit' ? target.sha : null;
  const url =
    mr !== undefined
      ? `${mergeRequestWebUrl(ctx, mr)}#note_${note.id}`
      : `${projectUrls(ctx, project).webUrl}/-/commit/${commitSha ?? ''}#note_${note.id}`;
  const position = target.type === 'Commit' && target.path !== null ? await commitPosition(ctx, note) : null;
  const attributes: Record<string, unknown> = {
    attachment: null,
    author_id: note.authorId,
    change_position: null,
    commit_id: commitSha,
    commit_sha: commitSha,
    created_at: hookTime(note.createdAt),
    discussion_id: note.discussionId,
    id: note.id,
    line_code: position?.lineCode ?? null,
    note: note.body,
    noteable_id: mr?.id ?? null,
    noteable_type: target.type,
    original_position: null,
    position: null,
    project_id: project.id,
    resolved_at: null,
    resolved_by_id: null,
    resolved_by_push: null,
    st_diff: position?.stDiff ?? null,
    system: note.system,
    type: null,
    updated_at: hookTime(note.updatedAt),
    updated_by_id: note.updatedById,
    description: note.body,
    internal: note.internal,
    confidential: note.internal,
    action,
    url,
  };
  const payload: Record<string, unknown> = {
    object_kind: 'note',
    event_type: note.internal ? 'confidential_note' : 'note',
    user: hookUser(actor),
    project_id: project.id,
    project: hookProject(ctx, project),
    object_attributes: attributes,
    repository: hookRepository(ctx, project),
  };
  if (mr !== undefined) payload.merge_request = await hookMergeRequestAttributes(ctx, mr);
  if (commitSha !== null) {
    const commit = await ctx.git.commit(project.repoDir, commitSha);
    if (commit !== undefined) payload.commit = hookCommit(ctx, project, commit);
  }
  return payload;
}

/** GitLab's legacy `st_diff` and `line_code` for a comment on a line of a commit's diff. */
async function commitPosition(
  ctx: SimContext,
  note: SimNote,
): Promise<{ lineCode: string; stDiff: Record<string, unknown> } | undefined> {
  if (note.target.type !== 'Commit' || note.target.path === null) return undefined;
  const { sha, path, line } = note.target;
  const project = ctx.state.requireProject(note.projectId);
  const commit = await ctx.git.commit(project.repoDir, sha);
  const parent = commit?.parentIds[0];
  const diff = await ctx.git.fileDiff(project.repoDir, parent, sha, path);
  const pathHash = createHash('sha1').update(path).digest('hex');
  return {
    lineCode: `${pathHash}_${line ?? 0}_${line ?? 0}`,
    stDiff: {
      diff: diff.text,
      new_path: path,
      old_path: path,
      a_mode: diff.aMode,
      b_mode: diff.bMode,
      new_file: diff.aMode === '0',
      renamed_file: false,
      deleted_file: diff.bMode === '0',
    },
  };
}

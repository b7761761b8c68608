import { restTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { SimAwardEmoji, SimNote } from '../sim-model';
import { basicUserJson } from './user-json';

/** A note on a merge request (`…/merge_requests/:iid/notes`). */
export function noteJson(ctx: SimContext, note: SimNote): Record<string, unknown> {
  const mr =
    note.target.type === 'MergeRequest' ? ctx.state.mergeRequests.get(note.target.mergeRequestId) : undefined;
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: basicUserJson(ctx, ctx.state.requireUser(note.authorId)),
    created_at: restTime(note.createdAt),
    updated_at: restTime(note.updatedAt),
    system: note.system,
    noteable_id: mr?.id ?? null,
    noteable_type: note.target.type,
    project_id: note.projectId,
    ...(note.target.type === 'Commit' ? { commit_id: note.target.sha } : {}),
    resolvable: false,
    confidential: note.internal,
    internal: note.internal,
    imported: false,
    imported_from: 'none',
    noteable_iid: mr?.iid ?? null,
    commands_changes: {},
  };
}

/** A commit comment (`…/repository/commits/:sha/comments`). */
export function commitCommentJson(ctx: SimContext, note: SimNote): Record<string, unknown> {
  const target = note.target.type === 'Commit' ? note.target : undefined;
  return {
    note: note.body,
    path: target?.path ?? null,
    line: target?.line ?? null,
    line_type: target?.lineType ?? null,
    author: basicUserJson(ctx, ctx.state.requireUser(note.authorId)),
    created_at: restTime(note.createdAt),
  };
}

export function awardEmojiJson(ctx: SimContext, award: SimAwardEmoji): Record<string, unknown> {
  return {
    id: award.id,
    name: award.name,
    user: basicUserJson(ctx, ctx.state.requireUser(award.userId)),
    created_at: restTime(award.createdAt),
    updated_at: restTime(award.createdAt),
    awardable_id: award.awardable.type === 'Note' ? award.awardable.noteId : award.awardable.mergeRequestId,
    awardable_type: award.awardable.type,
    url: null,
  };
}

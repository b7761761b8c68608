import { createHash } from 'node:crypto';
import { AccessLevel } from './access-level';
import type { Actor, SimContext } from './sim-context';
import type { Awardable, SimAwardEmoji, SimMergeRequest, SimNote, SimProject, SimUser } from './sim-model';
import { forbidden, GitLabSimulatorError, notFound } from './simulator-error';
import { noteHookPayload } from './webhooks/note-hook';

function discussionId(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function touchMergeRequest(ctx: SimContext, mr: SimMergeRequest): void {
  mr.updatedAt = ctx.now();
}

/** A system note ("added 1 commit", "closed", …): listed with `system: true`, fires no hook. */
export function addSystemNote(ctx: SimContext, mr: SimMergeRequest, author: SimUser, body: string): SimNote {
  const now = ctx.now();
  const id = ctx.state.nextId('note');
  const note: SimNote = {
    id,
    projectId: mr.projectId,
    target: { type: 'MergeRequest', mergeRequestId: mr.id },
    body,
    authorId: author.id,
    system: true,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    discussionId: discussionId(`note-${id}`),
    internal: false,
  };
  ctx.state.notes.set(note.id, note);
  return note;
}

async function fireNoteHook(
  ctx: SimContext,
  note: SimNote,
  actor: Actor,
  action: 'create' | 'update',
): Promise<void> {
  const project = ctx.state.requireProject(note.projectId);
  await ctx.webhooks.fire(
    project,
    note.internal ? 'confidential_note' : 'note',
    () => noteHookPayload(ctx, note, actor.user, action),
    actor.eventUuid,
  );
}

/** `POST …/merge_requests/:iid/notes`: any signed-in user who can see the project may comment. */
export async function createMergeRequestNote(
  ctx: SimContext,
  actor: Actor,
  mr: SimMergeRequest,
  body: string,
  options: { internal?: boolean } = {},
): Promise<SimNote> {
  const project = ctx.state.requireProject(mr.projectId);
  if (!ctx.state.canSeeProject(actor.user, project)) throw notFound('Project');
  if (body.trim() === '') {
    throw new GitLabSimulatorError('invalid-argument', "Note can't be blank", {
      http: { status: 400, body: { message: { note: ["can't be blank"] } } },
    });
  }
  const internal = options.internal === true;
  if (internal && ctx.state.projectAccess(actor.user, project) < AccessLevel.reporter) throw forbidden();
  const now = ctx.now();
  const id = ctx.state.nextId('note');
  const note: SimNote = {
    id,
    projectId: project.id,
    target: { type: 'MergeRequest', mergeRequestId: mr.id },
    body,
    authorId: actor.user.id,
    system: false,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    discussionId: discussionId(`note-${id}`),
    internal,
  };
  ctx.state.notes.set(note.id, note);
  touchMergeRequest(ctx, mr);
  await fireNoteHook(ctx, note, actor, 'create');
  return note;
}

/** `PUT …/notes/:note_id`: the author may edit (and a Maintainer or admin); fires `action: update`. */
export async function updateNote(
  ctx: SimContext,
  actor: Actor,
  note: SimNote,
  body: string,
): Promise<SimNote> {
  const project = ctx.state.requireProject(note.projectId);
  const mayEdit =
    !note.system &&
    (note.authorId === actor.user.id ||
      ctx.state.projectAccess(actor.user, project) >= AccessLevel.maintainer);
  if (!mayEdit) throw forbidden();
  if (body.trim() === '') {
    throw new GitLabSimulatorError('invalid-argument', "Note can't be blank", {
      http: { status: 400, body: { message: { note: ["can't be blank"] } } },
    });
  }
  if (body !== note.body) {
    note.body = body;
    note.updatedAt = ctx.now();
    note.updatedById = actor.user.id;
    await fireNoteHook(ctx, note, actor, 'update');
  }
  return note;
}

/** `POST …/repository/commits/:sha/comments` (fires a Note Hook with `noteable_type: Commit`). */
export async function createCommitComment(
  ctx: SimContext,
  actor: Actor,
  project: SimProject,
  sha: string,
  input: { note: string; path?: string; line?: number; lineType?: 'new' | 'old' },
): Promise<SimNote> {
  if (!ctx.state.canReadCode(actor.user, project)) throw notFound('Project');
  const commit = await ctx.git.resolveCommit(project.repoDir, sha);
  if (commit === undefined) throw notFound('Commit');
  const now = ctx.now();
  const id = ctx.state.nextId('note');
  const note: SimNote = {
    id,
    projectId: project.id,
    target: {
      type: 'Commit',
      sha: commit,
      path: input.path ?? null,
      line: input.path === undefined ? null : (input.line ?? null),
      lineType: input.path === undefined ? null : (input.lineType ?? 'new'),
    },
    body: input.note,
    authorId: actor.user.id,
    system: false,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    discussionId: discussionId(`note-${id}`),
    internal: false,
  };
  ctx.state.notes.set(note.id, note);
  await fireNoteHook(ctx, note, actor, 'create');
  return note;
}

/** Notes of a merge request, oldest first. */
export function mergeRequestNotes(ctx: SimContext, mr: SimMergeRequest): SimNote[] {
  return [...ctx.state.notes.values()]
    .filter((note) => note.target.type === 'MergeRequest' && note.target.mergeRequestId === mr.id)
    .sort((a, b) => a.id - b.id);
}

/** Comments on a commit in a project, oldest first. */
export function commitComments(ctx: SimContext, project: SimProject, sha: string): SimNote[] {
  return [...ctx.state.notes.values()]
    .filter(
      (note) => note.projectId === project.id && note.target.type === 'Commit' && note.target.sha === sha,
    )
    .sort((a, b) => a.id - b.id);
}

function sameAwardable(a: Awardable, b: Awardable): boolean {
  return a.type === 'Note' && b.type === 'Note'
    ? a.noteId === b.noteId
    : a.type === 'MergeRequest' && b.type === 'MergeRequest' && a.mergeRequestId === b.mergeRequestId;
}

export function awardsOn(ctx: SimContext, awardable: Awardable): SimAwardEmoji[] {
  return [...ctx.state.awardEmoji.values()]
    .filter((award) => sameAwardable(award.awardable, awardable))
    .sort((a, b) => a.id - b.id);
}

/** `POST …/award_emoji`: one award per user, name and target (a repeat is GitLab's odd 404). */
export function awardEmoji(ctx: SimContext, actor: Actor, awardable: Awardable, name: string): SimAwardEmoji {
  if (!/^[a-z0-9_+-]+$/.test(name)) {
    throw new GitLabSimulatorError('invalid-argument', `${name} is not a valid emoji name`, {
      http: { status: 400, body: { message: { name: ['is not a valid emoji name'] } } },
    });
  }
  if (awardsOn(ctx, awardable).some((award) => award.name === name && award.userId === actor.user.id)) {
    throw new GitLabSimulatorError('conflict', '404 Award Emoji Name has already been taken Not Found', {
      http: { status: 404 },
    });
  }
  const award: SimAwardEmoji = {
    id: ctx.state.nextId('awardEmoji'),
    name,
    userId: actor.user.id,
    awardable,
    createdAt: ctx.now(),
  };
  ctx.state.awardEmoji.set(award.id, award);
  return award;
}

/** `DELETE …/award_emoji/:award_id`: only the user who awarded it (or an admin). */
export function removeAwardEmoji(ctx: SimContext, actor: Actor, award: SimAwardEmoji): void {
  if (award.userId !== actor.user.id && !actor.user.admin) throw forbidden();
  ctx.state.awardEmoji.delete(award.id);
}

/**
 * @module
 * `Forge.ensureStickyNote` on GitLab.
 */
import { appendMarker, endsWithMarker } from '@srcgit/core';
import type { EnsureStickyNoteInput, EnsureStickyNoteResult, ForgeNote, ProjectKey } from '@srcgit/core';
import { z } from 'zod';
import { restNoteSchema } from '../schemas/rest-merge-request';
import type { ForgeContext } from './forge-context';
import { decode } from './forge-context';
import { toForgeNote } from './to-forge-records';

/** Every note of a merge request, oldest first (all pages). */
export async function listNotes(
  context: ForgeContext,
  project: ProjectKey,
  mrIid: number,
): Promise<ForgeNote[]> {
  const notes = await context.api.notes.all(project, mrIid, {
    sort: 'asc',
    orderBy: 'created_at',
    perPage: 100,
  });
  return decode(
    z.array(restNoteSchema),
    notes,
    `GET /projects/${String(project)}/merge_requests/${mrIid}/notes`,
  ).map(toForgeNote);
}

/**
 * See `Forge.ensureStickyNote`. The bot's note is the first non-system note written by the bot
 * whose last line is the marker (`endsWithMarker`): a note of anyone else, or a note of the bot's
 * that only quotes the marker (a reply quoting a contributor), is never taken for it.
 */
export async function ensureStickyNote(
  context: ForgeContext,
  input: EnsureStickyNoteInput,
): Promise<EnsureStickyNoteResult> {
  const me = await context.currentUser();
  const body = appendMarker(input.body, input.marker);
  const notes = await listNotes(context, input.project, input.mrIid);
  const mine = notes.find(
    (note) =>
      !note.system &&
      note.authorUsername === me.username &&
      (note.authorId === undefined || note.authorId === me.id) &&
      endsWithMarker(note.body, input.marker),
  );
  const where = `/projects/${String(input.project)}/merge_requests/${input.mrIid}/notes`;
  if (mine !== undefined) {
    if (mine.body === body) return { note: mine, outcome: 'unchanged' };
    const edited = await context.api.notes.edit(input.project, input.mrIid, mine.id, { body });
    return {
      note: toForgeNote(decode(restNoteSchema, edited, `PUT ${where}/${mine.id}`)),
      outcome: 'updated',
    };
  }
  if (input.createOnlyIf === false) return { note: null, outcome: 'skipped' };
  const created = await context.api.notes.create(input.project, input.mrIid, body);
  return { note: toForgeNote(decode(restNoteSchema, created, `POST ${where}`)), outcome: 'created' };
}

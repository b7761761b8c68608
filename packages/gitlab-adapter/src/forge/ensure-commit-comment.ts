/**
 * @module
 * `Forge.ensureCommitComment` on GitLab.
 */
import { appendMarker, endsWithMarker } from '@srcgit/core';
import type { EnsureCommitCommentInput } from '@srcgit/core';
import { z } from 'zod';
import type { ForgeContext } from './forge-context';
import { decode } from './forge-context';

const commitCommentSchema = z.object({ note: z.string(), author: z.object({ username: z.string() }) });

/** See `Forge.ensureCommitComment`: the bot's comment with the marker as its last line, posted once. */
export async function ensureCommitComment(
  context: ForgeContext,
  input: EnsureCommitCommentInput,
): Promise<{ outcome: 'created' | 'unchanged' }> {
  const me = await context.currentUser();
  const where = `/projects/${String(input.project)}/repository/commits/${input.sha}/comments`;
  const comments = decode(
    z.array(commitCommentSchema),
    await context.api.commits.allComments(input.project, input.sha),
    `GET ${where}`,
  );
  if (
    comments.some(
      (comment) => comment.author.username === me.username && endsWithMarker(comment.note, input.marker),
    )
  ) {
    return { outcome: 'unchanged' };
  }
  await context.api.commits.createComment(input.project, input.sha, appendMarker(input.body, input.marker));
  return { outcome: 'created' };
}

/**
 * @module
 * A comment on a merge request that may carry a bot command (`/packit …`).
 */
import { z } from 'zod';
import { actorSchema, mergeRequestSnapshotSchema } from './event-refs';

/**
 * A note on a merge request was created or edited. The workflows parse the command grammar from
 * `note.body`; the webhook side may already have filtered on the command prefix. `action` is
 * `update` for an edited note (which must not re-run a command); `system` notes are written by the
 * forge itself.
 */
export const commentCommandIssuedSchema = z.object({
  kind: z.literal('comment-command-issued'),
  author: actorSchema,
  note: z.object({
    id: z.number().int(),
    body: z.string(),
    url: z.string(),
    action: z.enum(['create', 'update']),
    system: z.boolean(),
  }),
  mergeRequest: mergeRequestSnapshotSchema,
});
export type CommentCommandIssued = z.infer<typeof commentCommandIssuedSchema>;

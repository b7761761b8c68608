/**
 * @module
 * The `Note Hook` payload (comments on merge requests, commits, issues and snippets).
 */
import { z } from 'zod';
import { webhookMergeRequestSchema } from './merge-request-hook';
import { webhookProjectSchema, webhookUserSchema } from './webhook-project';

/** `Note Hook`. Only notes on merge requests carry `merge_request`. */
export const noteHookSchema = z.object({
  object_kind: z.literal('note'),
  user: webhookUserSchema,
  project: webhookProjectSchema,
  object_attributes: z.object({
    id: z.number().int(),
    note: z.string(),
    noteable_type: z.string().min(1),
    system: z.boolean().nullish(),
    action: z.string().nullish(),
    url: z.string().nullish(),
  }),
  merge_request: webhookMergeRequestSchema.nullish(),
});
export type NoteHook = z.infer<typeof noteHookSchema>;

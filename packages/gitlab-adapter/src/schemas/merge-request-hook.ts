/**
 * @module
 * The `Merge Request Hook` payload (and the `merge_request` object of `Note Hook` payloads).
 */
import { z } from 'zod';
import { commitShaSchema as sha } from './commit-sha';
import { webhookProjectSchema, webhookUserSchema } from './webhook-project';

/**
 * The merge request as embedded in webhooks (`object_attributes` or a note's `merge_request`).
 * A note's `merge_request` has no `url` in GitLab's documented examples: it is derived from the
 * project's `web_url` and the `iid` (see `mergeRequestToSnapshot`).
 */
export const webhookMergeRequestSchema = z.object({
  id: z.number().int(),
  iid: z.number().int().positive(),
  url: z.string().min(1).nullish(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.enum(['opened', 'closed', 'merged', 'locked']),
  draft: z.boolean().nullish(),
  work_in_progress: z.boolean().nullish(),
  source_branch: z.string().min(1),
  source_project_id: z.number().int(),
  target_branch: z.string().min(1),
  target_project_id: z.number().int(),
  source: webhookProjectSchema.omit({ id: true }).extend({ id: z.number().int().nullish() }),
  last_commit: z.object({ id: sha }),
  // Some recorded payloads carry the Python string "None" here: read it leniently, validate on use.
  merge_commit_sha: z.unknown().optional(),
});
export type WebhookMergeRequest = z.infer<typeof webhookMergeRequestSchema>;

const change = z.object({ previous: z.unknown(), current: z.unknown() });

/** `Merge Request Hook`. `action` is missing from some old payloads. */
export const mergeRequestHookSchema = z.object({
  object_kind: z.literal('merge_request'),
  user: webhookUserSchema,
  project: webhookProjectSchema,
  object_attributes: webhookMergeRequestSchema.extend({
    action: z.string().nullish(),
    oldrev: sha.nullish(),
  }),
  changes: z.record(z.string(), change).nullish(),
});
export type MergeRequestHook = z.infer<typeof mergeRequestHookSchema>;

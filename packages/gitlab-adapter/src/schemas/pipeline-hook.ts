/**
 * @module
 * The `Pipeline Hook` payload.
 */
import { z } from 'zod';
import { commitShaSchema as sha } from './commit-sha';
import { webhookProjectSchema, webhookUserSchema } from './webhook-project';

/**
 * `Pipeline Hook`. `merge_request` is null (or absent) for pipelines not tied to an MR; its `url`
 * may be missing, then it is derived when the merge request targets the hook's project.
 */
export const pipelineHookSchema = z.object({
  object_kind: z.literal('pipeline'),
  user: webhookUserSchema.nullish(),
  project: webhookProjectSchema,
  object_attributes: z.object({
    id: z.number().int(),
    iid: z.number().int().nullish(),
    ref: z.string(),
    sha,
    source: z.string().min(1),
    status: z.string().min(1),
    detailed_status: z.string().nullish(),
    url: z.string().nullish(),
  }),
  merge_request: z
    .object({
      id: z.number().int(),
      iid: z.number().int().positive(),
      url: z.string().min(1).nullish(),
      title: z.string(),
      state: z.enum(['opened', 'closed', 'merged', 'locked']),
      source_branch: z.string().min(1),
      source_project_id: z.number().int(),
      target_branch: z.string().min(1),
      target_project_id: z.number().int(),
    })
    .nullish(),
  commit: z.object({ id: sha, message: z.string() }).nullish(),
});
export type PipelineHook = z.infer<typeof pipelineHookSchema>;

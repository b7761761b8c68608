/**
 * @module
 * The `Push Hook` payload.
 */
import { z } from 'zod';
import { commitShaSchema as sha } from './commit-sha';
import { webhookProjectSchema } from './webhook-project';

/** `Push Hook` (branch pushes; tags arrive as `Tag Push Hook`). */
export const pushHookSchema = z.object({
  object_kind: z.literal('push'),
  before: sha,
  after: sha,
  ref: z.string().min(1),
  checkout_sha: sha.nullish(),
  user_id: z.number().int().nullish(),
  user_username: z.string().min(1),
  project: webhookProjectSchema,
  commits: z.array(
    z.object({
      id: sha,
      message: z.string(),
      title: z.string().nullish(),
      author: z.object({ name: z.string(), email: z.string() }),
    }),
  ),
  total_commits_count: z.number().int().nonnegative(),
});
export type PushHook = z.infer<typeof pushHookSchema>;

/**
 * @module
 * The project and user objects embedded in GitLab webhook payloads. Only the fields srcgit reads
 * are declared; unknown fields are accepted and dropped.
 */
import { z } from 'zod';

/** `project` (and `object_attributes.source`/`target`) of a webhook payload. */
export const webhookProjectSchema = z.object({
  id: z.number().int(),
  path_with_namespace: z.string().min(1),
  web_url: z.string().min(1),
  git_http_url: z.string().nullish(),
  http_url: z.string().nullish(),
});
export type WebhookProject = z.infer<typeof webhookProjectSchema>;

/** `user` of a webhook payload (old payloads omit `id`). */
export const webhookUserSchema = z.object({
  id: z.number().int().nullish(),
  username: z.string().min(1),
});
export type WebhookUser = z.infer<typeof webhookUserSchema>;

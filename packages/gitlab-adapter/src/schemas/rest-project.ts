/**
 * @module
 * `GET /projects/:id` (and the fork and forks endpoints) as srcgit reads it.
 */
import { z } from 'zod';

/** A project of the REST API. Unknown fields are accepted and dropped. */
export const restProjectSchema = z.object({
  id: z.number().int(),
  path_with_namespace: z.string().min(1),
  namespace: z.object({ full_path: z.string().min(1) }),
  web_url: z.string().min(1),
  http_url_to_repo: z.string().min(1),
  default_branch: z.string().nullish(),
  forked_from_project: z.object({ id: z.number().int(), path_with_namespace: z.string() }).nullish(),
  import_status: z.string().nullish(),
});
export type RestProject = z.infer<typeof restProjectSchema>;

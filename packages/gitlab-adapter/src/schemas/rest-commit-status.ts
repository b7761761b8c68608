/** @module Commit statuses of the REST API. */
import { z } from 'zod';

/** A commit status as `GET /projects/:id/repository/commits/:sha/statuses` returns it. */
export const restCommitStatusSchema = z.object({
  id: z.number().int(),
  sha: z.string(),
  ref: z.string().nullish(),
  name: z.string(),
  status: z.string(),
  target_url: z.string().nullish(),
  description: z.string().nullish(),
  created_at: z.string(),
  author: z.object({ username: z.string() }).nullish(),
});

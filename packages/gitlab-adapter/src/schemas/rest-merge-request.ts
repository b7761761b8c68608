/** @module Merge requests, notes and award emoji of the REST API. */
import { z } from 'zod';

/** A merge request as `GET /projects/:id/merge_requests(/:iid)` returns it. */
export const restMergeRequestSchema = z.object({
  id: z.number().int(),
  iid: z.number().int(),
  project_id: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.enum(['opened', 'closed', 'merged', 'locked']),
  draft: z.boolean().nullish(),
  work_in_progress: z.boolean().nullish(),
  source_project_id: z.number().int(),
  source_branch: z.string(),
  target_project_id: z.number().int(),
  target_branch: z.string(),
  sha: z.string().nullish(),
  author: z.object({ username: z.string() }),
  web_url: z.string(),
});
export type RestMergeRequest = z.infer<typeof restMergeRequestSchema>;

/** A note of `GET /projects/:id/merge_requests/:iid/notes`. */
export const restNoteSchema = z.object({
  id: z.number().int(),
  body: z.string(),
  author: z.object({ id: z.number().int().optional(), username: z.string() }),
  system: z.boolean().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
});

/** An award emoji. */
export const restAwardEmojiSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  user: z.object({ username: z.string() }),
});

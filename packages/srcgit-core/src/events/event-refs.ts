/**
 * @module
 * The building blocks every domain event is made of: who acted, which project and which merge
 * request. Forge-agnostic names (project path, MR iid, shas, usernames), no GitLab field names.
 */
import { z } from 'zod';

/** A full commit id (40 hex digits for SHA-1 repositories, 64 for SHA-256 ones). */
export const commitShaSchema = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a full hex commit id');

/** The person (or bot) whose action caused the event. `id` is absent when the forge omits it. */
export const actorSchema = z.object({
  username: z.string().min(1),
  id: z.number().int().nullable(),
});
export type Actor = z.infer<typeof actorSchema>;

/** A project on the forge: its stable numeric id, its full path and its web address. */
export const projectRefSchema = z.object({
  id: z.number().int(),
  path: z.string().min(1),
  webUrl: z.string().min(1),
});
export type ProjectRef = z.infer<typeof projectRefSchema>;

/** The state of a merge request as the forge reports it. */
export const mergeRequestStateSchema = z.enum(['opened', 'closed', 'merged', 'locked']);
export type MergeRequestState = z.infer<typeof mergeRequestStateSchema>;

/**
 * A merge request as it was when the event fired. `project` is the target project (where the
 * MR lives and its `iid` is allocated); `sourceProject` is where the source branch lives (a fork,
 * or the target itself).
 */
export const mergeRequestSnapshotSchema = z.object({
  id: z.number().int(),
  iid: z.number().int().positive(),
  url: z.string().min(1),
  title: z.string(),
  description: z.string(),
  state: mergeRequestStateSchema,
  draft: z.boolean(),
  project: projectRefSchema,
  sourceProject: projectRefSchema,
  sourceBranch: z.string().min(1),
  targetBranch: z.string().min(1),
  headSha: commitShaSchema,
});
export type MergeRequestSnapshot = z.infer<typeof mergeRequestSnapshotSchema>;

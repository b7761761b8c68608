/**
 * @module
 * The CI pipeline of a dist-git merge request changed status.
 */
import { z } from 'zod';
import { actorSchema, commitShaSchema, mergeRequestStateSchema, projectRefSchema } from './event-refs';

/**
 * A pipeline changed status. `pipeline.project` is the project the pipeline runs in: the bot's
 * fork for detached MR pipelines, the parent dist-git project for pipelines a maintainer started
 * there (`inFork` tells which). `pipeline.status` is the forge's raw status (`pending`, `running`,
 * `success`, `failed`, `canceled`, `canceling`, …): the workflows map it, unknown ones included.
 * `mergeRequest` is `null` for pipelines not tied to an MR (branch pushes, schedules) and, rarely,
 * when the forge omitted it. `commit` is the commit the pipeline ran on, with its message (where
 * the `From-source-git-commit` trailer lives for detached pipelines).
 */
export const distGitMrPipelineChangedSchema = z.object({
  kind: z.literal('dist-git-mr-pipeline-changed'),
  /** Who started the pipeline; `null` when the forge did not say. */
  actor: actorSchema.nullable(),
  pipeline: z.object({
    id: z.number().int(),
    iid: z.number().int().nullable(),
    project: projectRefSchema,
    url: z.string().min(1),
    status: z.string().min(1),
    detailedStatus: z.string().nullable(),
    source: z.string().min(1),
    ref: z.string(),
    sha: commitShaSchema,
  }),
  mergeRequest: z
    .object({
      id: z.number().int(),
      iid: z.number().int().positive(),
      url: z.string().min(1),
      title: z.string(),
      state: mergeRequestStateSchema,
      sourceProjectId: z.number().int(),
      sourceBranch: z.string().min(1),
      targetProjectId: z.number().int(),
      targetBranch: z.string().min(1),
    })
    .nullable(),
  inFork: z.boolean(),
  commit: z.object({ sha: commitShaSchema, message: z.string() }).nullable(),
});
export type DistGitMrPipelineChanged = z.infer<typeof distGitMrPipelineChangedSchema>;

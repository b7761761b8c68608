/**
 * @module
 * Events about a source-git merge request: opened, updated, closed, reopened, merged.
 */
import { z } from 'zod';
import { actorSchema, commitShaSchema, mergeRequestSnapshotSchema } from './event-refs';

const change = <T extends z.ZodType>(value: T) => z.object({ previous: value, current: value });

/** A source-git MR was opened. */
export const sourceGitMrOpenedSchema = z.object({
  kind: z.literal('source-git-mr-opened'),
  actor: actorSchema,
  mergeRequest: mergeRequestSnapshotSchema,
});
export type SourceGitMrOpened = z.infer<typeof sourceGitMrOpenedSchema>;

/**
 * A source-git MR was updated. `oldrev` is the previous head when the update changed code (new
 * commits, force-push, rebase) and `null` for metadata-only updates. `changes` holds the metadata
 * the workflows act on; `otherChangedFields` names the rest (labels, assignees, …) for logging.
 */
export const sourceGitMrUpdatedSchema = z.object({
  kind: z.literal('source-git-mr-updated'),
  actor: actorSchema,
  mergeRequest: mergeRequestSnapshotSchema,
  oldrev: commitShaSchema.nullable(),
  changes: z.object({
    title: change(z.string()).optional(),
    description: change(z.string()).optional(),
    targetBranch: change(z.string()).optional(),
    draft: change(z.boolean()).optional(),
  }),
  otherChangedFields: z.array(z.string()),
});
export type SourceGitMrUpdated = z.infer<typeof sourceGitMrUpdatedSchema>;

/** A source-git MR was closed without merging. */
export const sourceGitMrClosedSchema = z.object({
  kind: z.literal('source-git-mr-closed'),
  actor: actorSchema,
  mergeRequest: mergeRequestSnapshotSchema,
});
export type SourceGitMrClosed = z.infer<typeof sourceGitMrClosedSchema>;

/** A closed source-git MR was reopened. */
export const sourceGitMrReopenedSchema = z.object({
  kind: z.literal('source-git-mr-reopened'),
  actor: actorSchema,
  mergeRequest: mergeRequestSnapshotSchema,
});
export type SourceGitMrReopened = z.infer<typeof sourceGitMrReopenedSchema>;

/** A source-git MR was merged; `mergeCommitSha` is `null` when the forge did not report it. */
export const sourceGitMrMergedSchema = z.object({
  kind: z.literal('source-git-mr-merged'),
  actor: actorSchema,
  mergeRequest: mergeRequestSnapshotSchema,
  mergeCommitSha: commitShaSchema.nullable(),
});
export type SourceGitMrMerged = z.infer<typeof sourceGitMrMergedSchema>;

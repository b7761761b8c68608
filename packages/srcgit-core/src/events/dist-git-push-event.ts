/**
 * @module
 * Commits were pushed to a branch of a dist-git project.
 */
import { z } from 'zod';
import { actorSchema, commitShaSchema, projectRefSchema } from './event-refs';

/**
 * A push to a branch. `before` is all zeros when the push created the branch. `commits` is the
 * forge's (possibly truncated) list of pushed commits, in no guaranteed order; `totalCommits` is
 * the real count. `headSha` is the new tip (`after`). Branch deletions and tag pushes are not
 * events.
 */
export const distGitPushedSchema = z.object({
  kind: z.literal('dist-git-pushed'),
  pusher: actorSchema,
  project: projectRefSchema,
  branch: z.string().min(1),
  before: commitShaSchema,
  after: commitShaSchema,
  headSha: commitShaSchema,
  branchCreated: z.boolean(),
  commits: z.array(
    z.object({
      sha: commitShaSchema,
      title: z.string(),
      authorName: z.string(),
      authorEmail: z.string(),
    }),
  ),
  totalCommits: z.number().int().nonnegative(),
});
export type DistGitPushed = z.infer<typeof distGitPushedSchema>;

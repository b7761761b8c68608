/**
 * @module
 * `Forge.listCommitStatuses` on GitLab.
 */
import type { ForgeCommitStatus, ProjectKey } from '@srcgit/core';
import { z } from 'zod';
import { restCommitStatusSchema } from '../schemas/rest-commit-status';
import type { ForgeContext } from './forge-context';
import { decode } from './forge-context';

/**
 * See `Forge.listCommitStatuses`. GitLab returns the newest status per name and ref (without
 * `all`); they are sorted newest first (by id, which GitLab allocates increasingly).
 */
export async function listCommitStatuses(
  context: ForgeContext,
  project: ProjectKey,
  sha: string,
  filter: { ref?: string; name?: string } = {},
): Promise<ForgeCommitStatus[]> {
  const statuses = decode(
    z.array(restCommitStatusSchema),
    await context.api.commits.allStatuses(project, sha, {
      ...(filter.ref === undefined ? {} : { ref: filter.ref }),
      ...(filter.name === undefined ? {} : { name: filter.name }),
    }),
    `GET /projects/${String(project)}/repository/commits/${sha}/statuses`,
  );
  return statuses
    .map((status) => ({
      id: status.id,
      sha: status.sha,
      ref: status.ref ?? null,
      name: status.name,
      status: status.status,
      targetUrl: status.target_url ?? null,
      description: status.description ?? null,
      authorUsername: status.author?.username ?? null,
      createdAt: status.created_at,
    }))
    .sort((a, b) => b.id - a.id);
}

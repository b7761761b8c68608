/**
 * @module
 * `Forge.listGroupMergeRequests` on GitLab: one page of `GET /groups/:id/merge_requests`.
 */
import type { ForgeMergeRequestPage, ListGroupMergeRequestsQuery } from '@srcgit/core';
import { z } from 'zod';
import { GitLabError } from '../gitlab-error';
import { restMergeRequestSchema } from '../schemas/rest-merge-request';
import type { ForgeContext } from './forge-context';
import { decode } from './forge-context';
import { toForgeMergeRequest } from './to-forge-records';

const listedMergeRequestSchema = restMergeRequestSchema.extend({
  references: z.object({ full: z.string().min(1) }),
});

/**
 * See `Forge.listGroupMergeRequests`. Oldest first (`order_by=created_at&sort=asc`), so that MRs
 * opened while a caller pages through the list land on later pages instead of shifting earlier
 * ones. The project path comes from `references.full` (`group/project!iid`).
 */
export async function listGroupMergeRequests(
  context: ForgeContext,
  group: string,
  query: ListGroupMergeRequestsQuery,
): Promise<ForgeMergeRequestPage> {
  const what = `GET /groups/${group}/merge_requests`;
  const { data, paginationInfo } = await context.api.mergeRequests.all({
    groupId: group,
    ...(query.state === 'all' ? {} : { state: query.state }),
    ...(query.authorUsername === undefined ? {} : { authorUsername: query.authorUsername }),
    orderBy: 'created_at',
    sort: 'asc',
    page: query.page,
    perPage: Math.min(Math.max(query.perPage, 1), 100),
    showExpanded: true,
  });
  const mergeRequests = decode(z.array(listedMergeRequestSchema), data, what).map((mr) => {
    const suffix = `!${mr.iid}`;
    if (!mr.references.full.endsWith(suffix)) {
      throw new GitLabError(
        'permanent',
        `GitLab answered ${what} with a reference "${mr.references.full}" that does not end in ${suffix}.`,
      );
    }
    return { ...toForgeMergeRequest(mr), projectPath: mr.references.full.slice(0, -suffix.length) };
  });
  return { mergeRequests, nextPage: paginationInfo.next ?? null };
}

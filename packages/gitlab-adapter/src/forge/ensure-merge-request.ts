/**
 * @module
 * `Forge.ensureMergeRequest` and `Forge.findMergeRequests` on GitLab.
 */
import { appendMarker, endsWithMarker } from '@srcgit/core';
import type {
  EnsureMergeRequestInput,
  EnsureMergeRequestResult,
  FindMergeRequestsQuery,
  ForgeMergeRequest,
  ProjectKey,
} from '@srcgit/core';
import { z } from 'zod';
import { GitLabError } from '../gitlab-error';
import { restMergeRequestSchema } from '../schemas/rest-merge-request';
import type { ForgeContext } from './forge-context';
import { decode } from './forge-context';
import { toForgeMergeRequest } from './to-forge-records';

/** See `Forge.findMergeRequests`. */
export async function findMergeRequests(
  context: ForgeContext,
  project: ProjectKey,
  query: FindMergeRequestsQuery = {},
): Promise<ForgeMergeRequest[]> {
  const listed = await context.api.mergeRequests.all({
    projectId: project,
    // No `state` means every state (GitLab's default).
    ...(query.state === undefined || query.state === 'all' ? {} : { state: query.state }),
    orderBy: 'created_at',
    sort: 'desc',
    perPage: 100,
    ...(query.sourceBranch === undefined ? {} : { sourceBranch: query.sourceBranch }),
    ...(query.targetBranch === undefined ? {} : { targetBranch: query.targetBranch }),
    ...(query.authorUsername === undefined ? {} : { authorUsername: query.authorUsername }),
  });
  return decode(z.array(restMergeRequestSchema), listed, `GET /projects/${String(project)}/merge_requests`)
    .map(toForgeMergeRequest)
    .filter((mr) => query.sourceProjectId === undefined || mr.sourceProjectId === query.sourceProjectId)
    .filter(
      (mr) => query.descriptionContains === undefined || mr.description.includes(query.descriptionContains),
    );
}

/**
 * See `Forge.ensureMergeRequest`. A merge request in another state is adopted only when the bot
 * opened it and the marker is its description's last line (`endsWithMarker`): a marker quoted in
 * someone else's MR, or anywhere but at the end, identifies nothing.
 */
export async function ensureMergeRequest(
  context: ForgeContext,
  input: EnsureMergeRequestInput,
): Promise<EnsureMergeRequestResult> {
  const [source, target, me] = await Promise.all([
    context.project(input.sourceProject),
    context.project(input.targetProject),
    context.currentUser(),
  ]);
  const existing = () =>
    findMergeRequests(context, target.id, { sourceBranch: input.sourceBranch, sourceProjectId: source.id });

  const carriesMarker = (mr: ForgeMergeRequest): boolean =>
    mr.authorUsername === me.username && endsWithMarker(mr.description, input.marker);
  const adoptable = (candidates: ForgeMergeRequest[]): ForgeMergeRequest | undefined =>
    candidates.find((mr) => mr.state === 'opened') ??
    ((input.adopt ?? 'any') === 'any' ? candidates.find(carriesMarker) : undefined);

  const found = adoptable(await existing());
  if (found) return { mergeRequest: found, outcome: 'found' };

  try {
    const created = await context.api.mergeRequests.create(
      source.id,
      input.sourceBranch,
      input.targetBranch,
      input.title,
      {
        targetProjectId: target.id,
        description: appendMarker(input.description, input.marker),
      },
    );
    const mergeRequest = toForgeMergeRequest(
      decode(restMergeRequestSchema, created, `POST /projects/${source.id}/merge_requests`),
    );
    return { mergeRequest, outcome: 'created' };
  } catch (error) {
    // "Another open merge request already exists for this source branch": adopt it.
    if (!(error instanceof GitLabError && error.kind === 'conflict')) throw error;
    const raced = (await existing()).find((mr) => mr.state === 'opened');
    if (raced === undefined) throw error;
    return { mergeRequest: raced, outcome: 'found' };
  }
}

/**
 * @module
 * `Forge.updateMergeRequest` on GitLab.
 */
import type { ForgeMergeRequest, ProjectKey, UpdateMergeRequestInput } from '@srcgit/core';
import { GitLabError } from '../gitlab-error';
import { restMergeRequestSchema } from '../schemas/rest-merge-request';
import type { ForgeContext } from './forge-context';
import { decode } from './forge-context';
import { toForgeMergeRequest } from './to-forge-records';

/** See `Forge.getMergeRequest`. */
export async function getMergeRequest(
  context: ForgeContext,
  project: ProjectKey,
  iid: number,
): Promise<ForgeMergeRequest> {
  const mr = await context.api.mergeRequests.show(project, iid);
  return toForgeMergeRequest(
    decode(restMergeRequestSchema, mr, `GET /projects/${String(project)}/merge_requests/${iid}`),
  );
}

/** See `Forge.updateMergeRequest`: only what differs is sent; closing a merged MR is a no-op. */
export async function updateMergeRequest(
  context: ForgeContext,
  project: ProjectKey,
  iid: number,
  changes: UpdateMergeRequestInput,
): Promise<ForgeMergeRequest> {
  const current = await getMergeRequest(context, project, iid);
  const edit: {
    title?: string;
    description?: string;
    targetBranch?: string;
    stateEvent?: 'close' | 'reopen';
  } = {};
  if (changes.title !== undefined && changes.title !== current.title) edit.title = changes.title;
  if (changes.description !== undefined && changes.description !== current.description) {
    edit.description = changes.description;
  }
  if (changes.targetBranch !== undefined && changes.targetBranch !== current.targetBranch) {
    edit.targetBranch = changes.targetBranch;
  }
  if (changes.state === 'closed' && current.state === 'opened') edit.stateEvent = 'close';
  if (changes.state === 'opened' && current.state !== 'opened') {
    if (current.state === 'merged') {
      throw new GitLabError('conflict', `Merge request ${current.webUrl} is merged and cannot be reopened.`);
    }
    edit.stateEvent = 'reopen';
  }
  if (Object.keys(edit).length === 0) return current;
  const updated = await context.api.mergeRequests.edit(project, iid, edit);
  return toForgeMergeRequest(
    decode(restMergeRequestSchema, updated, `PUT /projects/${String(project)}/merge_requests/${iid}`),
  );
}

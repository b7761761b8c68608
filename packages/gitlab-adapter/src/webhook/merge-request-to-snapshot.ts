/**
 * @module
 * Maps a webhook's merge request object onto core's forge-agnostic snapshot.
 */
import type { MergeRequestSnapshot } from '@srcgit/core';
import type { WebhookMergeRequest } from '../schemas/merge-request-hook';
import type { WebhookProject } from '../schemas/webhook-project';
import { withoutTrailingSlashes } from './without-trailing-slashes';

/**
 * The web address of merge request `iid` of the project at `webUrl` — what GitLab puts in a
 * merge request's `url`, for payloads that omit it.
 *
 * @example
 * mergeRequestWebUrl('https://gitlab.com/redhat/rpms/bash', 7) // → 'https://gitlab.com/redhat/rpms/bash/-/merge_requests/7'
 */
export function mergeRequestWebUrl(webUrl: string, iid: number): string {
  return `${withoutTrailingSlashes(webUrl)}/-/merge_requests/${iid}`;
}

/**
 * The snapshot of `mergeRequest`, which lives in `project` (the hook's project, the MR target);
 * a missing `url` is derived from the project's `web_url` and the `iid`.
 */
export function mergeRequestToSnapshot(
  mergeRequest: WebhookMergeRequest,
  project: WebhookProject,
): MergeRequestSnapshot {
  return {
    id: mergeRequest.id,
    iid: mergeRequest.iid,
    url: mergeRequest.url ?? mergeRequestWebUrl(project.web_url, mergeRequest.iid),
    title: mergeRequest.title,
    description: mergeRequest.description ?? '',
    state: mergeRequest.state,
    draft: mergeRequest.draft ?? mergeRequest.work_in_progress ?? false,
    project: { id: project.id, path: project.path_with_namespace, webUrl: project.web_url },
    sourceProject: {
      id: mergeRequest.source_project_id,
      path: mergeRequest.source.path_with_namespace,
      webUrl: mergeRequest.source.web_url,
    },
    sourceBranch: mergeRequest.source_branch,
    targetBranch: mergeRequest.target_branch,
    headSha: mergeRequest.last_commit.id,
  };
}

/**
 * @module
 * Maps a webhook's merge request object onto core's forge-agnostic snapshot.
 */
import type { MergeRequestSnapshot } from '@srcgit/core';
import type { WebhookMergeRequest } from '../schemas/merge-request-hook';
import type { WebhookProject } from '../schemas/webhook-project';

/** The snapshot of `mergeRequest`, which lives in `project` (the hook's project, the MR target). */
export function mergeRequestToSnapshot(
  mergeRequest: WebhookMergeRequest,
  project: WebhookProject,
): MergeRequestSnapshot {
  return {
    id: mergeRequest.id,
    iid: mergeRequest.iid,
    url: mergeRequest.url,
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

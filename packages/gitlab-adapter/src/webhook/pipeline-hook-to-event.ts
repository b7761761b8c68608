/**
 * @module
 * `Pipeline Hook` → the dist-git MR pipeline event.
 */
import type { PipelineHook } from '../schemas/pipeline-hook';
import type { WebhookParseResult } from './webhook-parse-result';

/**
 * Maps a validated `Pipeline Hook`. Every pipeline becomes an event (with `mergeRequest: null`
 * when GitLab tied it to none); the workflows decide which ones to report.
 */
export function pipelineHookToEvent(hook: PipelineHook): WebhookParseResult {
  const attributes = hook.object_attributes;
  const mr = hook.merge_request ?? null;
  return {
    kind: 'event',
    event: {
      kind: 'dist-git-mr-pipeline-changed',
      actor: hook.user ? { username: hook.user.username, id: hook.user.id ?? null } : null,
      pipeline: {
        id: attributes.id,
        iid: attributes.iid ?? null,
        project: {
          id: hook.project.id,
          path: hook.project.path_with_namespace,
          webUrl: hook.project.web_url,
        },
        url: attributes.url ?? `${hook.project.web_url}/-/pipelines/${attributes.id}`,
        status: attributes.status,
        detailedStatus: attributes.detailed_status ?? null,
        source: attributes.source,
        ref: attributes.ref,
        sha: attributes.sha,
      },
      mergeRequest:
        mr === null
          ? null
          : {
              id: mr.id,
              iid: mr.iid,
              url: mr.url,
              title: mr.title,
              state: mr.state,
              sourceProjectId: mr.source_project_id,
              sourceBranch: mr.source_branch,
              targetProjectId: mr.target_project_id,
              targetBranch: mr.target_branch,
            },
      inFork: mr !== null && hook.project.id !== mr.target_project_id,
      commit: hook.commit ? { sha: hook.commit.id, message: hook.commit.message } : null,
    },
  };
}

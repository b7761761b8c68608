/**
 * @module
 * `Pipeline Hook` → the dist-git MR pipeline event.
 */
import type { PipelineHook } from '../schemas/pipeline-hook';
import { mergeRequestWebUrl } from './merge-request-to-snapshot';
import type { WebhookParseResult } from './webhook-parse-result';

/**
 * Maps a validated `Pipeline Hook`. Every pipeline becomes an event (with `mergeRequest: null`
 * when GitLab tied it to none); the workflows decide which ones to report. A merge request
 * without `url` gets the one derived from the project's `web_url` when it targets the hook's
 * project; one that targets another project (a fork pipeline) needs its `url` ("unusable").
 */
export function pipelineHookToEvent(hook: PipelineHook): WebhookParseResult {
  const attributes = hook.object_attributes;
  const mr = hook.merge_request ?? null;
  let mrUrl: string | null = null;
  if (mr !== null) {
    mrUrl =
      mr.url ??
      (mr.target_project_id === hook.project.id ? mergeRequestWebUrl(hook.project.web_url, mr.iid) : null);
    if (mrUrl === null) {
      const message = 'required when the merge request targets another project than project.id';
      return {
        kind: 'unusable',
        message: `Pipeline Hook payload: merge_request.url: ${message}`,
        issues: [{ path: 'merge_request.url', message }],
      };
    }
  }
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
        mr === null || mrUrl === null
          ? null
          : {
              id: mr.id,
              iid: mr.iid,
              url: mrUrl,
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

import { restTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { JobStatus, SimCommitStatus, SimJob, SimPipeline } from '../sim-model';
import { projectUrls } from './project-json';
import { basicUserJson } from './user-json';

/** GitLab's status texts; `icon` only where it is not `status_<status>` (GitLab's `canceling`). */
const statusTexts: Readonly<Record<JobStatus, { text: string; label: string; icon?: string }>> = {
  created: { text: 'Created', label: 'created' },
  waiting_for_resource: { text: 'Waiting', label: 'waiting for resource' },
  preparing: { text: 'Preparing', label: 'preparing' },
  pending: { text: 'Pending', label: 'pending' },
  running: { text: 'Running', label: 'running' },
  success: { text: 'Passed', label: 'passed' },
  failed: { text: 'Failed', label: 'failed' },
  canceling: { text: 'Canceling', label: 'canceling', icon: 'status_canceled' },
  canceled: { text: 'Canceled', label: 'canceled' },
  skipped: { text: 'Skipped', label: 'skipped' },
  manual: { text: 'Manual', label: 'manual action' },
  scheduled: { text: 'Scheduled', label: 'scheduled' },
};

/** GitLab's `detailed_status` block for a pipeline or job in `status`. */
export function detailedStatusJson(status: JobStatus, detailsPath: string): Record<string, unknown> {
  const { text, label, icon = `status_${status}` } = statusTexts[status];
  return {
    icon,
    text,
    label,
    group: status,
    tooltip: label,
    has_details: true,
    details_path: detailsPath,
    illustration: null,
    favicon: `/assets/ci_favicons/favicon_${icon}.png`,
  };
}

export function pipelineWebUrl(ctx: SimContext, pipeline: SimPipeline): string {
  return `${projectUrls(ctx, ctx.state.requireProject(pipeline.projectId)).webUrl}/-/pipelines/${pipeline.id}`;
}

/** Pipelines in lists (`GET …/pipelines`, `GET …/merge_requests/:iid/pipelines`, `pipeline` of an MR). */
export function basicPipelineJson(ctx: SimContext, pipeline: SimPipeline): Record<string, unknown> {
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: pipeline.projectId,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status: pipeline.status,
    source: pipeline.source,
    created_at: restTime(pipeline.createdAt),
    updated_at: restTime(pipeline.updatedAt),
    web_url: pipelineWebUrl(ctx, pipeline),
  };
}

export function durationSeconds(start: number | null, end: number | null): number | null {
  return start === null || end === null ? null : Math.round((end - start) / 1000);
}

/** A single pipeline (`GET /projects/:id/pipelines/:id`, create, retry, `head_pipeline`). */
export function pipelineJson(ctx: SimContext, pipeline: SimPipeline): Record<string, unknown> {
  const webUrl = pipelineWebUrl(ctx, pipeline);
  const user = ctx.state.users.get(pipeline.userId);
  return {
    ...basicPipelineJson(ctx, pipeline),
    before_sha: pipeline.beforeSha,
    tag: pipeline.tag,
    yaml_errors: pipeline.yamlErrors,
    user: user === undefined ? null : basicUserJson(ctx, user),
    started_at: restTime(pipeline.startedAt),
    finished_at: restTime(pipeline.finishedAt),
    committed_at: null,
    duration: durationSeconds(pipeline.startedAt, pipeline.finishedAt),
    queued_duration: durationSeconds(pipeline.createdAt, pipeline.startedAt),
    coverage: null,
    name: null,
    archived: false,
    detailed_status: detailedStatusJson(pipeline.status, new URL(webUrl).pathname),
  };
}

/** A commit status (`POST /projects/:id/statuses/:sha`, `GET …/commits/:sha/statuses`). */
export function commitStatusJson(ctx: SimContext, status: SimCommitStatus): Record<string, unknown> {
  return {
    id: status.id,
    sha: status.sha,
    ref: status.ref,
    status: status.status,
    name: status.name,
    target_url: status.targetUrl,
    description: status.description,
    created_at: restTime(status.createdAt),
    started_at: restTime(status.startedAt),
    finished_at: restTime(status.finishedAt),
    allow_failure: status.allowFailure,
    coverage: status.coverage,
    pipeline_id: status.pipelineId,
    author: basicUserJson(ctx, ctx.state.requireUser(status.authorId)),
  };
}

export function jobWebUrl(ctx: SimContext, pipeline: SimPipeline, job: SimJob): string {
  return `${projectUrls(ctx, ctx.state.requireProject(pipeline.projectId)).webUrl}/-/jobs/${job.id}`;
}

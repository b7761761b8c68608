import { hookTime } from '../gitlab-time';
import { detailedMergeStatus, mergeRequestWebUrl } from '../rest/merge-request-json';
import { durationSeconds, pipelineWebUrl } from '../rest/pipeline-json';
import type { SimContext } from '../sim-context';
import type { SimJob, SimPipeline } from '../sim-model';
import { hookCommit, hookProjectCore, hookUser } from './hook-blocks';

function jobPayload(ctx: SimContext, pipeline: SimPipeline, job: SimJob): Record<string, unknown> {
  const user = ctx.state.users.get(pipeline.userId);
  const started = job.startedAt !== null;
  return {
    id: job.id,
    stage: job.stage,
    name: job.name,
    status: job.status,
    created_at: hookTime(job.createdAt),
    started_at: hookTime(job.startedAt),
    finished_at: hookTime(job.finishedAt),
    duration: durationSeconds(job.startedAt, job.finishedAt),
    queued_duration: durationSeconds(job.createdAt, job.startedAt),
    failure_reason: job.status === 'failed' ? 'script_failure' : null,
    when: job.when,
    manual: job.when === 'manual',
    allow_failure: job.allowFailure,
    user: user === undefined ? null : hookUser(user),
    runner: started
      ? {
          id: 1,
          description: 'srcgit GitLab simulator runner',
          runner_type: 'instance_type',
          active: true,
          is_shared: true,
          tags: [],
        }
      : null,
    artifacts_file:
      job.artifacts && job.finishedAt !== null && job.status !== 'canceled' && job.status !== 'skipped'
        ? { filename: 'artifacts.zip', size: 1024 }
        : { filename: null, size: null },
    environment: null,
  };
}

/** A `Pipeline Hook` payload, as the hooks of the pipeline's project receive it. */
export async function pipelineHookPayload(
  ctx: SimContext,
  pipeline: SimPipeline,
): Promise<Record<string, unknown>> {
  const project = ctx.state.requireProject(pipeline.projectId);
  const mr =
    pipeline.mergeRequestId === null ? undefined : ctx.state.mergeRequests.get(pipeline.mergeRequestId);
  const commit = await ctx.git.commit(project.repoDir, pipeline.sha);
  const user = ctx.state.users.get(pipeline.userId);
  return {
    object_kind: 'pipeline',
    object_attributes: {
      id: pipeline.id,
      iid: pipeline.iid,
      name: null,
      ref: pipeline.sourceRef,
      tag: pipeline.tag,
      sha: pipeline.sha,
      before_sha: pipeline.beforeSha,
      source: pipeline.source,
      status: pipeline.status,
      detailed_status: pipeline.status === 'success' ? 'passed' : pipeline.status,
      stages: [...pipeline.stages],
      created_at: hookTime(pipeline.createdAt),
      finished_at: hookTime(pipeline.finishedAt),
      duration: durationSeconds(pipeline.startedAt, pipeline.finishedAt),
      queued_duration: durationSeconds(pipeline.createdAt, pipeline.startedAt),
      variables: [],
      url: pipelineWebUrl(ctx, pipeline),
    },
    merge_request:
      mr === undefined
        ? null
        : {
            id: mr.id,
            iid: mr.iid,
            title: mr.title,
            source_branch: mr.sourceBranch,
            source_project_id: mr.sourceProjectId,
            target_branch: mr.targetBranch,
            target_project_id: mr.projectId,
            state: mr.state,
            merge_status: mr.mergeStatus,
            detailed_merge_status: detailedMergeStatus(mr),
            url: mergeRequestWebUrl(ctx, mr),
          },
    user: user === undefined ? null : hookUser(user),
    project: hookProjectCore(ctx, project),
    commit: commit === undefined ? null : hookCommit(ctx, project, commit),
    source_pipeline: null,
    builds: pipeline.jobs.map((job) => jobPayload(ctx, pipeline, job)),
  };
}

import { randomUUID } from 'node:crypto';
import { AccessLevel } from './access-level';
import { planPipeline, type CiContext } from './ci-config';
import { ZERO_SHA } from './git-store';
import type { Actor, SimContext } from './sim-context';
import {
  finishedStatuses,
  type JobStatus,
  type PipelineSource,
  type SimJob,
  type SimMergeRequest,
  type SimPipeline,
  type SimProject,
  type SimUser,
} from './sim-model';
import { forbidden, GitLabSimulatorError } from './simulator-error';
import { pipelineHookPayload } from './webhooks/pipeline-hook';

/** The CI configuration a pipeline of `project` at `sha` uses, if there is one. */
export async function readCiConfig(
  ctx: SimContext,
  project: SimProject,
  sha: string,
): Promise<string | undefined> {
  const configured = project.ciConfigPath ?? '';
  const at = configured.indexOf('@');
  if (at >= 0) {
    const [projectPath = '', ref] = configured.slice(at + 1).split(':');
    const other = ctx.state.projectByRef(projectPath);
    if (other === undefined) return undefined;
    const blob = await ctx.git.readFile(other.repoDir, ref ?? other.defaultBranch, configured.slice(0, at));
    return blob?.content.toString('utf8');
  }
  const blob = await ctx.git.readFile(
    project.repoDir,
    sha,
    configured === '' ? '.gitlab-ci.yml' : configured,
  );
  return blob?.content.toString('utf8');
}

export interface PipelineRequest {
  readonly project: SimProject;
  readonly sha: string;
  readonly beforeSha: string;
  readonly ref: string;
  readonly sourceRef: string;
  readonly tag: boolean;
  readonly source: PipelineSource;
  readonly user: SimUser;
  readonly mergeRequest?: SimMergeRequest;
  readonly mergedResultOf?: string;
  readonly eventUuid: string;
}

/**
 * Creates a pipeline if the CI configuration yields one for this source, fires its first
 * Pipeline Hook and, with `pipelineAutoRun`, lets it run by itself. Returns `undefined` when the
 * configuration (or its absence) yields no pipeline.
 */
export async function createPipeline(
  ctx: SimContext,
  request: PipelineRequest,
): Promise<SimPipeline | undefined> {
  const { project } = request;
  const config = await readCiConfig(ctx, project, request.sha);
  if (config === undefined) return undefined;
  const mr = request.mergeRequest;
  const context: CiContext = {
    source: request.source,
    defaultBranch: project.defaultBranch,
    projectPath: ctx.state.projectFullPath(project),
    ...(mr === undefined
      ? request.tag
        ? { tag: request.sourceRef }
        : { branch: request.sourceRef }
      : { mergeRequest: { iid: mr.iid, sourceBranch: mr.sourceBranch, targetBranch: mr.targetBranch } }),
  };
  const plan = planPipeline(config, context);
  if (plan.kind === 'none') return undefined;
  const now = ctx.now();
  const jobs: SimJob[] =
    plan.kind === 'pipeline'
      ? plan.jobs.map((job) => ({
          id: ctx.state.nextId('job'),
          name: job.name,
          stage: job.stage,
          status: job.when === 'manual' ? 'manual' : 'pending',
          allowFailure: job.allowFailure,
          when: job.when,
          artifacts: job.artifacts,
          createdAt: now,
          startedAt: null,
          finishedAt: null,
        }))
      : [];
  const invalid = plan.kind === 'invalid';
  const pipeline: SimPipeline = {
    id: ctx.state.nextId('pipeline'),
    iid: project.nextPipelineIid++,
    projectId: project.id,
    sha: request.sha,
    beforeSha: request.beforeSha,
    ref: request.ref,
    sourceRef: request.sourceRef,
    tag: request.tag,
    status: invalid ? 'failed' : 'pending',
    source: request.source,
    userId: request.user.id,
    mergeRequestId: mr?.id ?? null,
    mergedResultOf: request.mergedResultOf ?? null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: invalid ? now : null,
    jobs,
    stages: plan.kind === 'pipeline' ? plan.stages : [],
    yamlErrors: invalid ? plan.error : null,
  };
  ctx.state.pipelines.set(pipeline.id, pipeline);
  await firePipelineHook(ctx, pipeline, request.eventUuid);
  scheduleAutoRun(ctx, pipeline);
  return pipeline;
}

/**
 * `POST /projects/:id/merge_requests/:iid/pipelines`, and the pipeline GitLab creates when a merge
 * request opens or its source branch moves. `inTarget`: run in the target project (a member of
 * the target starting it for a fork MR); otherwise it runs in the source project (a fork's MR
 * pipelines run in the fork by default). In the target, a project with `mergedResultsPipelines`
 * runs on a merge commit of source into target.
 */
export async function createMergeRequestPipeline(
  ctx: SimContext,
  mr: SimMergeRequest,
  actor: Actor,
  options: { inTarget: boolean; source?: PipelineSource },
): Promise<SimPipeline | undefined> {
  const target = ctx.state.requireProject(mr.projectId);
  const source = ctx.state.requireProject(mr.sourceProjectId);
  const project = options.inTarget ? target : source;
  if (options.inTarget && ctx.state.projectAccess(actor.user, target) < AccessLevel.developer)
    throw forbidden();
  const common = {
    project,
    sourceRef: mr.sourceBranch,
    tag: false,
    source: options.source ?? ('merge_request_event' as const),
    user: actor.user,
    mergeRequest: mr,
    eventUuid: actor.eventUuid,
  };
  if (project.id === target.id && target.mergedResultsPipelines) {
    const targetHead = await ctx.git.branchHead(target.repoDir, mr.targetBranch);
    const fullRef = `${ctx.state.projectFullPath(target)}!${mr.iid}`;
    const message = `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${fullRef}`;
    const merge =
      targetHead === undefined
        ? undefined
        : await ctx.git.mergeCommit(
            target.repoDir,
            targetHead,
            mr.sha,
            message,
            identityOf(actor.user),
            undefined,
          );
    if (merge !== undefined) {
      await ctx.git.updateRef(target.repoDir, `refs/merge-requests/${mr.iid}/merge`, merge);
      return createPipeline(ctx, {
        ...common,
        sha: merge,
        beforeSha: merge,
        ref: `refs/merge-requests/${mr.iid}/merge`,
        mergedResultOf: mr.sha,
      });
    }
  }
  if (project.id !== source.id) {
    await ctx.git.fetchCommit(source.repoDir, project.repoDir, mr.sha, `refs/merge-requests/${mr.iid}/head`);
  }
  return createPipeline(ctx, {
    ...common,
    sha: mr.sha,
    beforeSha: ZERO_SHA,
    ref: `refs/merge-requests/${mr.iid}/head`,
  });
}

export function identityOf(user: SimUser): { name: string; email: string } {
  return { name: user.name, email: user.email };
}

/**
 * Moves a pipeline (and its jobs) to `status`, like a runner would, and fires a Pipeline Hook.
 * Setting the status it already has does nothing.
 */
export async function setPipelineStatus(
  ctx: SimContext,
  pipeline: SimPipeline,
  status: JobStatus,
  eventUuid: string = randomUUID(),
): Promise<void> {
  if (pipeline.status === status) return;
  const now = ctx.now();
  const open = pipeline.jobs.filter((job) => !finishedStatuses.has(job.status));
  const start = (job: SimJob): void => {
    job.startedAt ??= now;
  };
  const finish = (job: SimJob, jobStatus: JobStatus): void => {
    if (jobStatus !== 'skipped' && jobStatus !== 'canceled') start(job);
    job.status = jobStatus;
    job.finishedAt = now;
  };
  switch (status) {
    case 'running':
      for (const job of open) {
        if (job.status === 'manual') continue;
        job.status = 'running';
        start(job);
      }
      pipeline.startedAt ??= now;
      break;
    case 'success':
      for (const job of open) finish(job, 'success');
      break;
    case 'failed': {
      const [first, ...rest] = open.length > 0 ? open : pipeline.jobs.slice(-1);
      if (first !== undefined) finish(first, 'failed');
      for (const job of rest) finish(job, 'skipped');
      break;
    }
    case 'canceling':
      // Running jobs are being stopped; jobs that had not started are canceled at once.
      for (const job of open) {
        if (job.status === 'running') job.status = 'canceling';
        else finish(job, 'canceled');
      }
      break;
    case 'canceled':
    case 'skipped':
      for (const job of open) finish(job, status);
      break;
    default:
      for (const job of pipeline.jobs) {
        job.status = status;
        job.startedAt = null;
        job.finishedAt = null;
      }
  }
  if (finishedStatuses.has(status)) {
    pipeline.startedAt ??= now;
    pipeline.finishedAt = now;
  } else if (status !== 'running') {
    pipeline.finishedAt = null;
  }
  pipeline.status = status;
  pipeline.updatedAt = now;
  await firePipelineHook(ctx, pipeline, eventUuid);
}

/** `POST /projects/:id/pipelines/:id/retry`: failed and canceled jobs run again. */
export async function retryPipeline(ctx: SimContext, pipeline: SimPipeline, actor: Actor): Promise<void> {
  const project = ctx.state.requireProject(pipeline.projectId);
  if (ctx.state.projectAccess(actor.user, project) < AccessLevel.developer) throw forbidden();
  const retryable = pipeline.jobs.filter((job) => ['failed', 'canceled', 'skipped'].includes(job.status));
  if (retryable.length === 0 && pipeline.source !== 'external') {
    throw new GitLabSimulatorError('invalid-transition', 'No job to retry', {
      http: { status: 400, body: { message: '400 Bad request - No job to retry' } },
    });
  }
  const now = ctx.now();
  for (const job of retryable) {
    job.status = 'pending';
    job.startedAt = null;
    job.finishedAt = null;
  }
  pipeline.status = 'pending';
  pipeline.finishedAt = null;
  pipeline.updatedAt = now;
  await firePipelineHook(ctx, pipeline, actor.eventUuid);
  scheduleAutoRun(ctx, pipeline);
}

async function firePipelineHook(ctx: SimContext, pipeline: SimPipeline, eventUuid: string): Promise<void> {
  const project = ctx.state.requireProject(pipeline.projectId);
  await ctx.webhooks.fire(project, 'pipeline', () => pipelineHookPayload(ctx, pipeline), eventUuid);
}

function scheduleAutoRun(ctx: SimContext, pipeline: SimPipeline): void {
  const auto = ctx.settings.pipelineAutoRun;
  if (auto === false || pipeline.status !== 'pending') return;
  ctx.background.schedule(auto.stepMs, async () => {
    if (pipeline.status !== 'pending') return;
    await setPipelineStatus(ctx, pipeline, 'running');
    ctx.background.schedule(auto.stepMs, async () => {
      if (pipeline.status === 'running') await setPipelineStatus(ctx, pipeline, auto.result);
    });
  });
}

/**
 * The status GitLab derives for a pipeline from its jobs (or a commit-status pipeline from its
 * statuses), ignoring failures that are allowed.
 */
export function compositeStatus(
  statuses: readonly { status: JobStatus; allowFailure: boolean }[],
): JobStatus {
  if (statuses.length === 0) return 'created';
  const all = (wanted: readonly JobStatus[]): boolean =>
    statuses.every((entry) => wanted.includes(entry.status));
  const any = (wanted: JobStatus): boolean => statuses.some((entry) => entry.status === wanted);
  if (all(['success', 'failed', 'canceled', 'skipped'])) {
    if (statuses.some((entry) => entry.status === 'failed' && !entry.allowFailure)) return 'failed';
    if (any('canceled')) return 'canceled';
    if (all(['skipped'])) return 'skipped';
    return 'success';
  }
  if (any('canceling')) return 'canceling';
  if (any('running')) return 'running';
  if (any('pending'))
    return statuses.some((entry) => finishedStatuses.has(entry.status)) ? 'running' : 'pending';
  if (any('manual')) return 'manual';
  return 'created';
}

/** The external pipeline commit statuses of (project, sha, ref) belong to, created on first use. */
export function externalPipeline(
  ctx: SimContext,
  project: SimProject,
  sha: string,
  ref: string,
  user: SimUser,
): SimPipeline {
  for (const pipeline of ctx.state.pipelines.values()) {
    if (
      pipeline.projectId === project.id &&
      pipeline.sha === sha &&
      pipeline.ref === ref &&
      pipeline.source === 'external'
    ) {
      return pipeline;
    }
  }
  const now = ctx.now();
  const pipeline: SimPipeline = {
    id: ctx.state.nextId('pipeline'),
    iid: project.nextPipelineIid++,
    projectId: project.id,
    sha,
    beforeSha: ZERO_SHA,
    ref,
    sourceRef: ref,
    tag: false,
    status: 'created',
    source: 'external',
    userId: user.id,
    mergeRequestId: null,
    mergedResultOf: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    jobs: [],
    stages: ['external'],
    yamlErrors: null,
  };
  ctx.state.pipelines.set(pipeline.id, pipeline);
  return pipeline;
}

/** Recomputes an external pipeline's status from its latest commit statuses; fires a hook on change. */
export async function refreshExternalPipeline(
  ctx: SimContext,
  pipeline: SimPipeline,
  eventUuid: string,
): Promise<void> {
  const latest = new Map<string, { status: JobStatus; allowFailure: boolean; id: number }>();
  for (const status of ctx.state.commitStatuses.values()) {
    if (status.pipelineId !== pipeline.id) continue;
    const existing = latest.get(status.name);
    if (existing === undefined || status.id > existing.id) latest.set(status.name, status);
  }
  const status = compositeStatus([...latest.values()]);
  if (status === pipeline.status) return;
  const now = ctx.now();
  if (status === 'running') pipeline.startedAt ??= now;
  pipeline.finishedAt = finishedStatuses.has(status) ? now : null;
  pipeline.status = status;
  pipeline.updatedAt = now;
  await firePipelineHook(ctx, pipeline, eventUuid);
}

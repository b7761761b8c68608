import type { Hono } from 'hono';
import { AccessLevel } from '../access-level';
import { retryPipeline, setPipelineStatus } from '../pipelines';
import type { SimContext } from '../sim-context';
import { finishedStatuses, type SimPipeline, type SimProject } from '../sim-model';
import { forbidden } from '../simulator-error';
import { actorOf, projectParam, recordNotFound } from './lookups';
import { paginate } from './paginate';
import { basicPipelineJson, detailedStatusJson, jobWebUrl, pipelineJson } from './pipeline-json';
import { stringParam } from './request-params';
import type { RestContext, RestEnv } from './rest-env';
import { restTime } from '../gitlab-time';

function pipelineParam(ctx: SimContext, c: RestContext, project: SimProject): SimPipeline {
  const pipeline = ctx.state.pipelines.get(Number(c.req.param('pipeline_id')));
  if (pipeline?.projectId !== project.id) throw recordNotFound();
  return pipeline;
}

export function registerPipelineRoutes(app: Hono<RestEnv>, ctx: SimContext): void {
  app.get('/projects/:id/pipelines', (c) => {
    const project = projectParam(ctx, c);
    const params = c.get('params');
    const ref = stringParam(params, 'ref');
    const sha = stringParam(params, 'sha');
    const status = stringParam(params, 'status');
    const source = stringParam(params, 'source');
    const pipelines = [...ctx.state.pipelines.values()]
      .filter(
        (pipeline) =>
          pipeline.projectId === project.id &&
          (ref === undefined || pipeline.ref === ref) &&
          (sha === undefined || pipeline.sha === sha) &&
          (status === undefined || pipeline.status === status) &&
          (source === undefined || pipeline.source === source),
      )
      .sort((a, b) => b.id - a.id);
    return c.json(paginate(c, pipelines).map((pipeline) => basicPipelineJson(ctx, pipeline)));
  });

  app.get('/projects/:id/pipelines/:pipeline_id', (c) => {
    const project = projectParam(ctx, c);
    return c.json(pipelineJson(ctx, pipelineParam(ctx, c, project)));
  });

  app.get('/projects/:id/pipelines/:pipeline_id/jobs', (c) => {
    const project = projectParam(ctx, c);
    const pipeline = pipelineParam(ctx, c, project);
    return c.json(
      paginate(c, pipeline.jobs).map((job) => ({
        id: job.id,
        status: job.status,
        stage: job.stage,
        name: job.name,
        ref: pipeline.ref,
        tag: pipeline.tag,
        allow_failure: job.allowFailure,
        created_at: restTime(job.createdAt),
        started_at: restTime(job.startedAt),
        finished_at: restTime(job.finishedAt),
        web_url: jobWebUrl(ctx, pipeline, job),
        pipeline: basicPipelineJson(ctx, pipeline),
        detailed_status: detailedStatusJson(job.status, new URL(jobWebUrl(ctx, pipeline, job)).pathname),
      })),
    );
  });

  app.post('/projects/:id/pipelines/:pipeline_id/retry', async (c) => {
    const project = projectParam(ctx, c);
    const pipeline = pipelineParam(ctx, c, project);
    await retryPipeline(ctx, pipeline, actorOf(c));
    return c.json(pipelineJson(ctx, pipeline), 201);
  });

  app.post('/projects/:id/pipelines/:pipeline_id/cancel', async (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    if (ctx.state.projectAccess(actor.user, project) < AccessLevel.developer) throw forbidden();
    const pipeline = pipelineParam(ctx, c, project);
    if (!finishedStatuses.has(pipeline.status))
      await setPipelineStatus(ctx, pipeline, 'canceled', actor.eventUuid);
    return c.json(pipelineJson(ctx, pipeline));
  });
}

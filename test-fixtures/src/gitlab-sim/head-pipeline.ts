import type { SimContext } from './sim-context';
import type { SimMergeRequest, SimPipeline } from './sim-model';

/** The merge request's head pipeline: the newest pipeline for its current head. */
export function headPipelineOf(ctx: SimContext, mr: SimMergeRequest): SimPipeline | undefined {
  let head: SimPipeline | undefined;
  for (const pipeline of ctx.state.pipelines.values()) {
    const forThisMr =
      pipeline.mergeRequestId === mr.id && (pipeline.sha === mr.sha || pipeline.mergedResultOf === mr.sha);
    const forSourceBranch =
      pipeline.mergeRequestId === null &&
      pipeline.projectId === mr.sourceProjectId &&
      pipeline.sourceRef === mr.sourceBranch &&
      pipeline.sha === mr.sha;
    if ((forThisMr || forSourceBranch) && (head === undefined || pipeline.id > head.id)) head = pipeline;
  }
  return head;
}

/** Pipelines of a merge request, newest first (detached, merged-results, in the fork or the target). */
export function mergeRequestPipelines(ctx: SimContext, mr: SimMergeRequest): SimPipeline[] {
  return [...ctx.state.pipelines.values()]
    .filter((pipeline) => pipeline.mergeRequestId === mr.id)
    .sort((a, b) => b.id - a.id);
}

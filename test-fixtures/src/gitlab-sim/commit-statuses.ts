import { AccessLevel } from './access-level';
import { externalPipeline, refreshExternalPipeline } from './pipelines';
import type { Actor, SimContext } from './sim-context';
import { finishedStatuses, type JobStatus, type SimCommitStatus, type SimProject } from './sim-model';
import { badParameter, forbidden, GitLabSimulatorError, notFound } from './simulator-error';

export const commitStatusStates = ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'] as const;
export type CommitStatusState = (typeof commitStatusStates)[number];

export interface CommitStatusInput {
  readonly state: CommitStatusState;
  readonly ref?: string;
  /** `name` or `context`; default `default`. */
  readonly name?: string;
  readonly targetUrl?: string;
  readonly description?: string;
  readonly coverage?: number;
  readonly pipelineId?: number;
}

/** The state-machine event each requested state fires, as GitLab names it in its errors. */
const transitionEvent: Readonly<Record<CommitStatusState, string>> = {
  pending: 'enqueue',
  running: 'run',
  success: 'succeed',
  failed: 'drop',
  canceled: 'cancel',
  skipped: 'skip',
};

/** Which states each event may leave (GitLab's `CommitStatus` state machine). */
const allowedFrom: Readonly<Record<string, readonly JobStatus[]>> = {
  enqueue: ['created', 'waiting_for_resource', 'preparing', 'skipped', 'manual', 'scheduled'],
  run: ['created', 'pending', 'waiting_for_resource', 'preparing'],
  succeed: ['created', 'pending', 'running', 'waiting_for_resource', 'preparing', 'manual', 'scheduled'],
  drop: ['created', 'pending', 'running', 'waiting_for_resource', 'preparing', 'manual', 'scheduled'],
  cancel: ['created', 'pending', 'running', 'waiting_for_resource', 'preparing', 'manual', 'scheduled'],
  skip: ['created', 'pending', 'waiting_for_resource', 'preparing', 'manual', 'scheduled'],
};

/**
 * `POST /projects/:id/statuses/:sha` with GitLab's rules: Developer+ on the project (403), the
 * commit must be in the project (404 `Commit`), a ref is needed — given, or a branch that
 * contains the sha (404 `References for commit`; tags do not count). The latest status with the same name and ref is
 * updated while it is unfinished, else a new one is created; a transition the state machine does
 * not allow (pending again, running again) is a 400 `Cannot transition status via :enqueue from :pending`.
 */
export async function createCommitStatus(
  ctx: SimContext,
  actor: Actor,
  project: SimProject,
  sha: string,
  input: CommitStatusInput,
): Promise<SimCommitStatus> {
  if (!ctx.state.canSeeProject(actor.user, project)) throw notFound('Project');
  if (ctx.state.projectAccess(actor.user, project) < AccessLevel.developer) throw forbidden();
  if (!(commitStatusStates as readonly string[]).includes(input.state)) {
    throw badParameter('state does not have a valid value');
  }
  const commit = await ctx.git.resolveCommit(project.repoDir, sha);
  if (commit === undefined) throw notFound('Commit');
  const requestedPipeline =
    input.pipelineId === undefined ? undefined : ctx.state.pipelines.get(input.pipelineId);
  let ref = input.ref ?? requestedPipeline?.ref;
  if (ref === undefined) {
    ref = (await ctx.git.refsContaining(project.repoDir, commit)).branches[0];
  }
  if (ref === undefined) throw notFound('References for commit');
  const name = input.name ?? 'default';
  const pipeline =
    requestedPipeline !== undefined &&
    requestedPipeline.projectId === project.id &&
    requestedPipeline.sha === commit
      ? requestedPipeline
      : externalPipeline(ctx, project, commit, ref, actor.user);
  let current: SimCommitStatus | undefined;
  for (const status of ctx.state.commitStatuses.values()) {
    if (status.pipelineId === pipeline.id && status.name === name && status.ref === ref) {
      if (current === undefined || status.id > current.id) current = status;
    }
  }
  const now = ctx.now();
  if (current === undefined || finishedStatuses.has(current.status)) {
    current = {
      id: ctx.state.nextId('job'),
      projectId: project.id,
      pipelineId: pipeline.id,
      sha: commit,
      ref,
      name,
      status: 'created',
      targetUrl: null,
      description: null,
      coverage: null,
      allowFailure: false,
      authorId: actor.user.id,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    };
  }
  const event = transitionEvent[input.state];
  if (!(allowedFrom[event] ?? []).includes(current.status)) {
    const message = `Cannot transition status via :${event} from :${current.status} (Reason(s): Status cannot transition via "${event}")`;
    throw new GitLabSimulatorError('invalid-transition', message, { http: { status: 400 } });
  }
  current.status = input.state;
  if (input.targetUrl !== undefined) current.targetUrl = input.targetUrl;
  if (input.description !== undefined) current.description = input.description;
  if (input.coverage !== undefined) current.coverage = input.coverage;
  if (input.state === 'running') current.startedAt ??= now;
  if (finishedStatuses.has(input.state)) current.finishedAt = now;
  ctx.state.commitStatuses.set(current.id, current);
  await refreshExternalPipeline(ctx, pipeline, actor.eventUuid);
  return current;
}

/** `GET …/repository/commits/:sha/statuses`: by default only the latest per name and ref. */
export function listCommitStatuses(
  ctx: SimContext,
  project: SimProject,
  sha: string,
  filter: { ref?: string; name?: string; all?: boolean },
): SimCommitStatus[] {
  const matching = [...ctx.state.commitStatuses.values()]
    .filter(
      (status) =>
        status.projectId === project.id &&
        status.sha === sha &&
        (filter.ref === undefined || status.ref === filter.ref) &&
        (filter.name === undefined || status.name === filter.name),
    )
    .sort((a, b) => a.id - b.id);
  if (filter.all === true) return matching;
  const latest = new Map<string, SimCommitStatus>();
  for (const status of matching) latest.set(`${status.name}\n${status.ref}`, status);
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

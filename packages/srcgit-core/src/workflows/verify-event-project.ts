/**
 * @module
 * `verifyEventProject`: the check, before any workflow acts on an event, that the numeric project
 * id the event carries is the project its path names.
 */
import type { DomainEvent } from '../events/domain-event';
import type { ProjectRef } from '../events/event-refs';
import type { Forge } from '../forge/forge';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest } from '../forge/forge-types';
import type { CoreLogger } from './workflow-deps';

/** The reason logged (and reported by the worker) for an event whose project does not check out. */
export const UNVERIFIED_PROJECT = 'unverified-project';

/** What {@link verifyEventProject} found. */
export type EventProjectVerdict =
  | { readonly verified: true }
  | { readonly verified: false; readonly reason: typeof UNVERIFIED_PROJECT; readonly detail: string };

/** What {@link verifyEventProject} needs. */
export interface VerifyEventProjectDeps {
  readonly forge: Forge;
  readonly logger: CoreLogger;
}

const verified: EventProjectVerdict = { verified: true };

/**
 * Checks an event's project against the forge before anything acts on it. A webhook token is
 * bound to the project's path (`path_with_namespace`), but the workflows act by numeric id: a
 * forger holding a token for one namespace could otherwise send a self-consistent payload whose
 * paths all name their own project while every id is a victim's. So:
 * - the project the event names (the MR's target project; the pushed project; the pipeline's
 *   project) is read by its id, and its path must be the event's path;
 * - for merge request events and comment commands, the MR read by (project id, iid) must come
 *   from the source project the event names;
 * - for a pipeline, the MR it names (which may live in the parent of a fork the pipeline ran in)
 *   is only a trigger: read by (target project id, iid), it must live in or come from the
 *   pipeline's project; the report then re-reads everything it acts on.
 *
 * A project the bot cannot read by that id does not check out either. An MR the forge does not
 * have is left for the workflows, which already treat it as not-found. A mismatch is logged
 * (`reason: 'unverified-project'`) and the event must be ignored: nothing is written to the forge.
 *
 * @example
 * ```ts
 * const verdict = await verifyEventProject(event, deps);
 * if (!verdict.verified) return { kind: 'unsupported', reason: verdict.reason };
 * ```
 */
export async function verifyEventProject(
  event: DomainEvent,
  deps: VerifyEventProjectDeps,
): Promise<EventProjectVerdict> {
  const verdict = await check(event, deps.forge);
  if (!verdict.verified) {
    deps.logger.warn(`event ignored: ${verdict.detail}`, {
      reason: verdict.reason,
      kind: event.kind,
      detail: verdict.detail,
    });
  }
  return verdict;
}

async function check(event: DomainEvent, forge: Forge): Promise<EventProjectVerdict> {
  switch (event.kind) {
    case 'source-git-mr-opened':
    case 'source-git-mr-updated':
    case 'source-git-mr-closed':
    case 'source-git-mr-reopened':
    case 'source-git-mr-merged':
    case 'comment-command-issued': {
      const { project, sourceProject, iid } = event.mergeRequest;
      const projectVerdict = await checkProjectPath(forge, project, 'the merge request’s project');
      if (!projectVerdict.verified) return projectVerdict;
      const mr = await readMergeRequest(forge, project.id, iid);
      if (mr === null || mr.sourceProjectId === sourceProject.id) return verified;
      return unverified(
        `merge request !${iid} of ${project.path} comes from project ${mr.sourceProjectId}, the event says ${sourceProject.id} (${sourceProject.path})`,
      );
    }
    case 'dist-git-pushed':
      return checkProjectPath(forge, event.project, 'the pushed project');
    case 'dist-git-mr-pipeline-changed': {
      const { pipeline, mergeRequest } = event;
      const projectVerdict = await checkProjectPath(forge, pipeline.project, 'the pipeline’s project');
      if (!projectVerdict.verified || mergeRequest === null) return projectVerdict;
      const mr = await readMergeRequest(forge, mergeRequest.targetProjectId, mergeRequest.iid);
      if (mr === null) return verified;
      if (mr.sourceProjectId !== mergeRequest.sourceProjectId) {
        return unverified(
          `merge request !${mr.iid} of project ${mr.projectId} comes from project ${mr.sourceProjectId}, the event says ${mergeRequest.sourceProjectId}`,
        );
      }
      if (mr.projectId === pipeline.project.id || mr.sourceProjectId === pipeline.project.id) return verified;
      return unverified(
        `merge request !${mr.iid} of project ${mr.projectId} neither lives in nor comes from ${pipeline.project.path} (${pipeline.project.id}), where the pipeline ran`,
      );
    }
  }
}

/** Whether project `claimed.id` is the project at `claimed.path` on the forge. */
async function checkProjectPath(
  forge: Forge,
  claimed: ProjectRef,
  what: string,
): Promise<EventProjectVerdict> {
  let actualPath: string;
  try {
    actualPath = (await forge.getProject(claimed.id)).path;
  } catch (error) {
    if (isForgeError(error, 'not-found', 'permission')) {
      return unverified(
        `${what} ${claimed.id} does not exist or the bot cannot see it (the event says ${claimed.path})`,
      );
    }
    throw error;
  }
  if (actualPath === claimed.path) return verified;
  return unverified(
    `${what} ${claimed.id} is ${JSON.stringify(actualPath)} on the forge, the event says ${JSON.stringify(claimed.path)}`,
  );
}

async function readMergeRequest(
  forge: Forge,
  projectId: number,
  iid: number,
): Promise<ForgeMergeRequest | null> {
  try {
    return await forge.getMergeRequest(projectId, iid);
  } catch (error) {
    if (isForgeError(error, 'not-found', 'permission')) return null;
    throw error;
  }
}

function unverified(detail: string): EventProjectVerdict {
  return { verified: false, reason: UNVERIFIED_PROJECT, detail };
}

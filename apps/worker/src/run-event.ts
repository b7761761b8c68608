/**
 * @module
 * Which workflows a queued event runs.
 */
import {
  reportDistGitPipeline,
  runCommentCommand,
  runSourceGitMrWorkflow,
  syncDistGitPush,
  verifyEventProject,
} from '@srcgit/core';
import type {
  DomainEvent,
  EventOutcome,
  EventWorkflowDeps,
  WorkflowOptions,
  WorkflowOutcome,
} from '@srcgit/core';
import { currentSnapshot, reconcileSourceGitEvent } from './reconcile-source-git-event';

/** What {@link runEvent} did: the outcome of every workflow it ran, or why it ran none. */
export type EventRun =
  | { readonly kind: 'ran'; readonly outcomes: readonly (WorkflowOutcome | EventOutcome)[] }
  | { readonly kind: 'unsupported'; readonly reason: string };

/**
 * Runs the workflows for one event. Events about one source-git MR may have been collapsed into
 * one job, so the MR is read from the forge first and the workflows that bring the dist-git side
 * in line with it run in order ({@link reconcileSourceGitEvent}). A workflow that reports a
 * `user-error` stops the run (the problem is explained on the MR). Dist-git pipeline events,
 * dist-git pushes and comment commands run their one workflow each. Before any of this, the
 * event's project id must name the project its path does (`verifyEventProject`); an event that
 * fails the check runs nothing (`unverified-project`).
 */
export async function runEvent(
  event: DomainEvent,
  deps: EventWorkflowDeps,
  options: WorkflowOptions,
): Promise<EventRun> {
  const verdict = await verifyEventProject(event, deps);
  if (!verdict.verified) return { kind: 'unsupported', reason: verdict.reason };
  switch (event.kind) {
    case 'source-git-mr-opened':
    case 'source-git-mr-updated':
    case 'source-git-mr-closed':
    case 'source-git-mr-reopened':
    case 'source-git-mr-merged': {
      const current = await deps.forge.getMergeRequest(event.mergeRequest.project.id, event.mergeRequest.iid);
      const outcomes: WorkflowOutcome[] = [];
      for (const step of reconcileSourceGitEvent(event, currentSnapshot(event, current))) {
        const outcome = await runSourceGitMrWorkflow(step, deps, options);
        outcomes.push(outcome);
        if (outcome.result === 'user-error') break;
      }
      return { kind: 'ran', outcomes };
    }
    case 'dist-git-mr-pipeline-changed':
      return { kind: 'ran', outcomes: [await reportDistGitPipeline(event, deps, options)] };
    case 'dist-git-pushed':
      return { kind: 'ran', outcomes: [await syncDistGitPush(event, deps, options)] };
    case 'comment-command-issued':
      return { kind: 'ran', outcomes: [await runCommentCommand(event, deps, options)] };
  }
}

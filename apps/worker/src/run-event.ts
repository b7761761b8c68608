/**
 * @module
 * Which workflows a queued event runs.
 */
import { syncSourceGitMergeRequest } from '@srcgit/core';
import type { DomainEvent, WorkflowDeps, WorkflowOptions, WorkflowOutcome } from '@srcgit/core';

/** What {@link runEvent} did: the outcome of every workflow it ran, or why it ran none. */
export type EventRun =
  | { readonly kind: 'ran'; readonly outcomes: readonly WorkflowOutcome[] }
  | { readonly kind: 'unsupported'; readonly reason: string };

/**
 * Runs the workflows for one event. Events about one source-git MR may have been collapsed into
 * one job (a burst keeps only its newest event, see the webhook server's deduplication id), so the
 * workflows act on the merge request as it is now on GitLab, not as the event describes it.
 */
export async function runEvent(
  event: DomainEvent,
  deps: WorkflowDeps,
  options: WorkflowOptions,
): Promise<EventRun> {
  switch (event.kind) {
    case 'source-git-mr-opened':
    case 'source-git-mr-updated':
    case 'source-git-mr-reopened':
      return { kind: 'ran', outcomes: [await syncSourceGitMergeRequest(event, deps, options)] };
    case 'source-git-mr-closed':
    case 'source-git-mr-merged':
    case 'dist-git-mr-pipeline-changed':
    case 'dist-git-pushed':
    case 'comment-command-issued':
      return { kind: 'unsupported', reason: `no workflow handles ${event.kind} events yet` };
  }
}

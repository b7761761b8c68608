/**
 * @module
 * `runSourceGitMrWorkflow`: routes a source-git MR event to its workflow (docs/bot-behaviour.md §1.A–§1.C).
 */
import type {
  SourceGitMrClosed,
  SourceGitMrMerged,
  SourceGitMrOpened,
  SourceGitMrReopened,
  SourceGitMrUpdated,
} from '../events/source-git-mr-event';
import { closeDistGitMergeRequest } from './close-dist-git-merge-request';
import { noteSourceGitMerged } from './note-source-git-merged';
import { reopenDistGitMergeRequest } from './reopen-dist-git-merge-request';
import { syncSourceGitMergeRequest } from './sync-source-git-merge-request';
import { updateDistGitMergeRequestMetadata } from './update-dist-git-merge-request-metadata';
import type { WorkflowDeps, WorkflowOptions } from './workflow-deps';
import type { WorkflowOutcome } from './workflow-outcome';

/** The events about a source-git merge request. */
export type SourceGitMrEvent =
  SourceGitMrOpened | SourceGitMrUpdated | SourceGitMrClosed | SourceGitMrReopened | SourceGitMrMerged;

/**
 * Runs the workflow an event calls for: `opened` and updates with new commits (`oldrev` set and
 * different from the head) → {@link syncSourceGitMergeRequest}; other updates →
 * {@link updateDistGitMergeRequestMetadata} (which also self-heals an unpaired open MR and
 * follows a target-branch change); `closed` → {@link closeDistGitMergeRequest}; `reopened` →
 * {@link reopenDistGitMergeRequest}; `merged` → {@link noteSourceGitMerged}. Approval actions
 * never become events (the adapter drops them).
 *
 * @example
 * ```ts
 * // apps/worker: one job = one event
 * const outcome = await runSourceGitMrWorkflow(job.event, deps);
 * if (outcome.result === 'user-error') return outcome; // explained on the MR; no retry
 * ```
 */
export function runSourceGitMrWorkflow(
  event: SourceGitMrEvent,
  deps: WorkflowDeps,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  switch (event.kind) {
    case 'source-git-mr-opened':
      return syncSourceGitMergeRequest(event, deps, options);
    case 'source-git-mr-updated':
      return event.oldrev !== null && event.oldrev !== event.mergeRequest.headSha
        ? syncSourceGitMergeRequest(event, deps, options)
        : updateDistGitMergeRequestMetadata(event, deps, options);
    case 'source-git-mr-closed':
      return closeDistGitMergeRequest(event, deps, options);
    case 'source-git-mr-reopened':
      return reopenDistGitMergeRequest(event, deps, options);
    case 'source-git-mr-merged':
      return noteSourceGitMerged(event, deps, options);
  }
}

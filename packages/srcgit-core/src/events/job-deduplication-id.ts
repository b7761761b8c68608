/**
 * @module
 * `jobDeduplicationId`: which queued jobs collapse into one — shared by the webhook server and
 * the worker's reconciliation, so that a job either queues for a merge request is coalesced with
 * the other's.
 */
import type { DomainEvent } from './domain-event';

/**
 * The BullMQ deduplication id of an event: `sg-<projectId>-<iid>` for events about a source-git
 * merge request (one job at a time per MR, bursts collapse), `dg-<projectId>-<iid>` for the
 * pipelines of a dist-git MR, `dg-push-<projectId>-<branch>` for pushes to a dist-git branch, and
 * `null` for comment commands (each must be processed).
 *
 * @example
 * jobDeduplicationId({ kind: 'source-git-mr-opened', mergeRequest: { project: { id: 3001 }, iid: 5 }, … }); // 'sg-3001-5'
 */
export function jobDeduplicationId(event: DomainEvent): string | null {
  switch (event.kind) {
    case 'source-git-mr-opened':
    case 'source-git-mr-updated':
    case 'source-git-mr-closed':
    case 'source-git-mr-reopened':
    case 'source-git-mr-merged':
      return `sg-${event.mergeRequest.project.id}-${event.mergeRequest.iid}`;
    case 'dist-git-mr-pipeline-changed':
      // The workflow reads the pipelines' current statuses, so a burst for one dist-git MR may
      // collapse; one job at a time per MR keeps concurrent reports from crossing.
      return event.mergeRequest === null
        ? `dg-pipeline-${event.pipeline.id}`
        : `dg-${event.mergeRequest.targetProjectId}-${event.mergeRequest.iid}`;
    case 'dist-git-pushed':
      // The workflow syncs the branch as it is now: pushes to one branch collapse.
      return `dg-push-${event.project.id}-${event.branch}`;
    case 'comment-command-issued':
      return null;
  }
}

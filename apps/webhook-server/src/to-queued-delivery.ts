/**
 * @module
 * From a verified, parsed delivery to what the intake queues.
 */
import { hostname } from 'node:os';
import { JOB_PAYLOAD_VERSION } from '@srcgit/core';
import type { DomainEvent } from '@srcgit/core';
import type { DeliveryKey } from './delivery-key';
import type { QueuedDelivery } from './queued-delivery';
import { toJobId } from './to-job-id';

/**
 * The BullMQ deduplication id of an event: `sg-<projectId>-<iid>` for events about a source-git
 * merge request (one job at a time per MR, bursts collapse), `dg-<projectId>-<iid>` for the
 * pipelines of a dist-git MR, `dg-push-<projectId>-<branch>` for pushes to a dist-git branch, and
 * `null` for comment commands (each must be processed).
 */
export function deduplicationIdFor(event: DomainEvent): string | null {
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

/** Builds the job, its id and its dedupe keys for an accepted delivery. */
export function toQueuedDelivery(input: {
  key: DeliveryKey;
  semanticKey: string | null;
  event: DomainEvent;
  instance: string;
  receivedAt: Date;
  /** The server process that accepted the delivery (default `<hostname>-<pid>`). */
  receivedBy?: string;
}): QueuedDelivery {
  const jobId = toJobId(input.key.key);
  return {
    jobId,
    name: input.event.kind,
    // The event was validated by the adapter's schemas; validating it again per delivery would
    // only cost time on the hot path (the worker validates the payload when it dequeues it).
    payload: {
      version: JOB_PAYLOAD_VERSION,
      deliveryId: input.key.key,
      receivedAt: input.receivedAt.toISOString(),
      instance: input.instance,
      receivedBy: input.receivedBy ?? `${hostname()}-${process.pid}`,
      event: input.event,
    },
    dedupeKeys: [`id:${jobId}`, ...(input.semanticKey === null ? [] : [`event:${input.semanticKey}`])],
    deduplicationId: deduplicationIdFor(input.event),
  };
}

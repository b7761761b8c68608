/**
 * @module
 * From a verified, parsed delivery to what the intake queues.
 */
import { createJobPayload } from '@srcgit/core';
import type { DomainEvent } from '@srcgit/core';
import type { DeliveryKey } from './delivery-key';
import type { QueuedDelivery } from './queued-delivery';
import { toJobId } from './to-job-id';

/**
 * The BullMQ deduplication id of an event: `sg-<projectId>-<iid>` for events about a source-git
 * merge request (one job at a time per MR, bursts collapse), `null` for the others (pipeline
 * statuses, pushes and comment commands must each be processed).
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
    case 'dist-git-pushed':
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
}): QueuedDelivery {
  const jobId = toJobId(input.key.key);
  return {
    jobId,
    name: input.event.kind,
    payload: createJobPayload({
      deliveryId: input.key.key,
      receivedAt: input.receivedAt,
      instance: input.instance,
      event: input.event,
    }),
    dedupeKeys: [`id:${jobId}`, ...(input.semanticKey === null ? [] : [`event:${input.semanticKey}`])],
    deduplicationId: deduplicationIdFor(input.event),
  };
}

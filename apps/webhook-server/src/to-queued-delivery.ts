/**
 * @module
 * From a verified, parsed delivery to what the intake queues.
 */
import { hostname } from 'node:os';
import { JOB_PAYLOAD_VERSION, jobDeduplicationId } from '@srcgit/core';
import type { DomainEvent } from '@srcgit/core';
import type { DeliveryKey } from './delivery-key';
import type { QueuedDelivery } from './queued-delivery';
import { toJobId } from './to-job-id';

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
    deduplicationId: jobDeduplicationId(input.event),
  };
}

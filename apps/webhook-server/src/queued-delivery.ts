/**
 * @module
 * A delivery ready to be queued: the job and the keys that deduplicate it.
 */
import { parseJobPayload } from '@srcgit/core';
import type { JobPayload } from '@srcgit/core';
import { z } from 'zod';

/** What the intake enqueues for one accepted delivery (JSON-serialisable: it is also spooled). */
export interface QueuedDelivery {
  /** BullMQ job id (see `toJobId`). */
  readonly jobId: string;
  /** BullMQ job name: the domain event's kind. */
  readonly name: string;
  readonly payload: JobPayload;
  /** Dedupe keys (delivery key, semantic key); the delivery is a duplicate if any was seen. */
  readonly dedupeKeys: readonly string[];
  /**
   * BullMQ deduplication id for events about one source-git MR (`sg-<projectId>-<iid>`): jobs for
   * one MR never run in parallel and a burst collapses into one job; `null` for other events.
   */
  readonly deduplicationId: string | null;
}

const shape = z.object({
  jobId: z.string().min(1),
  name: z.string().min(1),
  payload: z.unknown(),
  dedupeKeys: z.array(z.string().min(1)),
  deduplicationId: z.string().min(1).nullable(),
});

/**
 * Validates a delivery read back from the spool.
 *
 * @throws {Error} naming the offending field; the job payload is checked by core's `parseJobPayload`.
 */
export function parseQueuedDelivery(value: unknown): QueuedDelivery {
  const parsed = shape.parse(value);
  return { ...parsed, payload: parseJobPayload(parsed.payload) };
}

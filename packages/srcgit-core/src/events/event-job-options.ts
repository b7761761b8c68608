/**
 * @module
 * `eventJobOptions`: the queue options of every event job, whoever queues it (the webhook server,
 * the worker's reconciliation).
 */
import type { RetryPolicy } from '../config/service-config';

/** BullMQ job options of an event job (plain data: core does not import BullMQ). */
export interface EventJobOptions {
  readonly attempts: number;
  /** The worker's `srcgit` backoff strategy (`retry.baseDelayMs`, `retry.maxDelayMs`). */
  readonly backoff: { readonly type: 'srcgit' };
  readonly removeOnComplete: { readonly age: number; readonly count: number };
  readonly removeOnFail: { readonly age: number };
}

/**
 * `retry.attempts` attempts with the worker's backoff; finished jobs are kept a day (at most
 * 10 000), failed ones a week — long enough that their deterministic job ids deduplicate a
 * re-queued copy.
 *
 * @example
 * await queue.add(event.kind, payload, { ...eventJobOptions(config.retry), jobId });
 */
export function eventJobOptions(retry: Pick<RetryPolicy, 'attempts'>): EventJobOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'srcgit' },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
  };
}

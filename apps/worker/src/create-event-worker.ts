/**
 * @module
 * The BullMQ worker of the bot's one queue.
 */
import type { RetryPolicy } from '@srcgit/core';
import { Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import { backoffDelay } from './backoff-delay';
import type { JobSummary } from './create-job-processor';

/** Options of {@link createEventWorker}. */
export interface EventWorkerOptions {
  readonly queueName: string;
  /** A Redis connection for BullMQ (an ioredis instance with `maxRetriesPerRequest: null`, or options). */
  readonly connection: ConnectionOptions;
  readonly processor: (job: Job, token?: string, signal?: AbortSignal) => Promise<JobSummary>;
  /** Jobs run at once; jobs for one source-git MR never run together (see the server's deduplication id). */
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  /** Backoff between attempts of a transiently failed job (the attempts are set when queuing). */
  readonly retry: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
}

/**
 * Creates the worker (it starts consuming at once). A job's lock is renewed while it runs; when a
 * worker dies (SIGKILL), its jobs' locks expire after `lockDurationMs` and another worker — or the
 * same one after a restart — takes them back within `stalledIntervalMs`. Retries use the backoff
 * type `srcgit` ({@link backoffDelay}).
 */
export function createEventWorker(options: EventWorkerOptions): Worker<unknown, JobSummary> {
  return new Worker<unknown, JobSummary>(options.queueName, options.processor, {
    connection: options.connection,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount,
    autorun: true,
    settings: {
      backoffStrategy: (attemptsMade, _type, error) => backoffDelay(attemptsMade, error, options.retry),
    },
  });
}

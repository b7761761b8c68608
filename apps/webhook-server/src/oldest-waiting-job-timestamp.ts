/**
 * @module
 * How long the queue's oldest waiting job has waited, for the queue-age gauge.
 */
import type { Queue } from 'bullmq';

/**
 * When the oldest job still waiting in `queue` was added (unix milliseconds), or `null` when
 * none waits.
 *
 * @example
 * const added = await oldestWaitingJobTimestamp(queue); // 1733616000000
 */
export async function oldestWaitingJobTimestamp(queue: Pick<Queue, 'getJobs'>): Promise<number | null> {
  const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
  return oldest?.timestamp ?? null;
}

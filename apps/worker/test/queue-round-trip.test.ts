import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { privateRedisUrl } from '@srcgit/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';

/** A BullMQ round trip on the run's private redis-server (started by the global setup). */
describe('BullMQ on the private Redis', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('delivers a job to a worker and returns its result', async () => {
    const connection = { url: privateRedisUrl() };
    const name = `round-trip-${randomUUID()}`;
    const queue = new Queue<{ iid: number }, string>(name, { connection });
    const events = new QueueEvents(name, { connection });
    const worker = new Worker<{ iid: number }, string>(
      name,
      (job) => Promise.resolve(`synced !${job.data.iid}`),
      { connection },
    );
    closers.push(
      () => queue.close(),
      () => events.close(),
      () => worker.close(),
    );
    await events.waitUntilReady();

    const job = await queue.add('merge_request.open', { iid: 42 }, { jobId: randomUUID() });
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toBe('synced !42');
    expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 1, failed: 0 });
  });

  it('collapses jobs that share a deduplication id while one is waiting', async () => {
    const connection = { url: privateRedisUrl() };
    const name = `dedup-${randomUUID()}`;
    const queue = new Queue(name, { connection });
    closers.push(() => queue.close());
    const first = await queue.add('sync', { head: 'a' }, { deduplication: { id: 'mr-1-7' } });
    const second = await queue.add('sync', { head: 'b' }, { deduplication: { id: 'mr-1-7' } });
    expect(second.id).toBe(first.id);
    expect(await queue.getWaitingCount()).toBe(1);
  });
});

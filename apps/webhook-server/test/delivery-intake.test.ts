import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createJobPayload, parseDomainEvent } from '@srcgit/core';
import { createTempDir, privateRedisUrl, startRedisServer } from '@srcgit/test-fixtures';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryIntake } from '../src/delivery-intake';
import { openDeliverySpool } from '../src/delivery-spool';
import type { Logger } from '../src/logger';
import type { QueuedDelivery } from '../src/queued-delivery';

const silent: Logger = { info() {}, warn() {}, error() {} };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const event = parseDomainEvent({
  kind: 'dist-git-pushed',
  project: { id: 7, path: 'rpms/beer', webUrl: 'https://gitlab.com/rpms/beer' },
  branch: 'c10s',
  before: 'a'.repeat(40),
  after: 'b'.repeat(40),
  headSha: 'b'.repeat(40),
  branchCreated: false,
  commits: [],
  totalCommits: 0,
  pusher: { username: 'maintainer', id: 1 },
});

function delivery(key: string, semanticKey?: string): QueuedDelivery {
  return {
    jobId: `d-${key}`,
    name: 'dist-git-pushed',
    payload: createJobPayload({
      deliveryId: key,
      receivedAt: new Date(0),
      instance: 'https://gitlab.com',
      receivedBy: 'test-server',
      event,
    }),
    dedupeKeys: [`id:d-${key}`, ...(semanticKey === undefined ? [] : [`event:${semanticKey}`])],
    deduplicationId: null,
  };
}

/** An intake on a fresh queue of the run's private Redis. */
async function intakeOnPrivateRedis() {
  const redis = new Redis(privateRedisUrl(), { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await redis.ping().catch(async () => {
    await new Promise((resolve) => redis.once('ready', resolve));
  });
  const queueName = `dedupe-${randomUUID()}`;
  const queue = new Queue(queueName, { connection: redis });
  const dir = createTempDir();
  const keyPrefix = `test:${queueName}:`;
  const intake = createDeliveryIntake({
    queue,
    redis,
    spool: await openDeliverySpool(dir.path),
    keyPrefix,
    dedupeTtlSeconds: 604_800,
    jobOptions: {},
    redisTimeoutMs: 5_000,
    logger: silent,
  });
  cleanups.push(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await dir.remove();
  });
  return { intake, queue, redis, keyPrefix };
}

describe('createDeliveryIntake', () => {
  it('spools deliveries while Redis is down and queues each exactly once when it is back', async () => {
    const server = await startRedisServer({ appendOnly: true });
    const redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    await new Promise((resolve) => redis.once('ready', resolve));
    const queue = new Queue(`spool-${randomUUID()}`, { connection: redis });
    queue.on('error', () => {});
    const dir = createTempDir();
    const spool = await openDeliverySpool(dir.path);
    const intake = createDeliveryIntake({
      queue,
      redis,
      spool,
      keyPrefix: 'test:',
      dedupeTtlSeconds: 604_800,
      jobOptions: {},
      redisTimeoutMs: 500,
      logger: silent,
    });
    await intake.start(60_000);
    cleanups.push(async () => {
      await intake.stop();
      await queue.close();
      redis.disconnect();
      await server.stop();
      await dir.remove();
    });

    expect(await intake.accept(delivery('before'))).toBe('queued');
    await server.stop();
    expect(await intake.accept(delivery('during-1'))).toBe('spooled');
    expect(await intake.accept(delivery('during-2'))).toBe('spooled');
    // Re-sent while Redis is still down: spooled again, recognised when drained.
    expect(await intake.accept(delivery('during-1'))).toBe('spooled');
    expect(intake.spooled()).toBe(3);
    expect(intake.redisReachable()).toBe(false);
    expect((await readdir(spool.dir)).filter((name) => name.endsWith('.delivery.json'))).toHaveLength(3);

    // A new, empty Redis on the same port: only the spooled deliveries reach it.
    const restarted = await startRedisServer({ port: server.port, appendOnly: true });
    cleanups.push(() => restarted.stop());
    await new Promise((resolve) => (redis.status === 'ready' ? resolve(null) : redis.once('ready', resolve)));
    expect(await intake.drain()).toBe(3);
    expect(intake.spooled()).toBe(0);
    expect(await spool.list()).toEqual([]);
    const ids = (await queue.getJobs(['waiting'])).map((job) => job.id).sort();
    expect(ids).toEqual(['d-during-1', 'd-during-2']);
    expect(await intake.accept(delivery('during-2'))).toBe('duplicate');
  });

  it('queues one of 20 concurrent copies of one event from different hooks, once', async () => {
    const { intake, queue } = await intakeOnPrivateRedis();
    // Each copy has its own delivery key (another hook, another UUID) and the same semantic key.
    const copies = Array.from({ length: 20 }, (_, index) => delivery(`hook-${index}`, 'note-1001'));
    const outcomes = await Promise.all(copies.map((copy) => intake.accept(copy)));
    expect(outcomes.filter((outcome) => outcome === 'queued')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(19);
    expect(await queue.getJobCountByTypes('waiting')).toBe(1);
    // A later copy, and a re-send of the winner, are duplicates too.
    const winner = copies[outcomes.indexOf('queued')];
    expect(await intake.accept(delivery('hook-late', 'note-1001'))).toBe('duplicate');
    expect(winner && (await intake.accept(winner))).toBe('duplicate');
  });

  it("queues a delivery whose own earlier claim never reached the queue, and no one else's", async () => {
    const { intake, queue, redis, keyPrefix } = await intakeOnPrivateRedis();
    // As left by an enqueue cut short (Redis stopped answering after the claim): spooled, drained later.
    await redis.set(`${keyPrefix}id:d-cut-short`, 'pending:d-cut-short', 'EX', 600);
    await redis.set(`${keyPrefix}event:push-1`, 'pending:d-cut-short', 'EX', 600);
    expect(await intake.accept(delivery('other-hook', 'push-1'))).toBe('duplicate');
    expect(await intake.accept(delivery('cut-short', 'push-1'))).toBe('queued');
    expect(await redis.get(`${keyPrefix}event:push-1`)).toBe('queued:d-cut-short');
    expect(await intake.accept(delivery('cut-short', 'push-1'))).toBe('duplicate');
    // A key written by the previous version (the bare job id) still marks a duplicate.
    await redis.set(`${keyPrefix}id:d-old`, 'd-old');
    expect(await intake.accept(delivery('old'))).toBe('duplicate');
    expect((await queue.getJobs(['waiting'])).map((job) => job.id)).toEqual(['d-cut-short']);
  });
});

/**
 * The staleness board (`@srcgit/core/internal`) against a real Redis: replicas see each other's
 * times, a time never moves backwards, a Redis that does not answer leaves each process its own
 * times, and foreign fields in the hash are ignored.
 */
import { randomUUID } from 'node:crypto';
import { createStalenessBoard, stalenessDetails, STALENESS_GAUGES } from '@srcgit/core/internal';
import { freePort, privateRedisUrl } from '@srcgit/test-fixtures';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const clients: Redis[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

function client(url = privateRedisUrl()): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => {});
  clients.push(redis);
  return redis;
}

async function connected(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

describe('the staleness board', () => {
  it('shows every replica the newest time any replica recorded, per signal and kind', async () => {
    const key = `test:${randomUUID()}:staleness`;
    let serverClock = 1_700_000_000_000;
    let workerClock = 1_700_000_005_000;
    const server = createStalenessBoard({ redis: await connected(client()), key, now: () => serverClock });
    const worker = createStalenessBoard({ redis: await connected(client()), key, now: () => workerClock });

    server.record({ signal: 'event-received', by: 'webhook-server', kind: 'source-git-mr-opened' });
    worker.record({ signal: 'event-received', by: 'worker', kind: 'source-git-mr-opened' });
    worker.record({ signal: 'sync-succeeded', kind: 'source-git-mr-opened' });
    await Promise.all([server.flush(), worker.flush()]);

    const expected = {
      source: 'redis',
      lastEventReceived: {
        'webhook-server': { 'source-git-mr-opened': 1_700_000_000_000 },
        worker: { 'source-git-mr-opened': 1_700_000_005_000 },
      },
      lastSuccessfulSync: { 'source-git-mr-opened': 1_700_000_005_000 },
    };
    expect(await server.read()).toEqual(expected);
    expect(await worker.read()).toEqual(expected);

    // A replica whose last record is older never moves the fleet's time backwards.
    const laggard = createStalenessBoard({
      redis: await connected(client()),
      key,
      now: () => 1_600_000_000_000,
    });
    laggard.record({ signal: 'sync-succeeded', kind: 'source-git-mr-opened' });
    await laggard.flush();
    serverClock += 60_000;
    server.record({ signal: 'event-received', by: 'webhook-server', kind: 'dist-git-pushed' });
    await server.flush();
    workerClock += 1;
    const report = await worker.read();
    expect(report.lastSuccessfulSync).toEqual({ 'source-git-mr-opened': 1_700_000_005_000 });
    expect(report.lastEventReceived['webhook-server']).toEqual({
      'dist-git-pushed': 1_700_000_060_000,
      'source-git-mr-opened': 1_700_000_000_000,
    });
    expect(stalenessDetails(report).lastSuccessfulSync).toEqual({
      'source-git-mr-opened': '2023-11-14T22:13:25.000Z',
    });
    const gauges = Object.fromEntries(STALENESS_GAUGES.map((gauge) => [gauge.name, gauge.samples(report)]));
    expect(gauges['srcgit_last_successful_sync_timestamp_seconds']).toEqual([
      { labels: { kind: 'source-git-mr-opened' }, value: 1_700_000_005 },
    ]);
    expect(gauges['srcgit_last_event_received_timestamp_seconds']).toContainEqual({
      labels: { kind: 'dist-git-pushed', by: 'webhook-server' },
      value: 1_700_000_060,
    });
  });

  it("reports a process's own times while Redis does not answer, and merges them once it does", async () => {
    const port = await freePort();
    const down = client(`redis://127.0.0.1:${port}`);
    const key = `test:${randomUUID()}:staleness`;
    const board = createStalenessBoard({
      redis: down,
      key,
      now: () => 1_700_000_000_000,
      readTimeoutMs: 200,
    });
    board.record({ signal: 'event-received', by: 'webhook-server', kind: 'comment-command-issued' });
    await board.flush();
    expect(await board.read()).toEqual({
      source: 'local',
      lastEventReceived: { 'webhook-server': { 'comment-command-issued': 1_700_000_000_000 } },
      lastSuccessfulSync: {},
    });

    // The same records, kept across the failed flush, reach Redis through a client that answers.
    const up = await connected(client());
    const retried = createStalenessBoard({ redis: up, key, now: () => 1_700_000_000_000 });
    retried.record({ signal: 'event-received', by: 'webhook-server', kind: 'comment-command-issued' });
    await retried.stop();
    expect(await up.hgetall(key)).toEqual({
      'received:webhook-server:comment-command-issued': '1700000000000',
    });
  });

  it('ignores fields of another shape and values that are not times', async () => {
    const redis = await connected(client());
    const key = `test:${randomUUID()}:staleness`;
    await redis.hset(key, {
      'received:webhook-server:dist-git-pushed': '1700000000000',
      'received:stranger:dist-git-pushed': '1700000000000',
      'synced:Not A Kind': '1700000000000',
      'synced:source-git-mr-merged': 'yesterday',
      'synced:source-git-mr-closed': '-5',
    });
    const board = createStalenessBoard({ redis, key });
    expect(await board.read()).toEqual({
      source: 'redis',
      lastEventReceived: { 'webhook-server': { 'dist-git-pushed': 1_700_000_000_000 } },
      lastSuccessfulSync: {},
    });
  });
});

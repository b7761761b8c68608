/**
 * The built webhook server as a real process with Redis down: deliveries are answered 202 from
 * the durable spool, survive a SIGKILL of the server, and reach the queue exactly once when Redis
 * is up again.
 */
import { readFile } from 'node:fs/promises';
import { createTempDir, freePort, startRedisServer } from '@srcgit/test-fixtures';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess } from './support/server-process';
import type { ServerProcess } from './support/server-process';

const fixture = new URL(
  '../../../test-fixtures/recorded/gitlab-webhooks/hardly__mr_event.json',
  import.meta.url,
);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  cleanups.push(() => server.kill());
  return server;
}

describe('the webhook server process while Redis is down', () => {
  it(
    'spools deliveries durably (even across a SIGKILL) and queues each once when Redis is back',
    { timeout: 60_000 },
    async () => {
      const redisPort = await freePort();
      const port = await freePort();
      const work = createTempDir('spool-process');
      cleanups.push(() => work.remove());
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GITLAB_URL: 'https://gitlab.com',
        GITLAB_TOKEN: 'unused',
        WEBHOOK_SECRET: 'secret',
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        SRCGIT_HOST: '127.0.0.1',
        SRCGIT_PORT: String(port),
        SRCGIT_SOURCE_GIT_NAMESPACE: 'packit-service/src',
        SRCGIT_DIST_GIT_NAMESPACE: 'packit-service/rpms',
        SRCGIT_GIT_AUTHOR_EMAIL: 'bot@example.org',
        SRCGIT_WORK_DIR: work.path,
        SRCGIT_REDIS_TIMEOUT_MS: '300',
        SRCGIT_SPOOL_DRAIN_INTERVAL_MS: '100',
      };
      const body = await readFile(fixture, 'utf8');
      const deliver = async (key: string, iid: number) => {
        const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/gitlab`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Gitlab-Event': 'Merge Request Hook',
            'X-Gitlab-Token': 'secret',
            'Idempotency-Key': key,
          },
          // Another merge request of the same project: its iid and its URL.
          body: body
            .replace('"iid": 5', `"iid": ${iid}`)
            .replace('/-/merge_requests/5"', `/-/merge_requests/${iid}"`),
        });
        return { status: response.status, body: (await response.json()) as { status: string } };
      };

      const first = await startServer(env);
      expect(await deliver('one', 1)).toMatchObject({ status: 202, body: { status: 'spooled' } });
      expect(await deliver('two', 2)).toMatchObject({ status: 202, body: { status: 'spooled' } });
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<
        string,
        unknown
      >;
      expect(ready).toMatchObject({ ready: true, redis: 'down', spooled: 2 });
      // Redis is down: the staleness details are this process's own, and name the spooled kind.
      expect(ready['staleness']).toMatchObject({
        source: 'local',
        lastEventReceived: { 'webhook-server': { 'source-git-mr-opened': expect.any(String) as unknown } },
      });
      await first.kill();

      await startServer(env);
      expect(await deliver('two', 2)).toMatchObject({ status: 202, body: { status: 'spooled' } });
      expect(await deliver('three', 3)).toMatchObject({ status: 202, body: { status: 'spooled' } });

      const redis = await startRedisServer({ port: redisPort });
      cleanups.push(() => redis.stop());
      const queue = new Queue('srcgit-events', { connection: { url: redis.url } });
      cleanups.push(() => queue.close());
      const deadline = Date.now() + 30_000;
      let readiness: Record<string, unknown> = {};
      while (Date.now() < deadline) {
        readiness = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<
          string,
          unknown
        >;
        if (readiness['spooled'] === 0 && readiness['redis'] === 'up') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(readiness).toMatchObject({ ready: true, redis: 'up', spooled: 0 });
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs.map((job) => job.id).sort()).toEqual(['d-one', 'd-three', 'd-two']);
      expect(await deliver('three', 3)).toMatchObject({ status: 202, body: { status: 'duplicate' } });
    },
  );
});

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createStalenessBoard, stalenessDetails } from '@srcgit/core/internal';
import { createTempDir, privateRedisUrl } from '@srcgit/test-fixtures';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, WEBHOOK_PATH } from '../src/create-app';
import type { IntakeLimits } from '../src/create-app';
import { createDeliveryIntake } from '../src/delivery-intake';
import { openDeliverySpool } from '../src/delivery-spool';
import { createIntakeMetrics } from '../src/intake-metrics';
import { oldestWaitingJobTimestamp } from '../src/oldest-waiting-job-timestamp';
import type { Logger } from '../src/logger';
import { hookProject, noteHookPayload } from './support/note-hook-payload';

const fixtures = new URL('../../../test-fixtures/recorded/gitlab-webhooks/', import.meta.url);
const fixture = (name: string): Promise<string> => readFile(new URL(name, fixtures), 'utf8');

const SECRET = 'hook-secret';
const JWT_SECRET = 'packit-token-secret';
const silent: Logger = { info() {}, warn() {}, error() {} };
const METRICS_TOKEN = 'metrics-token-0123456789';

/** A server app on a fresh queue of the run's private Redis, with a real spool. */
async function setup(limits?: IntakeLimits) {
  const redis = new Redis(privateRedisUrl(), { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await redis.ping().catch(async () => {
    await new Promise((resolve) => redis.once('ready', resolve));
  });
  const queueName = `intake-${randomUUID()}`;
  const queue = new Queue(queueName, { connection: redis });
  const dir = createTempDir();
  const spool = await openDeliverySpool(dir.path);
  const intake = createDeliveryIntake({
    queue,
    redis,
    spool,
    keyPrefix: `test:${queueName}:`,
    dedupeTtlSeconds: 604_800,
    jobOptions: { attempts: 3 },
    redisTimeoutMs: 2_000,
    logger: silent,
  });
  const registry = new Registry();
  const staleness = createStalenessBoard({ redis, key: `test:${queueName}:staleness` });
  const app = createApp({
    intake,
    secrets: { sharedSecrets: [SECRET], jwtSecret: JWT_SECRET },
    instanceUrl: 'https://gitlab.com',
    commandPrefix: '/packit',
    ...(limits === undefined ? {} : { limits }),
    metrics: createIntakeMetrics(registry, {
      queueCounts: () => queue.getJobCounts('waiting', 'active', 'delayed'),
      oldestWaiting: () => oldestWaitingJobTimestamp(queue),
      spooled: () => intake.spooled(),
      redisReachable: () => intake.redisReachable(),
      staleness: () => staleness.read(),
    }),
    readiness: async () => ({
      ready: true,
      redis: 'up',
      spooled: intake.spooled(),
      staleness: stalenessDetails(await staleness.read()),
    }),
    metricsText: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    metricsToken: METRICS_TOKEN,
    staleness,
    logger: silent,
    now: () => new Date('2024-05-01T12:00:00Z'),
  });
  cleanups.push(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await dir.remove();
  });
  return { app, queue, spool, staleness };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function post(
  app: ReturnType<typeof createApp>,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(WEBHOOK_PATH, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Gitlab-Event': 'Merge Request Hook',
        'X-Gitlab-Token': SECRET,
        ...headers,
      },
      body,
    }),
  );
}

describe('POST /api/webhooks/gitlab', () => {
  it('queues a merge request delivery once and answers 202', async () => {
    const { app, queue } = await setup();
    const response = await post(app, await fixture('hardly__mr_event.json'), { 'Idempotency-Key': 'key-1' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'queued', deliveryId: 'key-1', jobId: 'd-key-1' });
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.name).toBe('source-git-mr-opened');
    expect(jobs[0]?.data).toMatchObject({
      version: 2,
      receivedBy: expect.stringMatching(/^\S+-\d+$/) as unknown,
      deliveryId: 'key-1',
      receivedAt: '2024-05-01T12:00:00.000Z',
      instance: 'https://gitlab.com',
      event: { kind: 'source-git-mr-opened', mergeRequest: { iid: 5 } },
    });
    expect(jobs[0]?.opts.attempts).toBe(3);
  });

  it('answers a re-sent delivery (same Idempotency-Key) with a 202 no-op', async () => {
    const { app, queue } = await setup();
    const body = await fixture('hardly__mr_event.json');
    await post(app, body, { 'Idempotency-Key': 'same' });
    const again = await post(app, body, { 'Idempotency-Key': 'same', 'X-Gitlab-Webhook-UUID': randomUUID() });
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(await queue.getJobCountByTypes('waiting')).toBe(1);
  });

  it('recognises the same event delivered by two hooks (different keys) as one', async () => {
    const { app, queue } = await setup();
    const body = await fixture('packit-service__mr_update_event.json');
    const first = await post(app, body, { 'Idempotency-Key': randomUUID() });
    const second = await post(app, body, { 'Idempotency-Key': randomUUID() });
    expect(await first.json()).toMatchObject({ status: 'queued' });
    expect(await second.json()).toMatchObject({ status: 'duplicate' });
    expect(await queue.getJobCountByTypes('waiting')).toBe(1);
  });

  it('falls back to X-Gitlab-Webhook-UUID, then to a body hash, for the delivery key', async () => {
    const { app } = await setup();
    const body = await fixture('hardly__pipeline.json');
    const withUuid = await post(app, body, {
      'X-Gitlab-Event': 'Pipeline Hook',
      'X-Gitlab-Webhook-UUID': 'uuid-1',
    });
    expect(await withUuid.json()).toMatchObject({ status: 'queued', deliveryId: 'uuid-1' });
    const push = await fixture('hardly__push.json');
    const hashed = await post(app, push, { 'X-Gitlab-Event': 'Push Hook' });
    const { deliveryId } = (await hashed.json()) as { deliveryId: string };
    expect(deliveryId).toMatch(/^[0-9a-f]{64}$/);
    const again = await post(app, push, { 'X-Gitlab-Event': 'Push Hook' });
    expect(await again.json()).toMatchObject({ status: 'duplicate', deliveryId });
  });

  it('collapses a burst for one merge request into one waiting job', async () => {
    const { app, queue } = await setup();
    const open = JSON.parse(await fixture('hardly__mr_event.json')) as {
      object_attributes: { updated_at: string; action: string };
    };
    for (const [index, action] of ['open', 'update', 'update'].entries()) {
      open.object_attributes.action = action;
      open.object_attributes.updated_at = `2021-08-02 14:36:3${index} UTC`;
      const response = await post(app, JSON.stringify(open), { 'Idempotency-Key': `burst-${index}` });
      expect(await response.json()).toMatchObject({ status: 'queued' });
    }
    const waiting = await queue.getJobs(['waiting']);
    expect(waiting.map((job) => job.id)).toEqual(['d-burst-0']);
    expect(waiting[0]?.opts.deduplication).toEqual({ id: 'sg-25495423-5', keepLastIfActive: true });
  });

  it('answers 401 for a wrong token and for a JWT minted for another namespace', async () => {
    const { app, queue } = await setup();
    const body = await fixture('hardly__mr_event.json');
    const wrong = await post(app, body, { 'X-Gitlab-Token': 'not-the-secret' });
    expect(wrong.status).toBe(401);
    const otherNamespace = await new SignJWT({ namespace: 'someone-else/src' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET));
    const foreign = await post(app, body, { 'X-Gitlab-Token': otherNamespace });
    expect(foreign.status).toBe(401);
    expect(await foreign.text()).toContain('packit-service/src');
    const right = await new SignJWT({ namespace: 'packit-service/src' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect((await post(app, body, { 'X-Gitlab-Token': right })).status).toBe(202);
    expect(await queue.getJobCountByTypes('waiting')).toBe(1);
  });

  it('answers 401 for a delivery from another GitLab instance', async () => {
    const { app } = await setup();
    const response = await post(app, await fixture('hardly__mr_event.json'), {
      'X-Gitlab-Instance': 'https://gitlab.example.org',
    });
    expect(response.status).toBe(401);
  });

  it('answers 400 for a body that is not JSON, and 202 "unusable" (queuing nothing) for a payload without the fields a workflow needs', async () => {
    const { app, queue } = await setup();
    const notJson = await post(app, 'this is not json');
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toBe("We haven't received any JSON data.");
    const shapeless = await post(app, JSON.stringify({ object_kind: 'merge_request' }));
    expect(shapeless.status).toBe(202);
    expect(await shapeless.json()).toMatchObject({
      status: 'unusable',
      reason: expect.stringMatching(/^Merge Request Hook payload: /) as unknown,
    });
    expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(0);
  });

  it('answers 202 "not interested" for events the bot ignores, without queuing', async () => {
    const { app, queue } = await setup();
    const job = await post(app, JSON.stringify({ object_kind: 'build' }), { 'X-Gitlab-Event': 'Job Hook' });
    expect(job.status).toBe(202);
    expect(await job.json()).toMatchObject({ status: 'not-interested' });
    const tag = await post(app, await fixture('packit-service__tag_push.json'), {
      'X-Gitlab-Event': 'Tag Push Hook',
    });
    expect(tag.status).toBe(202);
    expect(await queue.getJobCountByTypes('waiting')).toBe(0);
  });

  it('counts deliveries by event and outcome in /metrics', async () => {
    const { app, queue } = await setup();
    await post(app, await fixture('hardly__mr_event.json'), { 'Idempotency-Key': 'm-1' });
    await post(app, await fixture('hardly__mr_event.json'), { 'Idempotency-Key': 'm-1' });
    await post(app, 'nope');
    const metrics = await (
      await app.request('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toContain('srcgit_webhook_deliveries_total{event="merge_request",outcome="queued"} 1');
    expect(metrics).toContain('srcgit_webhook_deliveries_total{event="merge_request",outcome="duplicate"} 1');
    expect(metrics).toContain('srcgit_webhook_deliveries_total{event="merge_request",outcome="invalid"} 1');
    expect(metrics).toMatch(/srcgit_queue_jobs\{state="waiting"\} 1/);
    const [waiting] = await queue.getJobs(['waiting']);
    expect(metrics).toContain(
      `srcgit_queue_oldest_waiting_job_timestamp_seconds ${(waiting?.timestamp ?? 0) / 1000}\n`,
    );
  });

  it('tells when the oldest waiting job was added: the first of several, none once the queue is empty', async () => {
    const { app, queue } = await setup();
    expect(await oldestWaitingJobTimestamp(queue)).toBeNull();
    for (const iid of [5, 6, 7]) {
      const body = (await fixture('hardly__mr_event.json'))
        .replace('"iid": 5', `"iid": ${iid}`)
        .replace('/-/merge_requests/5"', `/-/merge_requests/${iid}"`);
      expect((await post(app, body, { 'Idempotency-Key': `age-${iid}` })).status).toBe(202);
    }
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs).toHaveLength(3);
    const first = jobs.reduce((a, b) => (a.timestamp <= b.timestamp ? a : b));
    expect(await oldestWaitingJobTimestamp(queue)).toBe(first.timestamp);
    await queue.drain();
    expect(await oldestWaitingJobTimestamp(queue)).toBeNull();
  });

  it('answers the liveness and readiness probes', async () => {
    const { app } = await setup();
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      redis: 'up',
      spooled: 0,
      staleness: { source: 'redis', lastEventReceived: {}, lastSuccessfulSync: {} },
    });
  });

  it('serves /metrics on the public port only with the metrics token', async () => {
    const { app } = await setup();
    const none = await app.request('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const wrong = await app.request('/metrics', { headers: { Authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('srcgit_');
    const right = await app.request('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('srcgit_webhook_deliveries_total');
  });

  it('reports when a delivery of each event kind was last accepted, in /readyz and /metrics', async () => {
    const { app, staleness } = await setup();
    const before = Date.now();
    await post(app, await fixture('hardly__mr_event.json'), { 'Idempotency-Key': 's-1' });
    // A duplicate is a delivery received too; a refused one is not.
    await post(app, await fixture('hardly__mr_event.json'), { 'Idempotency-Key': 's-1' });
    await post(app, await fixture('hardly__mr_event.json'), { 'X-Gitlab-Token': 'wrong' });
    const after = Date.now();
    await staleness.flush();
    const ready = (await (await app.request('/readyz')).json()) as {
      staleness: { source: string; lastEventReceived: Record<string, Record<string, string>> };
    };
    expect(ready.staleness.source).toBe('redis');
    expect(ready.staleness.lastEventReceived).toEqual({
      'webhook-server': { 'source-git-mr-opened': expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown },
    });
    const accepted = Date.parse(
      ready.staleness.lastEventReceived['webhook-server']?.['source-git-mr-opened'] ?? '',
    );
    expect(accepted).toBeGreaterThanOrEqual(before);
    expect(accepted).toBeLessThanOrEqual(after);
    const metrics = await (
      await app.request('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(
      /^srcgit_last_event_received_timestamp_seconds\{kind="source-git-mr-opened",by="webhook-server"\} \d+(\.\d+)?$/m,
    );
  });
});

/** A body of `chunks` × 64 KiB produced on demand, counting the chunks pulled. */
function countedBody(chunks: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled += 1;
        controller.enqueue(new Uint8Array(65_536).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

function postStream(
  app: ReturnType<typeof createApp>,
  stream: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
): Promise<Response> {
  return Promise.resolve(
    app.request(WEBHOOK_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Gitlab-Event': 'Note Hook', ...headers },
      body: stream,
      duplex: 'half',
    }),
  );
}

const jwtFor = (claims: Record<string, string>): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(JWT_SECRET));

describe('POST /api/webhooks/gitlab with hostile input', () => {
  it('refuses a bad token before reading a byte of the body', async () => {
    const { app } = await setup();
    for (const token of ['not-the-secret', await jwtFor({ namespace: 'x' }).then((t) => `${t}x`)]) {
      const body = countedBody(320); // 20 MiB on offer
      const response = await postStream(app, body.stream, { 'X-Gitlab-Token': token });
      expect(response.status).toBe(401);
      expect(body.pulled()).toBe(0);
    }
  });

  it('answers 413 for a body over the limit, announced or counted, reading no more than the limit', async () => {
    const { app, queue } = await setup({ maxBodyBytes: 256 * 1024, maxJsonDepth: 64 });
    const announced = countedBody(320);
    const big = await postStream(app, announced.stream, {
      'X-Gitlab-Token': SECRET,
      'Content-Length': String(320 * 65_536),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toBe(
      'The delivery body is larger than 262144 bytes (limit: SRCGIT_MAX_BODY_BYTES).',
    );
    expect(announced.pulled()).toBe(0);
    const unannounced = countedBody(320);
    const streamed = await postStream(app, unannounced.stream, { 'X-Gitlab-Token': SECRET });
    expect(streamed.status).toBe(413);
    expect(unannounced.pulled()).toBeLessThanOrEqual(5);
    expect(await queue.getJobCountByTypes('waiting')).toBe(0);
  });

  it('answers 400, not 500, for JSON nested 100 000 levels deep', async () => {
    const { app } = await setup();
    for (const body of ['['.repeat(100_000), `{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_001)}`]) {
      const response = await post(app, body, { 'X-Gitlab-Event': 'Note Hook' });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/more than 64 levels deep \(limit: SRCGIT_MAX_JSON_DEPTH\)/);
    }
  });

  it("refuses a JWT of one namespace with a payload for another namespace's project, queuing nothing", async () => {
    const { app, queue } = await setup();
    const token = await jwtFor({ namespace: 'attacker' });
    const victim = noteHookPayload({ project: { id: 7, path: 'packit-service/src/bash' } });
    // The URL fields packit read name the attacker's namespace; the project acted on is the victim's.
    victim['project'] = {
      ...hookProject(7, 'packit-service/src/bash'),
      git_http_url: 'https://gitlab.com/attacker/bash.git',
    };
    const forged = await post(app, JSON.stringify(victim), {
      'X-Gitlab-Event': 'Note Hook',
      'X-Gitlab-Token': token,
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain(
      'issued for namespace "attacker", the payload is from "packit-service/src"',
    );
    const own = noteHookPayload({ project: { id: 8, path: 'attacker/bash' } });
    const accepted = await post(app, JSON.stringify(own), {
      'X-Gitlab-Event': 'Note Hook',
      'X-Gitlab-Token': token,
    });
    expect(accepted.status).toBe(202);
    const jobs = await queue.getJobs(['waiting']);
    const paths = jobs.map(
      (job) =>
        (job.data as { event: { mergeRequest: { project: { path: string } } } }).event.mergeRequest.project
          .path,
    );
    expect(paths).toEqual(['attacker/bash']);
  });

  it('answers 400 for a payload whose project fields disagree, queuing nothing', async () => {
    const { app, queue } = await setup();
    const token = await jwtFor({ namespace: 'attacker' });
    // Path in the token's namespace, but the merge request belongs to another project (id 7).
    const payload = noteHookPayload({ project: { id: 8, path: 'attacker/bash' } });
    (payload['merge_request'] as Record<string, unknown>)['target_project_id'] = 7;
    const response = await post(app, JSON.stringify(payload), {
      'X-Gitlab-Event': 'Note Hook',
      'X-Gitlab-Token': token,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(
      'Note Hook payload: merge_request.target_project_id: is 7, but project.id is 8 (the project fields must agree)',
    );
    expect(await queue.getJobCountByTypes('waiting')).toBe(0);
  });
});

/**
 * GitLab's documented example payloads (test-fixtures/recorded/gitlab-docs) sent to the built
 * server as a real process: every one is answered 202; the hooks the bot handles become the
 * right job, the others are ignored with a log line. Build first
 * (`pnpm exec turbo run build --filter=@srcgit/webhook-server...`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTempDir, freePort, privateRedisUrl } from '@srcgit/test-fixtures';
import type { TempDir } from '@srcgit/test-fixtures';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './support/server-process';
import type { ServerProcess } from './support/server-process';

const SECRET = 'documented-hook-secret';
const documented = new URL('../../../test-fixtures/recorded/gitlab-docs/', import.meta.url);
const read = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, documented), 'utf8')) as Record<string, unknown>;
const eventNames = read('events.json') as Record<string, string>;

let server: ServerProcess;
let port: number;
let queue: Queue;
let work: TempDir;

beforeAll(async () => {
  port = await freePort();
  work = createTempDir('documented-payloads');
  const queueName = `documented-${randomUUID()}`;
  server = await startServerProcess({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITLAB_URL: 'https://gitlab.example.com',
    GITLAB_TOKEN: 'unused',
    WEBHOOK_SECRET: SECRET,
    REDIS_URL: privateRedisUrl(),
    SRCGIT_HOST: '127.0.0.1',
    SRCGIT_PORT: String(port),
    SRCGIT_SOURCE_GIT_NAMESPACE: 'gitlab-org',
    SRCGIT_DIST_GIT_NAMESPACE: 'rpms',
    SRCGIT_GIT_AUTHOR_EMAIL: 'bot@example.org',
    SRCGIT_WORK_DIR: work.path,
    SRCGIT_QUEUE_NAME: queueName,
    SRCGIT_COMMENT_COMMAND_PREFIX: '/srcgit',
  });
  queue = new Queue(queueName, { connection: { url: privateRedisUrl() } });
}, 60_000);

afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
  await server?.kill();
  await work?.remove();
});

async function deliver(
  eventName: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/gitlab`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Gitlab-Event': eventName,
      'X-Gitlab-Token': SECRET,
      'X-Gitlab-Webhook-UUID': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The server's complete JSON log lines so far. */
function logLines(): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * The first log line with every field of `expected`, waiting for it: the server may write it
 * after its answer reached the test. `undefined` when none came within 10 s.
 */
async function logLine(expected: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const matches = (line: Record<string, unknown>): boolean =>
    Object.entries(expected).every(([key, value]) => line[key] === value);
  for (let waited = 0; waited < 10_000; waited += 50) {
    const found = logLines().find(matches);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** The job each handled documented payload becomes (the MR comment: once it carries a command). */
const queuedAs: Record<string, string> = {
  'merge-request.json': 'source-git-mr-opened',
  'push.json': 'dist-git-pushed',
  'pipeline.json': 'dist-git-mr-pipeline-changed',
};

describe("the real server on GitLab's documented payloads", () => {
  it.each(Object.entries(eventNames))('answers %s (%s) with 202', async (name, eventName) => {
    const { status, json } = await deliver(eventName, read(name));
    expect(status).toBe(202);
    const job = queuedAs[name];
    if (job === undefined) {
      expect(json).toMatchObject({ status: 'not-interested' });
      expect(
        await logLine({ msg: 'delivery ignored', event: eventName, reason: json['reason'] }),
      ).toBeDefined();
    } else {
      expect(json).toMatchObject({ status: 'queued' });
      const queued = await queue.getJob(String(json['jobId']));
      expect(queued?.name).toBe(job);
    }
  });

  it('queues a command in the documented comment on a merge request (its merge_request has no url)', async () => {
    const body = read('note-merge-request.json');
    (body['object_attributes'] as Record<string, unknown>)['note'] = '/srcgit update-dist-git';
    const { status, json } = await deliver('Note Hook', body);
    expect(status).toBe(202);
    expect(json).toMatchObject({ status: 'queued' });
    const queued = await queue.getJob(String(json['jobId']));
    expect(queued?.name).toBe('comment-command-issued');
    expect(queued?.data).toMatchObject({
      event: {
        mergeRequest: { url: 'https://gitlab.example.com/gitlab-org/gitlab-test/-/merge_requests/1' },
      },
    });
  });

  it('answers 202 and logs a warning for a payload without a field a workflow needs, queuing nothing', async () => {
    const body = read('note-merge-request.json');
    (body['object_attributes'] as Record<string, unknown>)['note'] = '/srcgit update-dist-git';
    delete (body['merge_request'] as Record<string, unknown>)['last_commit'];
    const before = await queue.count();
    const { status, json } = await deliver('Note Hook', body);
    expect(status).toBe(202);
    expect(json).toMatchObject({ status: 'unusable' });
    expect(String(json['reason'])).toMatch(/^Note Hook payload: merge_request\.last_commit: /);
    const warning = await logLine({ msg: 'webhook payload unusable; ignored', event: 'Note Hook' });
    // The level as a name or as pino's number.
    expect(['warn', 40]).toContain(warning?.['level']);
    expect(await queue.count()).toBe(before);
  });
});

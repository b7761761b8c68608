/**
 * The built webhook server as a real process, attacked as a stranger would: huge and lying bodies,
 * bodies nested beyond any parser's stack, a packit JWT of one namespace replayed against another
 * namespace's project, self-contradicting payloads, and one comment delivered 20 times at once.
 * Build first: `pnpm exec turbo run build --filter=@srcgit/webhook-server...`.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { createTempDir, freePort, privateRedisUrl, startGitLabSimulator } from '@srcgit/test-fixtures';
import type { GitLabSimulator, TempDir } from '@srcgit/test-fixtures';
import { Queue } from 'bullmq';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookProject, noteHookPayload } from './support/note-hook-payload';
import { residentBytes, startServerProcess } from './support/server-process';
import type { ServerProcess } from './support/server-process';

const SECRET = 'adversarial-hook-secret';
const JWT_SECRET = 'adversarial-packit-secret';
const MiB = 1024 * 1024;
const PATH = '/api/webhooks/gitlab';

let server: ServerProcess;
let port: number;
let queue: Queue;
let work: TempDir;
let sim: GitLabSimulator;

beforeAll(async () => {
  port = await freePort();
  work = createTempDir('hostile-intake');
  const queueName = `adversarial-${randomUUID()}`;
  sim = await startGitLabSimulator();
  server = await startServerProcess({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITLAB_URL: sim.url,
    GITLAB_TOKEN: 'unused',
    WEBHOOK_SECRET: SECRET,
    GITLAB_TOKEN_SECRET: JWT_SECRET,
    REDIS_URL: privateRedisUrl(),
    SRCGIT_HOST: '127.0.0.1',
    SRCGIT_PORT: String(port),
    SRCGIT_SOURCE_GIT_NAMESPACE: 'packit-service/src',
    SRCGIT_DIST_GIT_NAMESPACE: 'packit-service/rpms',
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
  await sim?.close();
});

interface Answer {
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs to the server over one fresh connection: the headers exactly as given, then `body` (a
 * string, or `chunks` × 1 MiB of spaces written with backpressure). Resolves with the first answer,
 * even when the server stops reading the body and closes the connection mid-upload; with
 * `resetIsAnAnswer`, a reset before any answer resolves with status {@link RESET}.
 */
/** The status of an {@link Answer} when the connection was reset before any answer was read. */
const RESET = 0;

function rawPost(
  headers: Record<string, string>,
  body: string | { readonly chunks: number; readonly end?: boolean; readonly resetIsAnAnswer?: boolean },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    // A keep-alive connection of its own, as GitLab's: a refused upload is then drained by the
    // server after its answer instead of being cut (which a `Connection: close` client sees as EPIPE).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      path: PATH,
      method: 'POST',
      headers,
      agent,
    });
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const done = () => {
        resolve({ status: response.statusCode ?? 0, text });
        request.destroy();
      };
      response.on('end', done);
      response.on('error', done);
      response.on('aborted', done);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      if (typeof body !== 'string' && body.resetIsAnAnswer === true && error.code === 'ECONNRESET') {
        answered = true;
        resolve({ status: RESET, text: '' });
        return;
      }
      reject(error);
    });
    request.on('close', () => agent.destroy());
    if (typeof body === 'string') {
      request.end(body);
      return;
    }
    void (async () => {
      const chunk = Buffer.alloc(MiB, 0x20);
      for (let index = 0; index < body.chunks && !answered && !request.destroyed; index += 1) {
        if (!request.write(chunk)) {
          await Promise.race([once(request, 'drain'), once(request, 'close')]).catch(() => undefined);
        }
      }
      if (body.end !== false && !request.destroyed) request.end();
    })();
  });
}

const noteHeaders = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'Content-Type': 'application/json',
  'X-Gitlab-Event': 'Note Hook',
  'X-Gitlab-Token': token,
  ...extra,
});

const jwtFor = (claims: Record<string, string>): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(JWT_SECRET));

const jobCount = (): Promise<number> =>
  queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized');

describe('the webhook server process under hostile deliveries', () => {
  it(
    'answers 401 to 4 unauthenticated 20 MiB bodies without holding them in memory',
    { timeout: 60_000 },
    async () => {
      // Warm up: load every module a refusal needs, so the measurement sees only the bodies.
      for (const token of ['wrong', `${await jwtFor({ namespace: 'x' })}x`]) {
        expect((await rawPost(noteHeaders(token), '{}')).status).toBe(401);
      }
      const pid = server.child.pid ?? 0;
      const before = residentBytes(pid);
      for (let round = 0; round < 4; round += 1) {
        const token = round % 2 === 0 ? 'not-the-secret' : `${await jwtFor({ namespace: 'x' })}x`;
        const answer = await rawPost(noteHeaders(token, { 'Content-Length': String(20 * MiB) }), {
          chunks: 20,
        });
        expect(answer.status).toBe(401);
        const chunked = await rawPost(noteHeaders(token), { chunks: 20 });
        expect(chunked.status).toBe(401);
      }
      const grown = residentBytes(pid) - before;
      expect(grown).toBeLessThan(40 * MiB);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    },
  );

  it(
    'answers 413 to an authenticated body over 5 MiB, announced or not, reading at most the limit',
    { timeout: 60_000 },
    async () => {
      const before = await jobCount();
      const pid = server.child.pid ?? 0;
      const rssBefore = residentBytes(pid);
      const announced = await rawPost(noteHeaders(SECRET, { 'Content-Length': String(20 * MiB) }), {
        chunks: 20,
      });
      expect(announced).toEqual({
        status: 413,
        text: 'The delivery body is larger than 5242880 bytes (limit: SRCGIT_MAX_BODY_BYTES).',
      });
      for (let round = 0; round < 4; round += 1) {
        const chunked = await rawPost(noteHeaders(SECRET), { chunks: 20 });
        expect(chunked.status).toBe(413);
      }
      expect(residentBytes(pid) - rssBefore).toBeLessThan(40 * MiB);
      expect(await jobCount()).toBe(before);
    },
  );

  it('is not fooled by a lying Content-Length', { timeout: 60_000 }, async () => {
    const before = await jobCount();
    // Announces 30 MiB, sends 1 MiB and waits: refused at once, without waiting for the rest.
    const overAnnounced = await rawPost(noteHeaders(SECRET, { 'Content-Length': String(30 * MiB) }), {
      chunks: 1,
      end: false,
    });
    expect(overAnnounced.status).toBe(413);
    // Announces 100 bytes, sends 20 MiB: only the announced bytes are the body (not JSON: 400);
    // the rest is never a second delivery. The bytes after the body are a malformed next request,
    // so the server resets the connection; a reset that reaches the client before it has read the
    // 400 discards that answer (TCP), so either is what a client may see.
    const underAnnounced = await rawPost(noteHeaders(SECRET, { 'Content-Length': '100' }), {
      chunks: 20,
      resetIsAnAnswer: true,
    });
    expect([400, RESET]).toContain(underAnnounced.status);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await jobCount()).toBe(before);
  });

  it('answers 400, not 500, to JSON nested 100 000 levels deep', { timeout: 30_000 }, async () => {
    for (const body of ['['.repeat(100_000), `{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_001)}`]) {
      const answer = await rawPost(noteHeaders(SECRET), body);
      expect(answer).toEqual({
        status: 400,
        text: 'The JSON body nests arrays and objects more than 64 levels deep (limit: SRCGIT_MAX_JSON_DEPTH).',
      });
    }
  });

  it("refuses a JWT of one namespace replayed with another namespace's project, and queues nothing", async () => {
    const before = await jobCount();
    const attackerToken = await jwtFor({ namespace: 'attacker' });
    const forged = noteHookPayload({
      project: { id: 7, path: 'packit-service/src/bash' },
      note: '/srcgit retest',
    });
    // packit read the namespace from the URL fields: point them at the attacker's namespace.
    forged['project'] = {
      ...hookProject(7, 'packit-service/src/bash'),
      git_http_url: 'https://gitlab.com/attacker/bash.git',
      http_url: 'https://gitlab.com/attacker/bash.git',
      web_url: 'https://gitlab.com/attacker/bash',
    };
    const answer = await rawPost(noteHeaders(attackerToken), JSON.stringify(forged));
    expect(answer.status).toBe(401);
    expect(answer.text).toContain(
      'issued for namespace "attacker", the payload is from "packit-service/src"',
    );
    expect(await jobCount()).toBe(before);
  });

  it('refuses a payload whose project fields disagree (the token namespace, another project id), and queues nothing', async () => {
    const before = await jobCount();
    const attackerToken = await jwtFor({ namespace: 'attacker' });
    const mixed = noteHookPayload({ project: { id: 8, path: 'attacker/bash' }, note: '/srcgit retest' });
    // The path is the attacker's; the merge request and its target are the victim's project 7.
    const mr = mixed['merge_request'] as Record<string, unknown>;
    mr['target_project_id'] = 7;
    mr['target'] = hookProject(7, 'packit-service/src/bash');
    const answer = await rawPost(noteHeaders(attackerToken), JSON.stringify(mixed));
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(
      /^Note Hook payload: merge_request\.target_project_id: is 7, but project\.id is 8/,
    );
    expect(await jobCount()).toBe(before);
  });

  it(
    'queues one job for one comment delivered 20 times at once by different hooks',
    { timeout: 30_000 },
    async () => {
      const before = await jobCount();
      const body = JSON.stringify(noteHookPayload({ noteId: 777_001, note: '/srcgit retest' }));
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          rawPost(
            noteHeaders(SECRET, {
              // A group hook and project hooks: each delivery has its own ids.
              'Idempotency-Key': randomUUID(),
              'X-Gitlab-Webhook-UUID': randomUUID(),
              'X-Gitlab-Event-UUID': `event-${index}`,
            }),
            body,
          ),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 202));
      const statuses = answers.map((answer) => (JSON.parse(answer.text) as { status: string }).status);
      expect(statuses.filter((status) => status === 'queued')).toHaveLength(1);
      expect(statuses.filter((status) => status === 'duplicate')).toHaveLength(19);
      expect(await jobCount()).toBe(before + 1);
    },
  );

  it(
    'accepts genuine deliveries (the simulator, a group hook and a project hook) and queues their merge request and comment once each',
    { timeout: 60_000 },
    async () => {
      const before = await jobCount();
      const maintainer = sim.createUser({ username: 'maintainer' });
      const contributor = sim.createUser({ username: 'contributor' });
      sim.createGroup({ path: 'centos' });
      sim.createGroup({ path: 'src', parent: 'centos' });
      sim.addMember({ group: 'centos/src' }, maintainer, 'maintainer');
      const project = await sim.createProject({
        namespace: 'centos/src',
        path: 'bash',
        files: { README: 'bash\n' },
      });
      const fork = await sim.forkProject(project, contributor);
      await sim.commitFiles(fork, { branch: 'fix', files: { README: 'fixed\n' }, user: contributor });
      const url = `http://127.0.0.1:${port}${PATH}`;
      // A project hook with a plain secret and a group hook with the group's packit JWT.
      sim.addWebhook({ project, url, token: SECRET, events: ['note', 'merge_request'] });
      sim.addWebhook({
        group: 'centos/src',
        url,
        token: await jwtFor({ namespace: 'centos/src' }),
        events: ['note'],
      });
      const mr = await sim.createMergeRequest({
        sourceProject: fork,
        targetProject: project,
        sourceBranch: 'fix',
        targetBranch: 'main',
        title: 'Fix',
        author: contributor,
      });
      await sim.addNote(project, mr.iid, contributor, '/srcgit retest');
      await sim.settled();
      const opened = sim.deliveries({ event: 'Merge Request Hook' });
      expect(opened.map((delivery) => [delivery.status, delivery.responseBody])).toEqual([
        [202, expect.stringContaining('"status":"queued"')],
      ]);
      const notes = sim.deliveries({ event: 'Note Hook' });
      expect(notes.map((delivery) => delivery.status)).toEqual([202, 202]);
      const outcomes = notes.map(
        (delivery) => (JSON.parse(delivery.responseBody ?? '{}') as { status: string }).status,
      );
      expect(outcomes.sort()).toEqual(['duplicate', 'queued']);
      expect(await jobCount()).toBe(before + 2);
    },
  );
});

/**
 * Webhooks as the GitLab simulator delivers them (current GitLab payload shapes and headers) are
 * verified and parsed into the expected domain events — the intake path of the bot, end to end.
 */
import { createHmac } from 'node:crypto';
import { startGitLabSimulator, startWebhookReceiver } from '@srcgit/test-fixtures';
import type { GitLabSimulator, ReceivedWebhook, WebhookReceiver } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGitLabWebhook } from '../src/webhook/parse-gitlab-webhook';
import { verifyWebhookToken } from '../src/webhook/verify-webhook-token';

const sharedSecret = 'shared-hook-secret';
const jwtSecret = 'gitlab-token-secret';

function pyJwtToken(claims: Record<string, string>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

let sim: GitLabSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startGitLabSimulator({ forkImportDelayMs: 0 });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await sim.close();
  await receiver.close();
});

function header(delivery: ReceivedWebhook, name: string): string | undefined {
  const value = delivery.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function intake(delivery: ReceivedWebhook) {
  const verdict = await verifyWebhookToken(
    header(delivery, 'x-gitlab-token'),
    { sharedSecrets: [sharedSecret], jwtSecret },
    delivery.json,
  );
  const result = parseGitLabWebhook({
    eventName: header(delivery, 'x-gitlab-event'),
    body: delivery.json,
    commandPrefix: '/packit',
  });
  return { verdict, result };
}

describe('deliveries from the simulator', () => {
  it('verify and parse into the events the workflows expect', async () => {
    const bot = sim.createUser({ username: 'srcgit-bot', bot: true });
    const alice = sim.createUser({ username: 'alice' });
    sim.createGroup({ path: 'src' });
    sim.createGroup({ path: 'rpms' });
    sim.addMember({ group: 'rpms' }, bot, 'developer');
    const sourceGit = await sim.createProject({
      namespace: 'src',
      path: 'beer',
      defaultBranch: 'c9s',
      files: { '.distro/beer.spec': 'Name: beer\n' },
    });
    const distGit = await sim.createProject({
      namespace: 'rpms',
      path: 'beer',
      defaultBranch: 'c9s',
      files: { 'beer.spec': 'Name: beer\n' },
      ciConfig:
        'check:\n  script: echo ok\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n',
    });
    // A shared secret on the source-git group, a packit JWT for the dist-git namespace.
    sim.addWebhook({
      group: 'src',
      url: receiver.url,
      token: sharedSecret,
      events: ['merge_request', 'note'],
    });
    sim.addWebhook({
      group: 'rpms',
      url: receiver.url,
      token: pyJwtToken({ namespace: 'rpms' }, jwtSecret),
      events: ['pipeline', 'push'],
    });

    const fork = await sim.forkProject(sourceGit.id, alice);
    await sim.commitFiles(fork.id, { branch: 'fix', startBranch: 'c9s', files: { fix: '1\n' }, user: alice });
    const mr = await sim.createMergeRequest({
      sourceProject: fork.id,
      targetProject: sourceGit.id,
      sourceBranch: 'fix',
      targetBranch: 'c9s',
      title: 'Fix',
      author: alice,
    });
    await sim.commitFiles(fork.id, { branch: 'fix', files: { fix: '2\n' }, user: alice });
    await sim.updateMergeRequest(sourceGit.id, mr.iid, alice, { title: 'Fix it' });
    await sim.addNote(sourceGit.id, mr.iid, alice, 'Thanks!');
    await sim.addNote(sourceGit.id, mr.iid, alice, 'Please\n/packit test');
    await sim.updateMergeRequest(sourceGit.id, mr.iid, alice, { stateEvent: 'close' });
    await sim.updateMergeRequest(sourceGit.id, mr.iid, alice, { stateEvent: 'reopen' });
    await sim.commitFiles(distGit.id, {
      branch: 'c9s',
      files: { 'beer.spec': 'Name: beer\nVersion: 2\n' },
      user: bot,
    });
    await sim.commitFiles(distGit.id, { branch: 'c9s-src-1', files: { 'p.patch': 'p\n' }, user: bot });
    const distGitMr = await sim.createMergeRequest({
      sourceProject: distGit.id,
      sourceBranch: 'c9s-src-1',
      targetBranch: 'c9s',
      title: 'Fix it',
      author: bot,
    });
    const pipeline = sim.headPipeline(distGit.id, distGitMr.iid);
    if (pipeline === undefined) throw new Error('the simulator created no MR pipeline');
    await sim.setPipelineStatus(pipeline.id, 'running');
    await sim.setPipelineStatus(pipeline.id, 'failed');
    await sim.settled();

    const outcomes = await Promise.all(receiver.received.map(intake));
    for (const { verdict } of outcomes) expect(verdict.valid).toBe(true);
    expect(outcomes.map(({ verdict }) => (verdict.valid ? verdict.scheme : verdict.reason))).toContain('jwt');

    const events = outcomes.flatMap(({ result }) => (result.kind === 'event' ? [result.event] : []));
    const kinds = events.map((event) => event.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'source-git-mr-opened',
        'source-git-mr-updated',
        'comment-command-issued',
        'source-git-mr-closed',
        'source-git-mr-reopened',
        'dist-git-pushed',
        'dist-git-mr-pipeline-changed',
      ]),
    );
    expect(outcomes.filter(({ result }) => result.kind === 'invalid')).toEqual([]);

    const codeUpdate = events.find(
      (event) => event.kind === 'source-git-mr-updated' && event.oldrev !== null,
    );
    expect(codeUpdate).toMatchObject({ mergeRequest: { iid: mr.iid, sourceProject: { id: fork.id } } });
    const titleUpdate = events.find((event) => event.kind === 'source-git-mr-updated' && event.changes.title);
    expect(titleUpdate).toMatchObject({
      oldrev: null,
      changes: { title: { previous: 'Fix', current: 'Fix it' } },
    });

    const commands = events.filter((event) => event.kind === 'comment-command-issued');
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({
      note: { body: 'Please\n/packit test', action: 'create', system: false },
    });

    const statuses = events.flatMap((event) =>
      event.kind === 'dist-git-mr-pipeline-changed' && event.pipeline.id === pipeline.id
        ? [event.pipeline.status]
        : [],
    );
    expect(statuses).toEqual(expect.arrayContaining(['running', 'failed']));
  });
});

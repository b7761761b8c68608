import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from '../start-gitlab-simulator';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver';

describe('webhook delivery', () => {
  let sim: GitLabSimulator;
  let receiver: WebhookReceiver;
  let user: SimulatorUser;
  let project: SimulatorProject;

  beforeEach(async () => {
    sim = await startGitLabSimulator();
    receiver = await startWebhookReceiver();
    user = sim.createUser({ username: 'dev' });
    sim.createGroup({ path: 'top' });
    sim.createGroup({ path: 'nested', parent: 'top' });
    sim.addMember({ group: 'top' }, user, 'maintainer');
    project = await sim.createProject({ namespace: 'top/nested', path: 'p', files: { a: 'a\n' } });
  });

  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  it('holds deliveries while webhooks are switched off and sends them late, in order', async () => {
    const hook = sim.addWebhook({ project, url: receiver.url, events: ['push'] });
    sim.holdWebhooks();
    await sim.commitFiles(project, { branch: 'one', files: { b: 'b\n' }, user });
    await sim.commitFiles(project, { branch: 'two', files: { c: 'c\n' }, user });
    await sim.settled();
    expect(receiver.received).toHaveLength(0);
    expect(sim.deliveries({ hookId: hook.id }).map((delivery) => delivery.settled)).toEqual([false, false]);

    sim.releaseWebhooks();
    await sim.settled();
    expect(
      sim.deliveries({ hookId: hook.id }).map((delivery) => [delivery.payload.ref, delivery.status]),
    ).toEqual([
      ['refs/heads/one', 200],
      ['refs/heads/two', 200],
    ]);
    await sim.commitFiles(project, { branch: 'three', files: { d: 'd\n' }, user });
    await sim.settled();
    expect(receiver.received).toHaveLength(3);
  });

  it('reaches group hooks of ancestor groups, shares the event UUID, and honours the branch filter', async () => {
    const groupHook = sim.addWebhook({
      group: 'top',
      url: receiver.url,
      token: 's3cret',
      events: ['push', 'merge_request'],
    });
    const projectHook = sim.addWebhook({
      project,
      url: receiver.url,
      events: ['push'],
      pushEventsBranchFilter: 'release/*',
    });
    await sim.commitFiles(project, { branch: 'feature', files: { b: 'b\n' }, user });
    await sim.commitFiles(project, { branch: 'release/1', files: { c: 'c\n' }, user });
    await sim.settled();
    const pushes = sim.deliveries({ event: 'Push Hook' });
    expect(pushes.map((delivery) => [delivery.hookId, delivery.payload.ref])).toEqual([
      [groupHook.id, 'refs/heads/feature'],
      [groupHook.id, 'refs/heads/release/1'],
      [projectHook.id, 'refs/heads/release/1'],
    ]);
    expect(pushes[1]?.headers['X-Gitlab-Event-UUID']).toBe(pushes[2]?.headers['X-Gitlab-Event-UUID']);
    expect(pushes[1]?.headers['X-Gitlab-Webhook-UUID']).not.toBe(pushes[2]?.headers['X-Gitlab-Webhook-UUID']);
    expect(pushes[0]?.headers['X-Gitlab-Token']).toBe('s3cret');
    expect(pushes[2]?.headers['X-Gitlab-Token']).toBeUndefined();
    expect(receiver.received).toHaveLength(3);
    expect(pushes.every((delivery) => delivery.status === 200 && delivery.settled)).toBe(true);
  });

  it('redelivers with the same Idempotency-Key and a new webhook UUID', async () => {
    sim.addWebhook({ project, url: receiver.url, events: ['push'] });
    await sim.commitFiles(project, { branch: 'main', files: { b: 'b\n' }, user });
    await sim.settled();
    const [original] = sim.deliveries();
    const again = sim.redeliver(original?.id ?? 0);
    await sim.settled();
    const [, resent] = sim.deliveries();
    expect(resent?.id).toBe(again.id);
    expect(resent?.headers['Idempotency-Key']).toBe(original?.headers['Idempotency-Key']);
    expect(resent?.headers['X-Gitlab-Webhook-UUID']).not.toBe(original?.headers['X-Gitlab-Webhook-UUID']);
    expect(resent?.body).toBe(original?.body);
  });

  it('disables a hook after four 4xx answers, and a re-enabled hook delivers again', async () => {
    receiver.respondWith(401);
    const hook = sim.addWebhook({ project, url: receiver.url, events: ['push'] });
    for (let i = 0; i < 5; i += 1)
      await sim.commitFiles(project, { branch: 'main', files: { n: `${i}\n` }, user });
    await sim.settled();
    const deliveries = sim.deliveries();
    expect(deliveries.map((delivery) => delivery.status ?? delivery.skipped)).toEqual([
      401,
      401,
      401,
      401,
      'hook disabled',
    ]);
    expect(sim.hooks()[0]).toMatchObject({ alertStatus: 'disabled' });
    receiver.respondWith(200);
    sim.enableWebhook(hook.id);
    await sim.commitFiles(project, { branch: 'main', files: { n: 'again\n' }, user });
    await sim.settled();
    expect(sim.deliveries().at(-1)?.status).toBe(200);
  });

  it('backs off temporarily after four 5xx answers or unreachable receivers', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    await sim.close();
    sim = await startGitLabSimulator({ now: () => new Date(clock) });
    user = sim.createUser({ username: 'dev' });
    project = await sim.createProject({ namespace: 'dev', path: 'p', files: { a: 'a\n' } });
    sim.addWebhook({ project, url: 'http://127.0.0.1:9/unreachable', events: ['push'] });
    for (let i = 0; i < 5; i += 1)
      await sim.commitFiles(project, { branch: 'main', files: { n: `${i}\n` }, user });
    await sim.settled();
    const outcomes = sim
      .deliveries()
      .map((delivery) => (delivery.error === null ? delivery.skipped : 'error'));
    expect(outcomes).toEqual(['error', 'error', 'error', 'error', 'hook temporarily disabled']);
    expect(sim.hooks()[0]).toMatchObject({
      alertStatus: 'temporarily_disabled',
      disabledUntil: clock + 60_000,
    });
    clock += 61_000;
    await sim.commitFiles(project, { branch: 'main', files: { n: 'later\n' }, user });
    await sim.settled();
    expect(sim.deliveries().at(-1)?.error).not.toBeNull();
  });
});

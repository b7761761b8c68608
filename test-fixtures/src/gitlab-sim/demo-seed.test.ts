import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../git-repo';
import { seedDemo, type DemoWorld } from './demo-seed';
import { startGitLabSimulator, type GitLabSimulator } from './start-gitlab-simulator';
import { restCall, textOf } from './testing/rest-call';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

describe('seedDemo', () => {
  let sim: GitLabSimulator;
  let receiver: WebhookReceiver;
  let world: DemoWorld;

  beforeAll(async () => {
    sim = await startGitLabSimulator();
    receiver = await startWebhookReceiver();
    world = await seedDemo(sim, { webhookUrl: receiver.url, webhookToken: 'jwt-or-secret' });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('creates source-git and dist-git projects on c10s with the upstream tag and packaging', async () => {
    const { sourceGit, distGit, contributorFork } = world.projects;
    expect([
      sourceGit.pathWithNamespace,
      distGit.pathWithNamespace,
      contributorFork.pathWithNamespace,
    ]).toEqual(['src/beer', 'rpms/beer', 'contributor/beer']);
    const clone = await createGitRepo();
    await clone.git(['fetch', '--quiet', '--tags', sim.cloneUrl(sourceGit, world.users.bot), 'c10s']);
    expect((await clone.git(['log', '--format=%s', 'FETCH_HEAD'])).trim().split('\n')).toEqual([
      'Add packaging for beer 1.0',
      'Add --strong',
      'Initial import of beer',
    ]);
    expect((await clone.git(['describe', '--tags', 'FETCH_HEAD~1'])).trim()).toBe('v1.0');
    const config = await restCall(
      sim.apiUrl,
      world.users.bot.token,
      'GET',
      `/projects/${encodeURIComponent('src/beer')}/repository/files/${encodeURIComponent('.distro/source-git.yaml')}/raw?ref=c10s`,
    );
    expect(config.text).toContain('upstream_ref: v1.0');
    const spec = await restCall(
      sim.apiUrl,
      world.users.bot.token,
      'GET',
      `/projects/${distGit.id}/repository/files/beer.spec?ref=c10s`,
    );
    expect(Buffer.from(textOf(spec.json.content), 'base64').toString('utf8')).toContain(
      'Name:           beer',
    );
    expect(sim.project(contributorFork).importStatus).toBe('finished');
  });

  it('gives the bot Developer on dist-git and Reporter on source-git', async () => {
    const member = (project: number) =>
      restCall(
        sim.apiUrl,
        world.users.bot.token,
        'GET',
        `/projects/${project}/members/all/${world.users.bot.id}`,
      );
    expect((await member(world.projects.distGit.id)).json.access_level).toBe(30);
    expect((await member(world.projects.sourceGit.id)).json.access_level).toBe(20);
    expect((await member(world.projects.contributorFork.id)).status).toBe(404);
  });

  it('points the bot hooks at the webhook URL: an MR from the contributor fork reaches it', async () => {
    const { contributor } = world.users;
    await sim.commitFiles(world.projects.contributorFork, {
      branch: 'stronger',
      files: { 'beer.c': '/* stronger */\n' },
      message: 'Make it stronger',
      user: contributor,
    });
    await sim.createMergeRequest({
      sourceProject: world.projects.contributorFork,
      targetProject: world.projects.sourceGit,
      sourceBranch: 'stronger',
      targetBranch: world.branch,
      title: 'Make it stronger',
      author: contributor,
    });
    await sim.settled();
    const events = receiver.received.map((request) => request.headers['x-gitlab-event']);
    expect(events).toEqual(['Merge Request Hook']);
    expect(receiver.received[0]?.headers['x-gitlab-token']).toBe('jwt-or-secret');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitRepo } from '../git-repo';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from './start-gitlab-simulator';
import { restCall, type Loose } from './testing/rest-call';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

interface World {
  sim: GitLabSimulator;
  receiver: WebhookReceiver;
  maintainer: SimulatorUser;
  contributor: SimulatorUser;
  upstream: SimulatorProject;
}

function api(
  sim: GitLabSimulator,
  user: SimulatorUser | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  return restCall(sim.apiUrl, user?.token, method, path, body);
}

describe('GitLab simulator: merge requests from forks', () => {
  let world: World;

  beforeEach(async () => {
    const sim = await startGitLabSimulator({ forkImportDelayMs: 'manual' });
    const receiver = await startWebhookReceiver();
    const maintainer = sim.createUser({ username: 'maint', name: 'Mai Ntainer' });
    const contributor = sim.createUser({ username: 'contrib', name: 'Con Tributor' });
    sim.createGroup({ path: 'src' });
    sim.addMember({ group: 'src' }, maintainer, 'maintainer');
    const upstream = await sim.createProject({
      namespace: 'src',
      path: 'beer',
      files: { 'README.md': '# beer\n', 'beer.txt': 'lager\n' },
    });
    sim.addWebhook({
      group: 'src',
      url: receiver.url,
      token: 'secret',
      events: ['merge_request', 'note', 'push'],
    });
    world = { sim, receiver, maintainer, contributor, upstream };
  });

  afterEach(async () => {
    await world.sim.close();
    await world.receiver.close();
  });

  it('forks asynchronously: scheduled, then finished, and refuses git access until then', async () => {
    const { sim, contributor, upstream } = world;
    const fork = await api(sim, contributor, 'POST', `/projects/${upstream.id}/fork`, {});
    expect(fork.status).toBe(201);
    expect(fork.json.import_status).toBe('scheduled');
    expect(fork.json.forked_from_project?.id).toBe(upstream.id);
    expect(fork.json.namespace?.full_path).toBe('contrib');
    const clone = await createGitRepo();
    await expect(
      clone.git(['fetch', sim.cloneUrl(Number(fork.json.id), contributor), 'main']),
    ).rejects.toThrow(/not found|404/i);
    const pending = await api(sim, contributor, 'GET', `/projects/${Number(fork.json.id)}`);
    expect(pending.json.import_status).toBe('scheduled');
    await sim.completeForkImports();
    const after = await api(sim, contributor, 'GET', `/projects/${encodeURIComponent('contrib/beer')}`);
    expect(after.json.import_status).toBe('finished');
    expect(after.json.permissions?.project_access?.access_level).toBe(50);
    await clone.git(['fetch', '--quiet', sim.cloneUrl(Number(fork.json.id), contributor), 'main']);
    expect(await clone.revParse('FETCH_HEAD')).toBe(
      (await api(sim, contributor, 'GET', `/projects/${upstream.id}/repository/branches/main`)).json.commit
        ?.id,
    );
  });

  it('opens an MR from a fork, updates it on push with oldrev, and mirrors the head into the target', async () => {
    const { sim, contributor, upstream, receiver } = world;
    const fork = await sim.forkProject(upstream, contributor);
    const work = await createGitRepo();
    await work.git(['fetch', '--quiet', sim.cloneUrl(fork, contributor), 'main']);
    await work.git(['checkout', '--quiet', '-B', 'fix', 'FETCH_HEAD']);
    const first = await work.commit('Stronger beer', { files: { 'beer.txt': 'stout\n' } });
    await work.git(['push', '--quiet', sim.cloneUrl(fork, contributor), 'fix']);

    const created = await api(sim, contributor, 'POST', `/projects/${fork.id}/merge_requests`, {
      source_branch: 'fix',
      target_branch: 'main',
      title: 'Stronger beer',
      target_project_id: upstream.id,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      iid: 1,
      project_id: upstream.id,
      source_project_id: fork.id,
      sha: first,
      state: 'opened',
    });

    const duplicate = await api(sim, contributor, 'POST', `/projects/${fork.id}/merge_requests`, {
      source_branch: 'fix',
      target_branch: 'main',
      title: 'Again',
      target_project_id: upstream.id,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toEqual({
      message: ['Another open merge request already exists for this source branch: !1'],
    });

    const second = await work.commit('Even stronger', { files: { 'beer.txt': 'imperial stout\n' } });
    await work.git(['push', '--quiet', sim.cloneUrl(fork, contributor), 'fix']);
    const mr = await api(sim, contributor, 'GET', `/projects/${upstream.id}/merge_requests/1`);
    expect(mr.json.sha).toBe(second);
    const commit = await api(
      sim,
      contributor,
      'GET',
      `/projects/${upstream.id}/repository/commits/${second}`,
    );
    expect(commit.status).toBe(200);
    expect(commit.json.id).toBe(second);
    const viewer = await createGitRepo();
    await viewer.git(['fetch', '--quiet', sim.cloneUrl(upstream), 'refs/merge-requests/1/head']);
    expect(await viewer.revParse('FETCH_HEAD')).toBe(second);

    await sim.settled();
    const events = receiver.received.map((request) => [
      request.headers['x-gitlab-event'],
      (request.json as Loose).object_attributes?.action,
      (request.json as Loose).object_attributes?.oldrev,
    ]);
    expect(events).toEqual([
      ['Merge Request Hook', 'open', undefined],
      ['Merge Request Hook', 'update', first],
    ]);
    const open = receiver.received[0];
    expect(open?.headers['x-gitlab-token']).toBe('secret');
    expect((open?.json as Loose).object_attributes?.merge_status).toBe('preparing');
    expect((open?.json as Loose).changes).toEqual({
      merge_status: { previous: 'unchecked', current: 'preparing' },
    });
    const notes = sim.notes(upstream, 1);
    expect(notes.map((note) => [note.system, note.body.split('\n')[0]])).toEqual([[true, 'added 1 commit']]);
  });
});

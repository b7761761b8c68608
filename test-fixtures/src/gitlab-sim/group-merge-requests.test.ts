import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitLabSimulator, type GitLabSimulator, type SimulatorUser } from './start-gitlab-simulator';
import { listOf, restCall, textOf } from './testing/rest-call';

describe('GitLab simulator: GET /groups/:id/merge_requests', () => {
  let sim: GitLabSimulator;
  let dev: SimulatorUser;
  let outsider: SimulatorUser;

  beforeEach(async () => {
    sim = await startGitLabSimulator();
    dev = sim.createUser({ username: 'dev' });
    outsider = sim.createUser({ username: 'outsider' });
    sim.createGroup({ path: 'src' });
    sim.createGroup({ path: 'inner', parent: 'src' });
    sim.createGroup({ path: 'other' });
    sim.addMember({ group: 'src' }, dev, 'developer');
    sim.addMember({ group: 'other' }, dev, 'developer');
    const files = { 'README.md': 'hi\n' };
    const projects = [
      await sim.createProject({ namespace: 'src', path: 'beer', files }),
      await sim.createProject({ namespace: 'src/inner', path: 'wine', files }),
      await sim.createProject({ namespace: 'src', path: 'secret', files, visibility: 'private' }),
      await sim.createProject({ namespace: 'other', path: 'tea', files }),
    ];
    for (const [index, project] of projects.entries()) {
      await sim.commitFiles(project, { branch: `topic-${index}`, files: { x: `${index}\n` }, user: dev });
      await sim.createMergeRequest({
        sourceProject: project,
        sourceBranch: `topic-${index}`,
        targetBranch: 'main',
        title: `MR ${index}`,
        author: dev,
      });
    }
    await sim.updateMergeRequest('src/inner/wine', 1, dev, { stateEvent: 'close' });
  });

  afterEach(async () => {
    await sim.close();
  });

  it('lists the MRs of the group and its subgroups, oldest first, filtered and paginated', async () => {
    const all = await restCall(
      sim.apiUrl,
      dev.token,
      'GET',
      '/groups/src/merge_requests?order_by=created_at&sort=asc',
    );
    expect(all.status).toBe(200);
    expect(listOf(all.json).map((mr) => textOf(mr['references']?.['full']))).toEqual([
      'src/beer!1',
      'src/inner/wine!1',
      'src/secret!1',
    ]);
    const open = await restCall(
      sim.apiUrl,
      dev.token,
      'GET',
      '/groups/src/merge_requests?state=opened&order_by=created_at&sort=asc&per_page=1&page=2',
    );
    expect(listOf(open.json).map((mr) => textOf(mr['title']))).toEqual(['MR 2']);
    expect(open.headers.get('x-next-page')).toBe('');
    expect(open.headers.get('x-total')).toBe('2');
    const byAuthor = await restCall(
      sim.apiUrl,
      dev.token,
      'GET',
      '/groups/src/merge_requests?author_username=nobody',
    );
    expect(listOf(byAuthor.json)).toEqual([]);
  });

  it('hides projects the caller cannot see and answers 404 for an unknown group', async () => {
    const seen = await restCall(sim.apiUrl, outsider.token, 'GET', '/groups/src/merge_requests');
    expect(
      listOf(seen.json)
        .map((mr) => textOf(mr['references']?.['full']))
        .sort(),
    ).toEqual(['src/beer!1', 'src/inner/wine!1']);
    const missing = await restCall(sim.apiUrl, dev.token, 'GET', '/groups/nowhere/merge_requests');
    expect(missing.status).toBe(404);
  });
});

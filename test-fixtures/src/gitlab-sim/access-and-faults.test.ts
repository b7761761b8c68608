import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../git-repo';
import { createTempDir } from '../temp-dir';
import { runGit } from '../run-git';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from './start-gitlab-simulator';
import { listOf, restCall } from './testing/rest-call';

describe('permissions, pagination and faults', () => {
  let sim: GitLabSimulator;
  let owner: SimulatorUser;
  let reporter: SimulatorUser;
  let stranger: SimulatorUser;
  let secret: SimulatorProject;
  let open: SimulatorProject;

  beforeAll(async () => {
    sim = await startGitLabSimulator();
    owner = sim.createUser({ username: 'owner' });
    reporter = sim.createUser({ username: 'reporter' });
    stranger = sim.createUser({ username: 'stranger' });
    sim.createGroup({ path: 'team' });
    sim.createGroup({ path: 'sub', parent: 'team' });
    sim.addMember({ group: 'team' }, owner, 'owner');
    secret = await sim.createProject({
      namespace: 'team/sub',
      path: 'secret',
      visibility: 'private',
      files: { a: 'a\n' },
    });
    open = await sim.createProject({ namespace: 'team', path: 'open', files: { a: 'a\n' } });
    sim.addMember({ project: secret }, reporter, 'reporter');
    for (let i = 0; i < 25; i += 1) await sim.createBranch(open, `b${String(i).padStart(2, '0')}`, 'main');
  });

  afterAll(async () => {
    await sim.close();
  });

  it('hides private projects from strangers (404) and rejects bad tokens (401)', async () => {
    const path = `/projects/${encodeURIComponent('team/sub/secret')}`;
    expect((await restCall(sim.apiUrl, stranger.token, 'GET', path)).json).toEqual({
      message: '404 Project Not Found',
    });
    expect((await restCall(sim.apiUrl, undefined, 'GET', path)).status).toBe(404);
    expect((await restCall(sim.apiUrl, reporter.token, 'GET', path)).status).toBe(200);
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).json.permissions).toEqual({
      project_access: null,
      group_access: { access_level: 50, notification_level: 3 },
    });
    expect((await restCall(sim.apiUrl, undefined, 'GET', `/projects/${open.id}`)).status).toBe(200);
    const bad = await restCall(sim.apiUrl, 'glpat-wrong', 'GET', `/projects/${open.id}`);
    expect(bad).toMatchObject({ status: 401, json: { message: '401 Unauthorized' } });
    expect((await restCall(sim.apiUrl, undefined, 'GET', '/user')).status).toBe(401);
    const bearer = await fetch(`${sim.apiUrl}/user`, { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(((await bearer.json()) as { username: string }).username).toBe('owner');
  });

  it('reports inherited roles in members/all, 404 for non-members', async () => {
    const path = `/projects/${secret.id}/members/all`;
    expect((await restCall(sim.apiUrl, reporter.token, 'GET', `${path}/${owner.id}`)).json).toMatchObject({
      id: owner.id,
      access_level: 50,
    });
    expect((await restCall(sim.apiUrl, reporter.token, 'GET', `${path}/${reporter.id}`)).json).toMatchObject({
      access_level: 20,
    });
    expect((await restCall(sim.apiUrl, reporter.token, 'GET', `${path}/${stranger.id}`)).status).toBe(404);
  });

  it('guards git: anonymous clones of private projects are challenged, reporters cannot push, developers can', async () => {
    const dir = createTempDir('clones');
    await expect(
      runGit(['clone', '--quiet', sim.cloneUrl(secret), `${dir.path}/anon`], { cwd: dir.path }),
    ).rejects.toThrow(/Authentication failed|could not read Username|401/);
    await expect(
      runGit(['clone', '--quiet', sim.cloneUrl(secret, stranger), `${dir.path}/stranger`], { cwd: dir.path }),
    ).rejects.toThrow(/not found|404/i);
    const work = await createGitRepo();
    await work.git(['fetch', '--quiet', sim.cloneUrl(secret, reporter), 'main']);
    await work.git(['checkout', '--quiet', '-B', 'topic', 'FETCH_HEAD']);
    await work.commit('change', { files: { b: 'b\n' } });
    await expect(work.git(['push', '--quiet', sim.cloneUrl(secret, reporter), 'topic'])).rejects.toThrow(
      /403/,
    );
    await work.git(['push', '--quiet', sim.cloneUrl(secret, owner), 'topic']);
    const oauth = new URL(sim.cloneUrl(secret));
    oauth.username = 'oauth2';
    oauth.password = owner.token;
    await work.git(['push', '--quiet', oauth.toString(), 'topic:topic2']);
    const branches = await restCall(
      sim.apiUrl,
      owner.token,
      'GET',
      `/projects/${secret.id}/repository/branches`,
    );
    expect(listOf(branches.json).map((branch) => branch.name)).toEqual(['main', 'topic', 'topic2']);
    await expect(
      work.git(['push', '--quiet', sim.cloneUrl(secret, owner), 'topic:refs/merge-requests/1/head']),
    ).rejects.toThrow();
  });

  it('protects the default branch: Maintainers push, nobody force-pushes or deletes it', async () => {
    const developer = sim.createUser({ username: 'developer' });
    const guarded = await sim.createProject({ namespace: 'team', path: 'guarded', files: { a: 'a\n' } });
    sim.addMember({ project: guarded }, developer, 'developer');
    const work = await createGitRepo();
    await work.git(['fetch', '--quiet', sim.cloneUrl(guarded, developer), 'main']);
    await work.git(['checkout', '--quiet', '-B', 'main', 'FETCH_HEAD']);
    const base = await work.revParse('HEAD');
    await work.commit('on main', { files: { main: 'x\n' } });
    await expect(work.git(['push', '--quiet', sim.cloneUrl(guarded, developer), 'main'])).rejects.toThrow(
      /You are not allowed to push code to protected branches on this project/,
    );
    await work.git(['push', '--quiet', sim.cloneUrl(guarded, developer), 'main:feature-by-dev']);
    await work.git(['push', '--quiet', sim.cloneUrl(guarded, owner), 'main']);
    await work.git(['reset', '--quiet', '--hard', base]);
    await work.commit('rewritten', { files: { other: 'y\n' } });
    await expect(
      work.git(['push', '--quiet', '--force', sim.cloneUrl(guarded, owner), 'main']),
    ).rejects.toThrow(/not allowed to force push code to a protected branch/);
    await expect(work.git(['push', '--quiet', sim.cloneUrl(guarded, owner), ':main'])).rejects.toThrow(
      /delete protected branches/,
    );
    await work.git(['push', '--quiet', '--force', sim.cloneUrl(guarded, developer), 'HEAD:feature-by-dev']);
  });

  it('paginates with GitLab’s headers and Link relations', async () => {
    const page = await restCall(
      sim.apiUrl,
      owner.token,
      'GET',
      `/projects/${open.id}/repository/branches?per_page=10&page=2`,
    );
    expect(Array.isArray(page.json) ? page.json.length : 0).toBe(10);
    expect(
      Object.fromEntries(
        ['X-Page', 'X-Per-Page', 'X-Next-Page', 'X-Prev-Page', 'X-Total', 'X-Total-Pages'].map((name) => [
          name,
          page.headers.get(name),
        ]),
      ),
    ).toEqual({
      'X-Page': '2',
      'X-Per-Page': '10',
      'X-Next-Page': '3',
      'X-Prev-Page': '1',
      'X-Total': '26',
      'X-Total-Pages': '3',
    });
    const link = page.headers.get('Link') ?? '';
    expect([...link.matchAll(/rel="(\w+)"/g)].map((match) => match[1])).toEqual([
      'prev',
      'next',
      'first',
      'last',
    ]);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    expect(Object.fromEntries(new URL(next).searchParams)).toEqual({ per_page: '10', page: '3' });
    const last = await restCall(
      sim.apiUrl,
      owner.token,
      'GET',
      `/projects/${open.id}/repository/branches?per_page=500&page=1`,
    );
    expect(last.headers.get('X-Per-Page')).toBe('100');
    expect(last.headers.get('X-Next-Page')).toBe('');
    expect(last.headers.get('RateLimit-Limit')).toBe('2000');
  });

  it('injects 5xx, 429 with Retry-After, latency and dropped connections, a given number of times', async () => {
    const path = `/projects/${open.id}`;
    const serverError = sim.injectFault({ path: /\/projects\/\d+$/, status: 500 });
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(500);
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(200);
    expect(serverError).toMatchObject({ hits: 1, remaining: 0 });

    sim.injectFault({ method: 'GET', path: /\/projects\/\d+$/, status: 429, retryAfter: 7, times: 2 });
    const limited = await restCall(sim.apiUrl, owner.token, 'GET', path);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('7');
    expect(limited.headers.get('RateLimit-Remaining')).toBe('0');
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(429);
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(200);

    const bad = sim.injectFault({ path: /\/projects\/\d+$/, status: 502, times: Infinity });
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(502);
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(502);
    bad.remove();

    const slow = sim.injectFault({ path: /\/projects\/\d+$/, latencyMs: 30 });
    expect((await restCall(sim.apiUrl, owner.token, 'GET', path)).status).toBe(200);
    expect(slow.hits).toBe(1);

    sim.injectFault({ path: /\/projects\/\d+$/, drop: true });
    await expect(fetch(`${sim.apiUrl}${path}`)).rejects.toThrow();

    sim.injectFault({ path: /\/git-upload-pack$/, status: 503 });
    const work = await createGitRepo();
    await expect(work.git(['fetch', '--quiet', sim.cloneUrl(open, owner), 'main'])).rejects.toThrow(/503/);
    await work.git(['fetch', '--quiet', sim.cloneUrl(open, owner), 'main']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from './start-gitlab-simulator';
import { listOf, restCall } from './testing/rest-call';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

describe('commit statuses follow GitLab’s rules', () => {
  let sim: GitLabSimulator;
  let receiver: WebhookReceiver;
  let developer: SimulatorUser;
  let reporter: SimulatorUser;
  let contributor: SimulatorUser;
  let project: SimulatorProject;
  let head: string;

  const post = (user: SimulatorUser, target: SimulatorProject, sha: string, body: Record<string, unknown>) =>
    restCall(sim.apiUrl, user.token, 'POST', `/projects/${target.id}/statuses/${sha}`, body);

  beforeAll(async () => {
    sim = await startGitLabSimulator();
    receiver = await startWebhookReceiver();
    developer = sim.createUser({ username: 'dev' });
    reporter = sim.createUser({ username: 'rep' });
    contributor = sim.createUser({ username: 'contrib' });
    sim.createGroup({ path: 'src' });
    project = await sim.createProject({ namespace: 'src', path: 'beer', files: { 'README.md': 'x\n' } });
    sim.addMember({ project }, developer, 'developer');
    sim.addMember({ project }, reporter, 'reporter');
    sim.addWebhook({ project, url: receiver.url, events: ['pipeline'] });
    head = (
      await restCall(sim.apiUrl, developer.token, 'GET', `/projects/${project.id}/repository/branches/main`)
    ).json.commit?.id as unknown as string;
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('needs Developer on the project (403 for a Reporter, 401 anonymously)', async () => {
    const denied = await post(reporter, project, head, { state: 'pending', name: 'ci' });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ message: '403 Forbidden' });
    const anonymous = await restCall(
      sim.apiUrl,
      undefined,
      'POST',
      `/projects/${project.id}/statuses/${head}`,
      { state: 'pending' },
    );
    expect(anonymous.status).toBe(401);
  });

  it('answers 404 for an unknown commit and for a commit no branch contains', async () => {
    const unknown = await post(developer, project, 'f'.repeat(40), { state: 'pending' });
    expect(unknown).toMatchObject({ status: 404, json: { message: '404 Commit Not Found' } });

    const fork = await sim.forkProject(project, contributor);
    const sha = await sim.commitFiles(fork, {
      branch: 'fix',
      files: { 'README.md': 'fork\n' },
      user: contributor,
    });
    await sim.createMergeRequest({
      sourceProject: fork,
      targetProject: project,
      sourceBranch: 'fix',
      targetBranch: 'main',
      title: 'Fix',
      author: contributor,
    });
    const inTarget = await post(developer, project, sha, { state: 'pending', name: 'ci' });
    expect(inTarget).toMatchObject({ status: 404, json: { message: '404 References for commit Not Found' } });
    const withRef = await post(developer, project, sha, { state: 'pending', name: 'ci', ref: 'fix' });
    expect(withRef.status).toBe(201);
    const onFork = await post(developer, fork, sha, { state: 'pending', name: 'ci', ref: 'fix' });
    expect(onFork.status).toBe(403);
  });

  it('refuses to repeat a pending or running state, and starts a new status after a final one', async () => {
    const sha = await sim.commitFiles(project, {
      branch: 'feature',
      files: { 'a.txt': 'a\n' },
      user: developer,
    });
    const first = await post(developer, project, sha, {
      state: 'pending',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      status: 'pending',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
      sha,
    });
    const again = await post(developer, project, sha, {
      state: 'pending',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
    });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({
      message:
        'Cannot transition status via :enqueue from :pending (Reason(s): Status cannot transition via "enqueue")',
    });
    const running = await post(developer, project, sha, {
      state: 'running',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
    });
    expect(running.json.id).toBe(first.json.id);
    const runningAgain = await post(developer, project, sha, {
      state: 'running',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
    });
    expect(runningAgain.json).toEqual({
      message:
        'Cannot transition status via :run from :running (Reason(s): Status cannot transition via "run")',
    });
    const failed = await post(developer, project, sha, {
      state: 'failed',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
      target_url: 'https://ci.example/1',
      description: 'Changed status to failed',
    });
    expect(failed.json).toMatchObject({
      id: first.json.id,
      status: 'failed',
      target_url: 'https://ci.example/1',
    });
    const retried = await post(developer, project, sha, {
      state: 'pending',
      name: 'Dist-git MR CI Pipeline',
      ref: 'feature',
    });
    expect(retried.status).toBe(201);
    expect(retried.json.id).not.toBe(first.json.id);

    const latest = await restCall(
      sim.apiUrl,
      developer.token,
      'GET',
      `/projects/${project.id}/repository/commits/${sha}/statuses`,
    );
    expect(listOf(latest.json).map((status) => status.status)).toEqual(['pending']);
    const all = await restCall(
      sim.apiUrl,
      developer.token,
      'GET',
      `/projects/${project.id}/repository/commits/${sha}/statuses?all=true`,
    );
    expect(listOf(all.json).map((status) => status.status)).toEqual(['failed', 'pending']);
  });

  it('keeps statuses in an external pipeline whose changes fire Pipeline Hooks', async () => {
    const sha = await sim.commitFiles(project, {
      branch: 'external',
      files: { 'b.txt': 'b\n' },
      user: developer,
    });
    await post(developer, project, sha, { state: 'running', name: 'ci', ref: 'external' });
    await post(developer, project, sha, { state: 'success', name: 'ci', ref: 'external' });
    await sim.settled();
    const statuses = sim
      .deliveries({ event: 'Pipeline Hook' })
      .filter((delivery) => (delivery.payload.object_attributes as { sha?: string }).sha === sha)
      .map((delivery) => delivery.payload.object_attributes as { status: string; source: string });
    expect(statuses).toEqual([
      expect.objectContaining({ status: 'running', source: 'external' }),
      expect.objectContaining({ status: 'success', source: 'external' }),
    ]);
  });
});

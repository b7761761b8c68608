import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGit } from '../run-git';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from './start-gitlab-simulator';
import { listOf, restCall, textOf } from './testing/rest-call';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const MR_ONLY_CI = `workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
stages: [build, test]
compile:
  stage: build
  script: [make]
check:
  stage: test
  script: [make check]
`;

interface World {
  sim: GitLabSimulator;
  receiver: WebhookReceiver;
  maintainer: SimulatorUser;
  contributor: SimulatorUser;
  outsider: SimulatorUser;
  upstream: SimulatorProject;
  fork: SimulatorProject;
}

describe('merge request pipelines', () => {
  let world: World;

  beforeEach(async () => {
    const sim = await startGitLabSimulator();
    const receiver = await startWebhookReceiver();
    const maintainer = sim.createUser({ username: 'maint' });
    const contributor = sim.createUser({ username: 'contrib' });
    const outsider = sim.createUser({ username: 'outsider' });
    sim.createGroup({ path: 'rpms' });
    sim.addMember({ group: 'rpms' }, maintainer, 'maintainer');
    const upstream = await sim.createProject({
      namespace: 'rpms',
      path: 'beer',
      defaultBranch: 'c10s',
      files: { 'beer.spec': 'Name: beer\n' },
      ciConfig: MR_ONLY_CI,
    });
    const fork = await sim.forkProject(upstream, contributor);
    sim.addWebhook({ group: 'rpms', url: receiver.url, events: ['pipeline'] });
    sim.addWebhook({ project: fork, url: receiver.url, events: ['pipeline'] });
    await sim.commitFiles(fork, {
      branch: 'c10s-src-1',
      files: { 'beer.spec': 'Name: beer\nVersion: 2\n' },
      user: contributor,
    });
    world = { sim, receiver, maintainer, contributor, outsider, upstream, fork };
  });

  afterEach(async () => {
    await world.sim.close();
    await world.receiver.close();
  });

  const openMergeRequest = () =>
    world.sim.createMergeRequest({
      sourceProject: world.fork,
      targetProject: world.upstream,
      sourceBranch: 'c10s-src-1',
      targetBranch: 'c10s',
      title: 'Version 2',
      author: world.contributor,
    });

  it('runs a detached MR pipeline in the fork when the MR opens, with hooks on the fork', async () => {
    const { sim, fork, upstream } = world;
    const mr = await openMergeRequest();
    const [pipeline] = sim.pipelines({ mergeRequest: { project: upstream, iid: mr.iid } });
    expect(pipeline).toMatchObject({
      projectId: fork.id,
      source: 'merge_request_event',
      ref: `refs/merge-requests/${mr.iid}/head`,
      sourceRef: 'c10s-src-1',
      sha: mr.sha,
      status: 'pending',
      stages: ['build', 'test'],
    });
    expect(pipeline?.jobs.map((job) => [job.name, job.stage])).toEqual([
      ['compile', 'build'],
      ['check', 'test'],
    ]);
    await sim.setPipelineStatus(pipeline?.id ?? 0, 'running');
    await sim.setPipelineStatus(pipeline?.id ?? 0, 'failed');
    await sim.settled();
    const hooks = sim.deliveries({ event: 'Pipeline Hook' }).map((delivery) => ({
      project: (delivery.payload.project as { id: number }).id,
      status: (delivery.payload.object_attributes as { status: string }).status,
      ref: (delivery.payload.object_attributes as { ref: string }).ref,
      mr: (delivery.payload.merge_request as { iid: number } | null)?.iid,
    }));
    expect(hooks).toEqual([
      { project: fork.id, status: 'pending', ref: 'c10s-src-1', mr: mr.iid },
      { project: fork.id, status: 'running', ref: 'c10s-src-1', mr: mr.iid },
      { project: fork.id, status: 'failed', ref: 'c10s-src-1', mr: mr.iid },
    ]);
    const head = await restCall(
      sim.apiUrl,
      world.maintainer.token,
      'GET',
      `/projects/${upstream.id}/merge_requests/${mr.iid}`,
    );
    expect(head.json.head_pipeline).toMatchObject({
      id: pipeline?.id,
      status: 'failed',
      project_id: fork.id,
    });
  });

  it('lets a target Developer run a merged-results pipeline in the parent; others get 403', async () => {
    const { sim, upstream, maintainer, outsider } = world;
    sim.configureProject(upstream, { mergedResultsPipelines: true });
    const mr = await openMergeRequest();
    const denied = await restCall(
      sim.apiUrl,
      outsider.token,
      'POST',
      `/projects/${upstream.id}/merge_requests/${mr.iid}/pipelines`,
    );
    expect(denied).toMatchObject({ status: 403, json: { message: '403 Forbidden' } });

    const created = await restCall(
      sim.apiUrl,
      maintainer.token,
      'POST',
      `/projects/${upstream.id}/merge_requests/${mr.iid}/pipelines`,
    );
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      project_id: upstream.id,
      ref: `refs/merge-requests/${mr.iid}/merge`,
      source: 'merge_request_event',
      status: 'pending',
    });
    const sha = textOf(created.json.sha);
    expect(sha).not.toBe(mr.sha);
    const message = await runGit(['log', '-1', '--format=%B', sha], { cwd: upstream.repositoryPath });
    expect(message.trim()).toBe(
      `Merge branch 'c10s-src-1' into 'c10s'\n\nVersion 2\n\nSee merge request rpms/beer!${mr.iid}`,
    );
    const parents = await runGit(['log', '-1', '--format=%P', sha], { cwd: upstream.repositoryPath });
    expect(parents.trim().split(' ')[1]).toBe(mr.sha);

    const listed = await restCall(
      sim.apiUrl,
      maintainer.token,
      'GET',
      `/projects/${upstream.id}/merge_requests/${mr.iid}/pipelines`,
    );
    const ids = listOf(listed.json).map((pipeline) => Number(pipeline.id));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(Number(created.json.id));
    expect(ids[0]).toBeGreaterThan(ids[1] ?? Infinity);
  });

  it('retries failed jobs for Developers and refuses others with 403', async () => {
    const { sim, upstream, maintainer, outsider } = world;
    const mr = await openMergeRequest();
    const pipeline = await sim.runMergeRequestPipeline(upstream, mr.iid, maintainer, { inTarget: true });
    await sim.setPipelineStatus(pipeline?.id ?? 0, 'failed');
    const path = `/projects/${upstream.id}/pipelines/${pipeline?.id ?? 0}/retry`;
    expect((await restCall(sim.apiUrl, outsider.token, 'POST', path)).status).toBe(403);
    const retried = await restCall(sim.apiUrl, maintainer.token, 'POST', path);
    expect(retried).toMatchObject({ status: 201, json: { id: pipeline?.id, status: 'pending' } });
    expect(sim.pipeline(pipeline?.id ?? 0).jobs.map((job) => job.status)).toEqual(['pending', 'pending']);
  });

  it("answers a pipeline in canceling with GitLab's detailed status, then cancels it", async () => {
    const { sim, fork, upstream, maintainer } = world;
    const mr = await openMergeRequest();
    const [pipeline] = sim.pipelines({ mergeRequest: { project: upstream, iid: mr.iid } });
    const id = pipeline?.id ?? 0;
    await sim.setPipelineStatus(id, 'running');
    await sim.setPipelineStatus(id, 'canceling');
    const read = await restCall(sim.apiUrl, maintainer.token, 'GET', `/projects/${fork.id}/pipelines/${id}`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      status: 'canceling',
      finished_at: null,
      detailed_status: {
        text: 'Canceling',
        label: 'canceling',
        group: 'canceling',
        icon: 'status_canceled',
        favicon: '/assets/ci_favicons/favicon_status_canceled.png',
      },
    });
    const jobs = await restCall(
      sim.apiUrl,
      maintainer.token,
      'GET',
      `/projects/${fork.id}/pipelines/${id}/jobs`,
    );
    expect(listOf(jobs.json).map((job) => [job.status, job.detailed_status?.['text']])).toEqual([
      ['canceling', 'Canceling'],
      ['canceling', 'Canceling'],
    ]);

    await sim.setPipelineStatus(id, 'canceled');
    await sim.settled();
    expect(sim.pipeline(id).jobs.map((job) => job.status)).toEqual(['canceled', 'canceled']);
    const hooks = sim
      .deliveries({ event: 'Pipeline Hook' })
      .map((delivery) => (delivery.payload.object_attributes as { status: string }).status);
    expect(hooks).toEqual(['pending', 'running', 'canceling', 'canceled']);
  });

  it('answers 400 when the CI configuration of the MR head yields no merge request pipeline', async () => {
    const { sim, upstream, maintainer, fork, contributor } = world;
    await sim.commitFiles(fork, {
      branch: 'c10s-src-1',
      files: { '.gitlab-ci.yml': 'check:\n  script: [true]\n' },
      user: contributor,
    });
    const mr = await openMergeRequest();
    expect(sim.pipelines({ mergeRequest: { project: upstream, iid: mr.iid } })).toEqual([]);
    const response = await restCall(
      sim.apiUrl,
      maintainer.token,
      'POST',
      `/projects/${upstream.id}/merge_requests/${mr.iid}/pipelines`,
    );
    expect(response).toMatchObject({
      status: 400,
      json: { message: { base: ['No stages / jobs for this pipeline.'] } },
    });
  });

  it('creates a new MR pipeline on every push to the source branch and moves the head pipeline', async () => {
    const { sim, fork, upstream, contributor } = world;
    const mr = await openMergeRequest();
    const sha = await sim.commitFiles(fork, {
      branch: 'c10s-src-1',
      files: { 'beer.spec': 'Name: beer\nVersion: 3\n' },
      user: contributor,
    });
    const pipelines = sim.pipelines({ mergeRequest: { project: upstream, iid: mr.iid } });
    expect(pipelines.map((pipeline) => pipeline.sha)).toEqual([sha, mr.sha]);
    expect(sim.headPipeline(upstream, mr.iid)?.sha).toBe(sha);
  });

  it('runs pipelines by themselves with pipelineAutoRun', async () => {
    const sim = await startGitLabSimulator({ pipelineAutoRun: { result: 'success', stepMs: 5 } });
    try {
      const user = sim.createUser({ username: 'solo' });
      const project = await sim.createProject({
        namespace: 'solo',
        path: 'p',
        files: { a: 'a\n' },
        ciConfig: 'job:\n  script: [true]\n',
      });
      await sim.commitFiles(project, { branch: 'main', files: { a: 'b\n' }, user });
      await sim.settled();
      expect(sim.pipelines({ project }).map((pipeline) => [pipeline.source, pipeline.status])).toEqual([
        ['push', 'success'],
      ]);
    } finally {
      await sim.close();
    }
  });
});

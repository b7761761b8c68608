import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from './start-gitlab-simulator';

/**
 * The GitLab adapter talks to GitLab through @gitbeaker/rest: these calls are the ones it makes,
 * through the real client, against the simulator.
 */
describe('GitLab simulator through @gitbeaker/rest', () => {
  let sim: GitLabSimulator;
  let bot: SimulatorUser;
  let maintainer: SimulatorUser;
  let upstream: SimulatorProject;
  let client: InstanceType<typeof Gitlab<false>>;

  beforeAll(async () => {
    sim = await startGitLabSimulator({ forkImportDelayMs: 20 });
    bot = sim.createUser({ username: 'srcgit-bot', name: 'srcgit bot', bot: true });
    maintainer = sim.createUser({ username: 'maint' });
    sim.createGroup({ path: 'rpms' });
    sim.addMember({ group: 'rpms' }, maintainer, 'maintainer');
    sim.addMember({ group: 'rpms' }, bot, 'developer');
    upstream = await sim.createProject({
      namespace: 'rpms',
      path: 'beer',
      files: { 'beer.spec': 'Name: beer\n', '.distro/source-git.yaml': 'x: 1\n' },
      ciConfig:
        'workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\ncheck:\n  script: [true]\n',
    });
    for (let i = 0; i < 45; i += 1)
      await sim.createBranch(upstream, `topic-${String(i).padStart(2, '0')}`, 'main');
    client = new Gitlab({ host: sim.url, token: bot.token });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('reads the current user, users by name and projects by path', async () => {
    expect(await client.Users.showCurrentUser()).toMatchObject({
      id: bot.id,
      username: 'srcgit-bot',
      bot: true,
    });
    expect(await client.Users.all({ username: 'maint' })).toMatchObject([{ id: maintainer.id }]);
    expect(await client.Projects.show('rpms/beer')).toMatchObject({
      id: upstream.id,
      path_with_namespace: 'rpms/beer',
    });
  });

  it('follows pagination through all pages of branches', async () => {
    const branches = await client.Branches.all(upstream.id);
    expect(branches).toHaveLength(46);
    const page = await client.Branches.all(upstream.id, { perPage: 10, page: 2, showExpanded: true });
    expect(page.paginationInfo).toMatchObject({
      total: 46,
      current: 2,
      next: 3,
      previous: 1,
      perPage: 10,
      totalPages: 5,
    });
  });

  it('forks, pushes through the API, opens an MR into the parent, comments and reacts', async () => {
    const fork = await client.Projects.fork(upstream.id);
    expect(fork.import_status).toBe('scheduled');
    await sim.settled();
    expect((await client.Projects.show(fork.id)).import_status).toBe('finished');
    await sim.commitFiles(fork.id, {
      branch: 'main-src-1',
      startBranch: 'main',
      files: { 'beer.spec': 'Name: beer\nVersion: 2\n' },
      user: bot,
    });
    const mr = await client.MergeRequests.create(fork.id, 'main-src-1', 'main', 'Update beer', {
      targetProjectId: upstream.id,
      description: 'marker',
    });
    expect(mr).toMatchObject({ iid: 1, project_id: upstream.id, source_project_id: fork.id });
    const note = await client.MergeRequestNotes.create(upstream.id, mr.iid, 'hello');
    await client.MergeRequestNotes.edit(upstream.id, mr.iid, note.id, { body: 'hello again' });
    const notes = await client.MergeRequestNotes.all(upstream.id, mr.iid, { sort: 'asc' });
    expect(notes.map((entry) => entry.body)).toEqual(['hello again']);
    await client.MergeRequestNoteAwardEmojis.award(upstream.id, mr.iid, note.id, 'eyes');
    await expect(
      client.MergeRequestNoteAwardEmojis.award(upstream.id, mr.iid, note.id, 'eyes'),
    ).rejects.toMatchObject({
      cause: { response: { status: 404 } },
    });
    const open = await client.MergeRequests.all({
      projectId: upstream.id,
      state: 'opened',
      sourceBranch: 'main-src-1',
      authorUsername: 'srcgit-bot',
    });
    expect(open.map((entry) => entry.iid)).toEqual([1]);
    const edited = await client.MergeRequests.edit(upstream.id, mr.iid, { stateEvent: 'close' });
    expect(edited.state).toBe('closed');
  });

  it('reads files, commits, members and sets commit statuses', async () => {
    const file = await client.RepositoryFiles.show(upstream.id, '.distro/source-git.yaml', 'main');
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe('x: 1\n');
    expect(await client.RepositoryFiles.showRaw(upstream.id, '.distro/source-git.yaml', 'main')).toBe(
      'x: 1\n',
    );
    const head = (await client.Branches.show(upstream.id, 'main')).commit.id;
    expect((await client.Commits.show(upstream.id, head)).id).toBe(head);
    const status = await client.Commits.editStatus(upstream.id, head, 'pending', {
      name: 'Dist-git MR CI Pipeline',
    });
    expect(status).toMatchObject({ status: 'pending', name: 'Dist-git MR CI Pipeline', ref: 'main' });
    const statuses = await client.Commits.allStatuses(upstream.id, head);
    expect(statuses.map((entry) => entry.status)).toEqual(['pending']);
    expect(
      await client.ProjectMembers.show(upstream.id, maintainer.id, { includeInherited: true }),
    ).toMatchObject({
      id: maintainer.id,
      access_level: 40,
    });
  });

  it('creates and lists merge request pipelines in the parent and retries them', async () => {
    await sim.createBranch(upstream, 'feature', 'main');
    await sim.commitFiles(upstream, {
      branch: 'feature',
      files: { 'beer.spec': 'Name: beer\nRelease: 2\n' },
      user: maintainer,
    });
    const mr = await new Gitlab({ host: sim.url, token: maintainer.token }).MergeRequests.create(
      upstream.id,
      'feature',
      'main',
      'Release 2',
    );
    const pipelines = await client.MergeRequests.allPipelines(upstream.id, mr.iid);
    expect(pipelines).toHaveLength(1);
    const created = await client.MergeRequests.createPipeline(upstream.id, mr.iid);
    expect(created).toMatchObject({
      project_id: upstream.id,
      source: 'merge_request_event',
      status: 'pending',
    });
    expect((await client.MergeRequests.allPipelines(upstream.id, mr.iid)).map((entry) => entry.id)).toEqual([
      created.id,
      pipelines[0]?.id,
    ]);
    await sim.setPipelineStatus(created.id, 'failed');
    expect((await client.Pipelines.retry(upstream.id, created.id)).status).toBe('pending');
    expect((await client.Pipelines.show(upstream.id, created.id)).status).toBe('pending');
  });
});

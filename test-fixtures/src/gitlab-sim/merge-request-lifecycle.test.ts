import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from './start-gitlab-simulator';
import { listOf, restCall, type Loose } from './testing/rest-call';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

describe('merge request lifecycle, notes and award emoji', () => {
  let sim: GitLabSimulator;
  let receiver: WebhookReceiver;
  let maintainer: SimulatorUser;
  let developer: SimulatorUser;
  let author: SimulatorUser;
  let stranger: SimulatorUser;
  let project: SimulatorProject;
  let branchCount = 0;

  const call = (user: SimulatorUser, method: string, path: string, body?: unknown) =>
    restCall(sim.apiUrl, user.token, method, `/projects/${project.id}${path}`, body);

  async function openMergeRequest(title = 'Add a feature'): Promise<number> {
    branchCount += 1;
    const branch = `feature-${branchCount}`;
    await sim.commitFiles(project, { branch, files: { [`${branch}.txt`]: 'x\n' }, user: author });
    const created = await call(author, 'POST', '/merge_requests', {
      source_branch: branch,
      target_branch: 'main',
      title,
    });
    expect(created.status).toBe(201);
    return Number(created.json.iid);
  }

  function hookActions(iid: number): { action: unknown; oldrev: unknown; changes: Loose }[] {
    return sim
      .deliveries({ event: 'Merge Request Hook' })
      .map((delivery) => delivery.payload as Loose)
      .filter((payload) => payload.object_attributes?.iid === (iid as unknown as Loose))
      .map((payload) => ({
        action: payload.object_attributes?.action,
        oldrev: payload.object_attributes?.oldrev,
        changes: payload.changes ?? {},
      }));
  }

  beforeAll(async () => {
    sim = await startGitLabSimulator();
    receiver = await startWebhookReceiver();
    maintainer = sim.createUser({ username: 'maint' });
    developer = sim.createUser({ username: 'dev' });
    author = sim.createUser({ username: 'author' });
    stranger = sim.createUser({ username: 'stranger' });
    sim.createGroup({ path: 'g' });
    project = await sim.createProject({ namespace: 'g', path: 'p', files: { 'README.md': 'hello\n' } });
    sim.addMember({ project }, maintainer, 'maintainer');
    sim.addMember({ project }, developer, 'developer');
    sim.addMember({ project }, author, 'developer');
    sim.addWebhook({ project, url: receiver.url, events: ['merge_request', 'note'] });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('fires update with changes and no oldrev on a title edit, then close, reopen and merge', async () => {
    const iid = await openMergeRequest();
    const edited = await call(author, 'PUT', `/merge_requests/${iid}`, { title: 'Add a better feature' });
    expect(edited.json.title).toBe('Add a better feature');
    expect((await call(author, 'PUT', `/merge_requests/${iid}`, { state_event: 'close' })).json.state).toBe(
      'closed',
    );
    expect((await call(author, 'PUT', `/merge_requests/${iid}`, { state_event: 'reopen' })).json.state).toBe(
      'opened',
    );
    const merged = await call(maintainer, 'PUT', `/merge_requests/${iid}/merge`);
    expect(merged.json).toMatchObject({ state: 'merged', merged_by: { username: 'maint' } });
    expect(merged.json.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
    await sim.settled();
    const actions = hookActions(iid);
    expect(actions.map((entry) => entry.action)).toEqual(['open', 'update', 'close', 'reopen', 'merge']);
    expect(actions[1]?.oldrev).toBeUndefined();
    expect(actions[1]?.changes.title).toEqual({ previous: 'Add a feature', current: 'Add a better feature' });
    expect(actions[2]?.changes.state_id).toEqual({ previous: 1, current: 2 });
    expect(actions[3]?.changes.state_id).toEqual({ previous: 2, current: 1 });
    expect(sim.notes(project, iid).map((note) => [note.system, note.body.split(' ')[0]])).toEqual([
      [true, 'changed'],
      [true, 'closed'],
      [true, 'reopened'],
      [true, 'merged'],
    ]);
    const reopened = await call(author, 'PUT', `/merge_requests/${iid}`, { state_event: 'reopen' });
    expect(reopened.json.state).toBe('merged');
  });

  it('refuses merges GitLab refuses: 401 without the right, 405 closed or draft, 406 on conflicts, 409 on a stale sha', async () => {
    const iid = await openMergeRequest();
    expect(await call(developer, 'PUT', `/merge_requests/${iid}/merge`)).toMatchObject({
      status: 401,
      json: { message: '401 Unauthorized' },
    });
    expect(
      (await call(maintainer, 'PUT', `/merge_requests/${iid}/merge`, { sha: '0'.repeat(40) })).status,
    ).toBe(409);
    await call(author, 'PUT', `/merge_requests/${iid}`, { title: 'Draft: not yet' });
    expect(await call(maintainer, 'PUT', `/merge_requests/${iid}/merge`)).toMatchObject({
      status: 405,
      json: { message: '405 Method Not Allowed' },
    });

    const conflicting = await openMergeRequest('Conflicting');
    const mr = sim.mergeRequest(project, conflicting);
    await sim.commitFiles(project, {
      branch: mr.sourceBranch,
      files: { 'README.md': 'theirs\n' },
      user: author,
    });
    await sim.commitFiles(project, { branch: 'main', files: { 'README.md': 'ours\n' }, user: maintainer });
    const refused = await call(maintainer, 'PUT', `/merge_requests/${conflicting}/merge`);
    expect(refused).toMatchObject({ status: 406, json: { message: 'Branch cannot be merged' } });
    expect((await call(maintainer, 'GET', `/merge_requests/${conflicting}`)).json).toMatchObject({
      has_conflicts: true,
      merge_status: 'cannot_be_merged',
      detailed_merge_status: 'conflict',
    });
  });

  it('lists notes newest first by default, sorts on request, and fires Note Hooks only for user notes', async () => {
    const iid = await openMergeRequest();
    const first = await call(author, 'POST', `/merge_requests/${iid}/notes`, { body: 'first' });
    await call(author, 'PUT', `/merge_requests/${iid}`, { description: 'now described' });
    await call(developer, 'POST', `/merge_requests/${iid}/notes`, { body: 'second' });
    const bodies = async (query: string) => {
      const listed = await call(author, 'GET', `/merge_requests/${iid}/notes${query}`);
      return listOf(listed.json).map((note) => note.body);
    };
    expect(await bodies('')).toEqual(['second', 'changed the description', 'first']);
    expect(await bodies('?sort=asc&order_by=created_at')).toEqual([
      'first',
      'changed the description',
      'second',
    ]);
    await call(author, 'PUT', `/merge_requests/${iid}/notes/${Number(first.json.id)}`, {
      body: 'first, edited',
    });
    expect((await bodies('?sort=desc&order_by=updated_at'))[0]).toBe('first, edited');
    const denied = await call(developer, 'PUT', `/merge_requests/${iid}/notes/${Number(first.json.id)}`, {
      body: 'hijack',
    });
    expect(denied.status).toBe(403);
    await sim.settled();
    const noteHooks = sim
      .deliveries({ event: 'Note Hook' })
      .map(
        (delivery) =>
          delivery.payload.object_attributes as { note: string; action: string; noteable_type: string },
      )
      .filter((attributes) => ['first', 'second', 'first, edited'].includes(attributes.note));
    expect(
      noteHooks.map((attributes) => [attributes.note, attributes.action, attributes.noteable_type]),
    ).toEqual([
      ['first', 'create', 'MergeRequest'],
      ['second', 'create', 'MergeRequest'],
      ['first, edited', 'update', 'MergeRequest'],
    ]);
  });

  it('awards an emoji once per user, with GitLab’s odd 404 on a repeat', async () => {
    const iid = await openMergeRequest();
    const note = await call(author, 'POST', `/merge_requests/${iid}/notes`, { body: '/packit test' });
    const path = `/merge_requests/${iid}/notes/${Number(note.json.id)}/award_emoji`;
    const awarded = await call(developer, 'POST', path, { name: 'eyes' });
    expect(awarded).toMatchObject({
      status: 201,
      json: { name: 'eyes', awardable_type: 'Note', awardable_id: note.json.id },
    });
    expect(await call(developer, 'POST', path, { name: 'eyes' })).toMatchObject({
      status: 404,
      json: { message: '404 Award Emoji Name has already been taken Not Found' },
    });
    expect((await call(maintainer, 'POST', path, { name: 'eyes' })).status).toBe(201);
    expect((await call(stranger, 'DELETE', `${path}/${Number(awarded.json.id)}`)).status).toBe(403);
    expect((await call(developer, 'DELETE', `${path}/${Number(awarded.json.id)}`)).status).toBe(204);
    expect(sim.awardEmoji(Number(note.json.id)).map((award) => award.userId)).toEqual([maintainer.id]);
  });

  it('filters merge requests like GitLab', async () => {
    const iid = await openMergeRequest('Searchable needle');
    const mr = sim.mergeRequest(project, iid);
    const iids = async (query: string) => {
      const listed = await call(author, 'GET', `/merge_requests?${query}`);
      return listOf(listed.json).map((entry) => Number(entry.iid));
    };
    expect(await iids(`source_branch=${mr.sourceBranch}`)).toEqual([iid]);
    expect(await iids('search=NEEDLE&state=opened')).toEqual([iid]);
    expect(await iids('author_username=author&state=merged')).toEqual([1]);
    expect((await iids('state=opened&target_branch=main')).includes(iid)).toBe(true);
    expect((await call(author, 'GET', '/merge_requests?state=bogus')).status).toBe(400);
  });

  it('validates merge request creation', async () => {
    await sim.commitFiles(project, { branch: 'dup', files: { 'dup.txt': 'x\n' }, user: author });
    const missing = await call(author, 'POST', '/merge_requests', { source_branch: 'dup' });
    expect(missing).toMatchObject({
      status: 400,
      json: { error: 'target_branch is missing, title is missing' },
    });
    const noBranch = await call(author, 'POST', '/merge_requests', {
      source_branch: 'nope',
      target_branch: 'main',
      title: 't',
    });
    expect(noBranch).toMatchObject({
      status: 422,
      json: { message: ['Source branch "nope" does not exist'] },
    });
    const same = await call(author, 'POST', '/merge_requests', {
      source_branch: 'main',
      target_branch: 'main',
      title: 't',
    });
    expect(same.status).toBe(422);
    const denied = await call(stranger, 'POST', '/merge_requests', {
      source_branch: 'dup',
      target_branch: 'main',
      title: 't',
    });
    expect(denied.status).toBe(403);
    expect((await call(author, 'GET', '/merge_requests/424242')).json).toEqual({ message: '404 Not found' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from '../start-gitlab-simulator';
import type { SimMergeRequest } from '../sim-model';
import { listOf, restCall } from '../testing/rest-call';
import {
  documentedCommitStatus,
  documentedMember,
  documentedMergeRequestPipeline,
  documentedPipeline,
  documentedProjectHook,
} from './documented-examples';
import { shapeMismatches, shapeOf } from './json-shape';

/**
 * Endpoints the adapter calls that no gitlab.com recording covers: their answers must carry every
 * field of GitLab's documented examples with the documented types.
 */
describe('fidelity against GitLab’s documented examples (endpoints without recordings)', () => {
  let sim: GitLabSimulator;
  let maintainer: SimulatorUser;
  let contributor: SimulatorUser;
  let upstream: SimulatorProject;
  let mr: SimMergeRequest;

  const call = (method: string, path: string, body?: unknown) =>
    restCall(sim.apiUrl, maintainer.token, method, path, body);

  beforeAll(async () => {
    sim = await startGitLabSimulator();
    maintainer = sim.createUser({ username: 'maint' });
    contributor = sim.createUser({ username: 'contrib' });
    sim.createGroup({ path: 'rpms' });
    sim.addMember({ group: 'rpms' }, maintainer, 'maintainer');
    upstream = await sim.createProject({
      namespace: 'rpms',
      path: 'beer',
      files: { 'beer.spec': 'Name: beer\n' },
      ciConfig: 'workflow:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\ncheck:\n  script: [true]\n',
    });
    const fork = await sim.forkProject(upstream, contributor);
    await sim.commitFiles(fork, {
      branch: 'fix',
      files: { 'beer.spec': 'Name: beer\nVersion: 2\n' },
      user: contributor,
    });
    mr = await sim.createMergeRequest({
      sourceProject: fork,
      targetProject: upstream,
      sourceBranch: 'fix',
      targetBranch: 'main',
      title: 'Fix',
      author: contributor,
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('POST /projects/:id/merge_requests/:iid/pipelines, GET …/pipelines/:id and POST …/retry answer documented pipelines', async () => {
    const created = await call('POST', `/projects/${upstream.id}/merge_requests/${mr.iid}/pipelines`);
    expect(created.status).toBe(201);
    expect(shapeMismatches(shapeOf(documentedPipeline), created.json)).toEqual([]);
    const pipelineId = Number(created.json.id);
    const shown = await call('GET', `/projects/${upstream.id}/pipelines/${pipelineId}`);
    expect(shapeMismatches(shapeOf(documentedPipeline), shown.json)).toEqual([]);
    await sim.setPipelineStatus(pipelineId, 'failed');
    const retried = await call('POST', `/projects/${upstream.id}/pipelines/${pipelineId}/retry`);
    expect(retried.status).toBe(201);
    expect(shapeMismatches(shapeOf(documentedPipeline), retried.json)).toEqual([]);
    expect((await call('GET', `/projects/${upstream.id}/pipelines/99999999`)).status).toBe(404);
  });

  it('GET /projects/:id/merge_requests/:iid/pipelines lists documented pipelines', async () => {
    const listed = await call('GET', `/projects/${upstream.id}/merge_requests/${mr.iid}/pipelines`);
    expect(listOf(listed.json).length).toBeGreaterThan(0);
    expect(shapeMismatches(shapeOf([documentedMergeRequestPipeline]), listed.json)).toEqual([]);
  });

  it('GET /projects/:id/members/all/:user_id answers a documented member', async () => {
    const member = await call('GET', `/projects/${upstream.id}/members/all/${maintainer.id}`);
    expect(member.status).toBe(200);
    expect(shapeMismatches(shapeOf(documentedMember), member.json)).toEqual([]);
  });

  it('POST and GET /projects/:id/hooks answer documented hooks', async () => {
    const created = await call('POST', `/projects/${upstream.id}/hooks`, {
      url: 'https://bot.example/api/webhooks/gitlab',
      token: 'secret',
      pipeline_events: true,
      push_events: false,
    });
    expect(created.status).toBe(201);
    expect(shapeMismatches(shapeOf(documentedProjectHook), created.json)).toEqual([]);
    expect(created.json).toMatchObject({
      pipeline_events: true,
      push_events: false,
      merge_requests_events: false,
    });
    const listed = await call('GET', `/projects/${upstream.id}/hooks`);
    expect(shapeMismatches(shapeOf([documentedProjectHook]), listed.json)).toEqual([]);
    const denied = await restCall(sim.apiUrl, contributor.token, 'GET', `/projects/${upstream.id}/hooks`);
    expect(denied.status).toBe(403);
  });

  it('GET …/repository/commits/:sha/statuses answers documented statuses', async () => {
    await call('POST', `/projects/${upstream.id}/statuses/${mr.sha}`, {
      state: 'pending',
      ref: 'fix',
      name: 'bundler:audit',
      target_url: 'https://ci.example/91',
    });
    const listed = await call('GET', `/projects/${upstream.id}/repository/commits/${mr.sha}/statuses`);
    expect(shapeMismatches(shapeOf([documentedCommitStatus]), listed.json)).toEqual([]);
  });

  it('GET …/repository/files/:path/raw answers the bytes with GitLab’s X-Gitlab-* headers', async () => {
    const response = await fetch(
      `${sim.apiUrl}/projects/${upstream.id}/repository/files/beer.spec/raw?ref=main`,
      {
        headers: { 'PRIVATE-TOKEN': maintainer.token },
      },
    );
    expect(await response.text()).toBe('Name: beer\n');
    for (const header of [
      'X-Gitlab-Blob-Id',
      'X-Gitlab-Commit-Id',
      'X-Gitlab-File-Name',
      'X-Gitlab-File-Path',
      'X-Gitlab-Ref',
      'X-Gitlab-Size',
    ]) {
      expect(response.headers.get(header), header).toMatch(/\S/);
    }
    const missing = await call('GET', `/projects/${upstream.id}/repository/files/nope.txt/raw?ref=main`);
    expect(missing).toMatchObject({ status: 404, json: { message: '404 File Not Found' } });
  });

  it('DELETE /projects/:id/repository/branches/:branch answers 204, then 404', async () => {
    await sim.createBranch(upstream, 'old-topic', 'main', maintainer);
    const path = `/projects/${upstream.id}/repository/branches/old-topic`;
    expect((await call('DELETE', path)).status).toBe(204);
    expect(await call('DELETE', path)).toMatchObject({
      status: 404,
      json: { message: '404 Branch Not Found' },
    });
    expect((await call('DELETE', `/projects/${upstream.id}/repository/branches/main`)).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../../git-repo';
import { startGitLabSimulator, type GitLabSimulator } from '../start-gitlab-simulator';
import type { WebhookDelivery } from '../webhooks/webhook-dispatcher';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver';
import { shapeMismatches, shapeOf } from './json-shape';
import { loadWebhookRecordings } from './recordings';

type Payload = Record<string, unknown>;

function attributes(delivery: WebhookDelivery): Payload {
  return (delivery.payload.object_attributes ?? {}) as Payload;
}

function kindIs(event: string) {
  return (delivery: WebhookDelivery): boolean => delivery.event === event;
}

/**
 * Which simulator-emitted delivery stands for each recorded payload: same event kind, same
 * situation (MR from a fork or not, pipeline in a fork or in the parent, …).
 */
const counterparts: Readonly<Record<string, ((delivery: WebhookDelivery) => boolean) | 'not simulated'>> = {
  'hardly__mr_event.json': (d) =>
    kindIs('Merge Request Hook')(d) &&
    attributes(d).action === 'open' &&
    attributes(d).source_project_id !== attributes(d).target_project_id,
  // Recorded from a GitLab that sent no `action`: the first update of a same-project MR.
  'packit-service__mr_event.json': (d) =>
    kindIs('Merge Request Hook')(d) &&
    attributes(d).action === 'update' &&
    attributes(d).source_project_id === attributes(d).target_project_id &&
    'total_time_spent' in (d.payload.changes as Payload),
  'packit-service__mr_update_event.json': (d) =>
    kindIs('Merge Request Hook')(d) &&
    attributes(d).action === 'update' &&
    typeof attributes(d).oldrev === 'string',
  'packit-service__mr_closed.json': (d) =>
    kindIs('Merge Request Hook')(d) && attributes(d).action === 'close',
  'hardly__pipeline.json': (d) =>
    kindIs('Pipeline Hook')(d) &&
    attributes(d).status === 'failed' &&
    d.payload.merge_request !== null &&
    (d.payload.project as Payload).id === (d.payload.merge_request as Payload).source_project_id,
  'packit-service__mr_pipeline.json': (d) =>
    kindIs('Pipeline Hook')(d) &&
    attributes(d).status === 'failed' &&
    d.payload.merge_request !== null &&
    (d.payload.project as Payload).id === (d.payload.merge_request as Payload).target_project_id,
  'hardly__push.json': (d) => kindIs('Push Hook')(d) && (d.payload.total_commits_count as number) >= 3,
  'packit-service__push_branch.json': (d) =>
    kindIs('Push Hook')(d) && (d.payload.total_commits_count as number) >= 3,
  'packit-service__push_with_many_commits.json': (d) =>
    kindIs('Push Hook')(d) && (d.payload.total_commits_count as number) >= 3,
  'packit-service__push_with_one_commit.json': (d) =>
    kindIs('Push Hook')(d) && d.payload.total_commits_count === 1,
  'packit-service__tag_push.json': kindIs('Tag Push Hook'),
  'packit-service__commit_comment.json': (d) =>
    kindIs('Note Hook')(d) && attributes(d).noteable_type === 'Commit',
  'packit-service__mr_comment.json': (d) =>
    kindIs('Note Hook')(d) && attributes(d).noteable_type === 'MergeRequest',
  'packit-service__issue_comment.json': 'not simulated',
};

const EVENT_BY_KIND: Readonly<Record<string, string>> = {
  merge_request: 'Merge Request Hook',
  pipeline: 'Pipeline Hook',
  push: 'Push Hook',
  tag_push: 'Tag Push Hook',
  note: 'Note Hook',
};

const CI_CONFIG = `workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
stages: [test]
check-gitbz:
  stage: test
  script: [./check]
  artifacts:
    paths: [report.txt]
`;

describe('webhook fidelity against recorded gitlab.com payloads', () => {
  let sim: GitLabSimulator;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    sim = await startGitLabSimulator();
    receiver = await startWebhookReceiver();
    const maintainer = sim.createUser({ username: 'maint', name: 'Mai Ntainer' });
    const contributor = sim.createUser({ username: 'contrib', name: 'Con Tributor' });
    sim.createGroup({ path: 'rpms' });
    sim.addMember({ group: 'rpms' }, maintainer, 'maintainer');
    const events = ['push', 'tag_push', 'merge_request', 'note', 'pipeline'] as const;
    sim.addWebhook({ group: 'rpms', url: receiver.url, token: 'hook-secret', events });
    const upstream = await sim.createProject({
      namespace: 'rpms',
      path: 'open-vm-tools',
      description: 'The open-vm-tools rpms',
      defaultBranch: 'c9s',
      files: { 'open-vm-tools.spec': 'Name: open-vm-tools\n', 'README.md': '# open-vm-tools\n' },
      ciConfig: CI_CONFIG,
      mergedResultsPipelines: true,
    });
    const fork = await sim.forkProject(upstream, contributor);
    sim.addWebhook({ project: fork, url: receiver.url, token: 'hook-secret', events });

    // Contributor pushes three commits to a branch of the fork, over git.
    const work = await createGitRepo({ branch: 'c9s' });
    await work.git(['fetch', '--quiet', sim.cloneUrl(fork, contributor), 'c9s']);
    await work.git(['reset', '--quiet', '--hard', 'FETCH_HEAD']);
    for (const n of [1, 2, 3]) await work.commit(`Change ${n}`, { files: { [`file-${n}.txt`]: `${n}\n` } });
    await work.git(['push', '--quiet', sim.cloneUrl(fork, contributor), 'HEAD:refs/heads/fix']);

    const mr = await sim.createMergeRequest({
      sourceProject: fork,
      targetProject: upstream,
      sourceBranch: 'fix',
      targetBranch: 'c9s',
      title: 'Yet another testing MR',
      description: 'Fixes things.',
      author: contributor,
      assignees: [maintainer],
    });
    const [forkPipeline] = sim.pipelines({ project: fork });
    if (forkPipeline === undefined) throw new Error('the fork MR got no pipeline');
    await sim.setPipelineStatus(forkPipeline.id, 'running');
    await sim.setPipelineStatus(forkPipeline.id, 'failed');

    await work.commit('One more change', { files: { 'file-4.txt': '4\n' } });
    await work.git(['push', '--quiet', sim.cloneUrl(fork, contributor), 'HEAD:refs/heads/fix']);

    const parentPipeline = await sim.runMergeRequestPipeline(upstream, mr.iid, maintainer, {
      inTarget: true,
    });
    if (parentPipeline === undefined) throw new Error('the parent got no pipeline');
    await sim.setPipelineStatus(parentPipeline.id, 'failed');

    await sim.addNote(upstream, mr.iid, maintainer, 'must be reopened');
    const head = sim.mergeRequest(upstream, mr.iid).sha;
    const upstreamHead = await sim.commitFiles(upstream, {
      branch: 'c9s',
      files: { 'open-vm-tools.spec': 'Name: open-vm-tools\nVersion: 2\n' },
      message: 'Bump version',
      user: maintainer,
    });
    const { restCall } = await import('../testing/rest-call');
    const maintainerToken = maintainer.token;
    await restCall(
      sim.apiUrl,
      maintainerToken,
      'POST',
      `/projects/${upstream.id}/repository/commits/${upstreamHead}/comments`,
      {
        note: 'test commit comment',
        path: 'open-vm-tools.spec',
        line: 2,
        line_type: 'new',
      },
    );
    await sim.createBranch(upstream, 'inner', 'c9s', maintainer);
    await sim.commitFiles(upstream, { branch: 'inner', files: { 'inner.txt': 'x\n' }, user: maintainer });
    const inner = await sim.createMergeRequest({
      sourceProject: upstream,
      sourceBranch: 'inner',
      targetBranch: 'c9s',
      title: 'Update README',
      author: maintainer,
    });
    await sim.updateMergeRequest(upstream, inner.iid, maintainer, { title: 'Update README.md' });
    await sim.updateMergeRequest(upstream, mr.iid, maintainer, { stateEvent: 'close' });
    await sim.createTag(upstream, 'v1.32', 'c9s', { message: '1.32', user: maintainer });
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    await sim.settled();
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('delivers every emitted event with GitLab’s headers, and the receiver got them', () => {
    const deliveries = sim.deliveries();
    expect(deliveries.length).toBeGreaterThan(10);
    expect(receiver.received).toHaveLength(deliveries.length);
    for (const request of receiver.received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/^GitLab\/\d+\.\d+/);
      expect(request.headers['x-gitlab-token']).toBe('hook-secret');
      expect(request.headers['x-gitlab-instance']).toBe(sim.url);
      for (const header of [
        'x-gitlab-event',
        'x-gitlab-event-uuid',
        'x-gitlab-webhook-uuid',
        'idempotency-key',
      ]) {
        expect(request.headers[header], header).toMatch(/\S/);
      }
    }
  });

  it.each(loadWebhookRecordings().map((recording) => [recording.file, recording] as const))(
    '%s: a simulator payload of the same kind carries every recorded field with the same type',
    (file, recording) => {
      const counterpart = counterparts[file];
      expect(counterpart, `no counterpart declared for ${file}`).toBeDefined();
      if (counterpart === 'not simulated') {
        expect(recording.payload.object_kind === 'note' && 'issue' in recording.payload).toBe(true);
        return;
      }
      const delivery = sim.deliveries().find(counterpart as (delivery: WebhookDelivery) => boolean);
      expect(delivery, `the simulator emitted no counterpart of ${file}`).toBeDefined();
      if (delivery === undefined) return;
      expect(delivery.event).toBe(EVENT_BY_KIND[String(recording.payload.object_kind)]);
      expect(shapeMismatches(shapeOf(recording.payload), delivery.payload)).toEqual([]);
    },
  );
});

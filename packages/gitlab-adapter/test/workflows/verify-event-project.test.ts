/**
 * `verifyEventProject` against the simulator: genuine deliveries of every kind pass; payloads that
 * name one project by path (the one a webhook token is bound to) and another by id are refused and
 * logged as `unverified-project`.
 */
import { UNVERIFIED_PROJECT, verifyEventProject } from '@srcgit/core';
import type { DomainEvent, ProjectRef } from '@srcgit/core';
import type { SimulatorProject } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentEvents, eventDeps, openPairedMergeRequests, pipelineEvents, pushEvents } from './event-world';
import type { PairedMergeRequests } from './event-world';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

describe('verifyEventProject', () => {
  let world: WorkflowWorld;
  let paired: PairedMergeRequests;
  beforeAll(async () => {
    world = await startWorkflowWorld();
    paired = await openPairedMergeRequests(world);
  });
  afterAll(async () => {
    await paired.receiver.close();
    await world.close();
  });

  const ref = (project: SimulatorProject): ProjectRef => ({
    id: project.id,
    path: project.pathWithNamespace,
    webUrl: project.webUrl,
  });
  /** `ref(project)` with another project's id: every path says `project`. */
  const withIdOf = (project: SimulatorProject, victim: SimulatorProject): ProjectRef => ({
    ...ref(project),
    id: victim.id,
  });
  const verify = (event: DomainEvent) => verifyEventProject(event, eventDeps(world));
  const refusals = () => world.logs.filter((line) => line.fields?.['reason'] === UNVERIFIED_PROJECT);

  async function deliveredComment() {
    const { sim, demo } = world;
    await sim.addNote(demo.projects.sourceGit, paired.sgIid, demo.users.contributor, '/srcgit help');
    const event = (await commentEvents(world)).at(-1);
    if (event === undefined) throw new Error('no Note Hook');
    return event;
  }

  async function deliveredPush() {
    const { sim, demo } = world;
    const sha = await sim.commitFiles(demo.projects.distGit, {
      branch: demo.branch,
      files: { 'README.md': 'dist-git\n' },
      message: 'Add a README',
      user: demo.users.maintainer,
    });
    const event = (await pushEvents(world)).find((entry) => entry.headSha === sha);
    if (event === undefined) throw new Error(`no Push Hook for ${sha}`);
    return event;
  }

  async function deliveredForkPipeline() {
    const { sim, demo } = world;
    const pipeline = await sim.runMergeRequestPipeline(demo.projects.distGit, paired.dgIid, demo.users.bot, {
      inTarget: false,
    });
    const event = (await pipelineEvents(world)).find((entry) => entry.pipeline.id === pipeline?.id);
    if (event === undefined) throw new Error('no Pipeline Hook for the fork pipeline');
    return event;
  }

  it('passes genuine merge request, comment, push and fork pipeline deliveries', async () => {
    const before = refusals().length;
    await expect(verify(await world.lastMrEvent(paired.sgIid))).resolves.toEqual({ verified: true });
    await expect(verify(await deliveredComment())).resolves.toEqual({ verified: true });
    await expect(verify(await deliveredPush())).resolves.toEqual({ verified: true });
    const pipeline = await deliveredForkPipeline();
    // A fork pipeline: it ran in the bot's fork, its MR lives in the parent dist-git project.
    expect(pipeline.pipeline.project.id).toBe(paired.forkId);
    expect(pipeline.mergeRequest?.targetProjectId).toBe(world.demo.projects.distGit.id);
    await expect(verify(pipeline)).resolves.toEqual({ verified: true });
    expect(refusals()).toHaveLength(before);
  });

  it("refuses a merge request event with the attacker's paths and the victim's project id", async () => {
    const { sourceGit, contributorFork } = world.demo.projects;
    const genuine = await world.lastMrEvent(paired.sgIid);
    const forged: DomainEvent = {
      ...genuine,
      mergeRequest: {
        ...genuine.mergeRequest,
        project: withIdOf(contributorFork, sourceGit),
        url: `${contributorFork.webUrl}/-/merge_requests/${paired.sgIid}`,
      },
    };
    const verdict = await verify(forged);
    expect(verdict).toEqual({
      verified: false,
      reason: UNVERIFIED_PROJECT,
      detail: `the merge request’s project ${sourceGit.id} is "${sourceGit.pathWithNamespace}" on the forge, the event says "${contributorFork.pathWithNamespace}"`,
    });
    expect(refusals().at(-1)).toMatchObject({
      level: 'warn',
      fields: { reason: UNVERIFIED_PROJECT, kind: genuine.kind },
    });
  });

  it('refuses a merge request event whose source project is not the one of the MR', async () => {
    const genuine = await world.lastMrEvent(paired.sgIid);
    const forged: DomainEvent = {
      ...genuine,
      mergeRequest: { ...genuine.mergeRequest, sourceProject: ref(world.demo.projects.distGit) },
    };
    await expect(verify(forged)).resolves.toMatchObject({
      verified: false,
      detail: expect.stringContaining(
        `comes from project ${world.demo.projects.contributorFork.id}`,
      ) as unknown,
    });
  });

  it('refuses a comment, a push and a pipeline naming one project by path and another by id', async () => {
    const { sourceGit, distGit, contributorFork } = world.demo.projects;
    const comment = await deliveredComment();
    await expect(
      verify({
        ...comment,
        mergeRequest: { ...comment.mergeRequest, project: withIdOf(contributorFork, sourceGit) },
      }),
    ).resolves.toMatchObject({ verified: false, reason: UNVERIFIED_PROJECT });

    const push = await deliveredPush();
    await expect(verify({ ...push, project: withIdOf(contributorFork, distGit) })).resolves.toMatchObject({
      verified: false,
      reason: UNVERIFIED_PROJECT,
    });
    await expect(verify({ ...push, project: { ...ref(distGit), id: 999_999 } })).resolves.toMatchObject({
      verified: false,
      detail: expect.stringContaining('does not exist or the bot cannot see it') as unknown,
    });

    const pipeline = await deliveredForkPipeline();
    await expect(
      verify({
        ...pipeline,
        pipeline: { ...pipeline.pipeline, project: withIdOf(contributorFork, distGit) },
      }),
    ).resolves.toMatchObject({ verified: false, reason: UNVERIFIED_PROJECT });
  });

  it("refuses a pipeline of the attacker's own project that names the bot's dist-git MR", async () => {
    const { contributorFork } = world.demo.projects;
    const pipeline = await deliveredForkPipeline();
    // Every project field is the attacker's own, consistent project; the MR is someone else's.
    const forged: DomainEvent = {
      ...pipeline,
      pipeline: { ...pipeline.pipeline, project: ref(contributorFork) },
    };
    await expect(verify(forged)).resolves.toMatchObject({
      verified: false,
      reason: UNVERIFIED_PROJECT,
      detail: expect.stringContaining(
        `neither lives in nor comes from ${contributorFork.pathWithNamespace}`,
      ) as unknown,
    });
  });
});

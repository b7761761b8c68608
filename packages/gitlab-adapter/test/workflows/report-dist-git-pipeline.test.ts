import { DIST_GIT_CI_NOTE_MARKER, reportDistGitPipeline } from '@srcgit/core';
import type { DistGitMrPipelineChanged } from '@srcgit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventDeps, openPairedMergeRequests, pipelineEvents } from './event-world';
import type { PairedMergeRequests } from './event-world';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

const CHECK = 'Dist-git MR CI Pipeline';

describe('reportDistGitPipeline', () => {
  let world: WorkflowWorld;
  let paired: PairedMergeRequests;
  beforeEach(async () => {
    world = await startWorkflowWorld();
    paired = await openPairedMergeRequests(world);
  });
  afterEach(async () => {
    await paired.receiver.close();
    await world.close();
  });

  /** A new detached pipeline in the bot's fork (its creation is delivered to the fork's hook). */
  const forkPipeline = async () => {
    const pipeline = await world.sim.runMergeRequestPipeline(
      world.demo.projects.distGit,
      paired.dgIid,
      world.demo.users.bot,
      { inTarget: false },
    );
    if (pipeline?.projectId !== paired.forkId) throw new Error('no detached pipeline in the bot fork');
    return pipeline;
  };
  /** Moves the pipeline (unless it is there already), then reports the event delivered for it. */
  const move = async (
    pipelineId: number,
    status: 'pending' | 'running' | 'failed' | 'success' | 'canceled',
  ) => {
    if (world.sim.pipeline(pipelineId).status !== status)
      await world.sim.setPipelineStatus(pipelineId, status);
    const event = (await pipelineEvents(world)).filter((entry) => entry.pipeline.id === pipelineId).at(-1);
    if (event === undefined) throw new Error(`no Pipeline Hook for ${pipelineId}`);
    return { event, outcome: await reportDistGitPipeline(event, eventDeps(world)) };
  };
  const statuses = () =>
    world.sim
      .commitStatuses(world.demo.projects.contributorFork, paired.sgHead)
      .filter((status) => status.name === CHECK);
  const botNotes = () =>
    world.sim
      .notes(world.demo.projects.sourceGit, paired.sgIid)
      .filter((note) => note.body.includes(DIST_GIT_CI_NOTE_MARKER));

  it('sets one commit status on the source-git fork head that follows the pipeline (scenario 10a)', async () => {
    world.sim.addMember({ project: world.demo.projects.contributorFork }, world.demo.users.bot, 'developer');
    const pipeline = await forkPipeline();
    const seen: string[] = [];
    for (const status of ['pending', 'running', 'failed'] as const) {
      const { outcome } = await move(pipeline.id, status);
      expect(outcome.sourceGitMr?.iid).toBe(paired.sgIid);
      expect(outcome.distGitMr?.iid).toBe(paired.dgIid);
      const latest = statuses().at(-1);
      seen.push(latest?.status ?? 'none');
      expect(latest?.ref).toBe('stronger');
      expect(latest?.targetUrl).toBe(`${world.sim.url}/srcgit-bot/beer/-/pipelines/${pipeline.id}`);
      expect(latest?.description).toBe(`Changed status to ${status}`);
    }
    expect(seen).toEqual(['pending', 'running', 'failed']);
    // One status, moved through its states: never a second one for the same state.
    expect(new Set(statuses().map((status) => status.pipelineId)).size).toBe(1);
    expect(botNotes()).toHaveLength(0);
  });

  it('treats GitLab\'s "Cannot transition status" as a no-op (scenario 13)', async () => {
    world.sim.addMember({ project: world.demo.projects.contributorFork }, world.demo.users.bot, 'developer');
    const first = await forkPipeline();
    await move(first.id, 'running');
    // A second pipeline starts while the first still runs: its `pending` is newer, but GitLab
    // refuses to move the running status back (400 "Cannot transition status via :enqueue").
    const second = await forkPipeline();
    const { outcome } = await move(second.id, 'pending');
    expect(outcome.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['commit-status', 'unchanged'],
    ]);
    expect(outcome.result).toBe('no-op');
    expect(statuses().at(-1)?.status).toBe('running');
    expect(botNotes()).toHaveLength(0);
    // Its final state goes through.
    await move(second.id, 'running');
    await move(second.id, 'success');
    expect(statuses().at(-1)?.status).toBe('success');
    expect(botNotes()).toHaveLength(0);
  });

  it('writes one note, created on the first final state and edited in place, when the bot may not set statuses (scenario 10b)', async () => {
    const pipeline = await forkPipeline();
    for (const status of ['pending', 'running'] as const) {
      const { outcome } = await move(pipeline.id, status);
      expect(outcome.actions.map((action) => [action.kind, action.outcome])).toEqual([['note', 'skipped']]);
    }
    expect(botNotes()).toHaveLength(0);
    const failed = await move(pipeline.id, 'failed');
    expect(failed.outcome.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['note', 'created'],
    ]);
    expect(botNotes()).toHaveLength(1);
    expect(botNotes()[0]?.body).toContain(`| ${CHECK} | failed | [#${pipeline.id}]`);

    // Redelivery of `failed` adds nothing.
    const redelivered = await reportDistGitPipeline(failed.event, eventDeps(world));
    expect(redelivered.result).toBe('no-op');
    expect(botNotes()).toHaveLength(1);

    // A later final state (the failed jobs retried and passing) edits the same note.
    const retried = await world.forge.retryPipeline(pipeline.projectId, pipeline.id);
    expect(retried.id).toBe(pipeline.id);
    await move(pipeline.id, 'running');
    await move(pipeline.id, 'success');
    expect(botNotes()).toHaveLength(1);
    expect(botNotes()[0]?.body).toContain(`| ${CHECK} | success | [#${pipeline.id}]`);
    expect(world.sim.commitStatuses(world.demo.projects.contributorFork, paired.sgHead)).toHaveLength(0);
  });

  it('reports a merged-results pipeline in the parent on the source-git commit of the merged head (scenario 11)', async () => {
    world.sim.addMember({ project: world.demo.projects.contributorFork }, world.demo.users.bot, 'developer');
    world.sim.configureProject(world.demo.projects.distGit, { mergedResultsPipelines: true });
    const parent = await world.sim.runMergeRequestPipeline(
      world.demo.projects.distGit,
      paired.dgIid,
      world.demo.users.maintainer,
      { inTarget: true },
    );
    if (parent === undefined) throw new Error('no parent pipeline');
    expect(parent.projectId).toBe(world.demo.projects.distGit.id);
    expect(parent.mergedResultOf).not.toBeNull();
    expect(parent.sha).not.toBe(parent.mergedResultOf);
    const { event, outcome } = await move(parent.id, 'success');
    expect(event.inFork).toBe(false);
    expect(event.commit?.message).toMatch(/^Merge branch 'c10s-src-1' into 'c10s'/);
    expect(outcome.actions.find((action) => action.kind === 'commit-status')?.outcome).toBe('created');
    const latest = statuses().at(-1);
    expect(latest?.status).toBe('success');
    expect(latest?.targetUrl).toBe(`${world.sim.url}/rpms/beer/-/pipelines/${parent.id}`);
  });

  it('never moves a status backwards for late or repeated events, and the newest pipeline wins', async () => {
    world.sim.addMember({ project: world.demo.projects.contributorFork }, world.demo.users.bot, 'developer');
    const first = await forkPipeline();
    const events: DistGitMrPipelineChanged[] = [];
    for (const status of ['running', 'failed'] as const) events.push((await move(first.id, status)).event);
    const second = await world.sim.runMergeRequestPipeline(
      world.demo.projects.distGit,
      paired.dgIid,
      world.demo.users.maintainer,
      { inTarget: true },
    );
    if (second === undefined) throw new Error('no second pipeline');
    await world.sim.setPipelineStatus(second.id, 'running');
    await world.sim.setPipelineStatus(second.id, 'success');
    const all = await pipelineEvents(world);
    // Delivered late, out of order and twice: the first pipeline's running, the second's events
    // newest first, the first's failed again.
    const late = [
      events[0],
      ...all.filter((event) => event.pipeline.id === second.id).reverse(),
      events[1],
      events[0],
    ];
    for (const event of late) {
      if (event !== undefined) await reportDistGitPipeline(event, eventDeps(world));
    }
    const latest = statuses().at(-1);
    expect(latest?.status).toBe('success');
    expect(latest?.targetUrl).toContain(`/-/pipelines/${second.id}`);
  });

  it('ignores pipelines that are not merge request pipelines or have no merge request (scenario 12)', async () => {
    const [event] = await pipelineEvents(world);
    const base = event ?? (await move((await forkPipeline()).id, 'running')).event;
    const push = await reportDistGitPipeline(
      { ...base, pipeline: { ...base.pipeline, source: 'push' }, mergeRequest: null },
      eventDeps(world),
    );
    expect(push.result).toBe('ignored');
    expect(push.reason).toBe('not-merge-request-pipeline');
    const orphan = await reportDistGitPipeline(
      { ...base, pipeline: { ...base.pipeline, ref: 'some-feature' }, mergeRequest: null },
      eventDeps(world),
    );
    expect(orphan.result).toBe('ignored');
    expect(orphan.reason).toBe('no-merge-request');
    // The forge omitted the MR, but the branch is the bot's `…-src-<iid>`: found by branch.
    const found = await reportDistGitPipeline({ ...base, mergeRequest: null }, eventDeps(world));
    expect(found.distGitMr?.iid).toBe(paired.dgIid);
    expect(statuses()).toHaveLength(0);
  });

  it('skips statuses it does not know and waits through canceling', async () => {
    world.sim.addMember({ project: world.demo.projects.contributorFork }, world.demo.users.bot, 'developer');
    const { event } = await move((await forkPipeline()).id, 'running');
    const before = statuses().length;
    for (const status of ['canceling', 'exploded']) {
      const outcome = await reportDistGitPipeline(
        { ...event, pipeline: { ...event.pipeline, id: event.pipeline.id + 1_000_000, status } },
        eventDeps(world),
      );
      expect(outcome.result).not.toBe('updated');
    }
    expect(statuses()).toHaveLength(before);
    expect(world.logs.some((line) => line.message.startsWith('unknown pipeline status'))).toBe(true);
  });
});

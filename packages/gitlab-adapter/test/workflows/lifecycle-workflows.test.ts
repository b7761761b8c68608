import {
  closeDistGitMergeRequest,
  noteSourceGitMerged,
  reopenDistGitMergeRequest,
  runSourceGitMrWorkflow,
  updateDistGitMergeRequestMetadata,
} from '@srcgit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

const STRONGER = {
  'beer.c': '#include <stdio.h>\n\nint main(void) {\n  puts("a pint of stout");\n  return 0;\n}\n',
};

describe('source-git MR lifecycle workflows', () => {
  let world: WorkflowWorld;
  let iid: number;
  beforeEach(async () => {
    world = await startWorkflowWorld();
    await world.push('stout', STRONGER, 'Pour stout');
    iid = await world.openMr({ branch: 'stout', title: 'Stout', description: 'Stout by default.' });
    const opened = await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    expect(opened.result).toBe('created');
  });
  afterEach(async () => {
    await world.close();
  });

  const source = () => world.demo.projects.sourceGit;
  const distGit = () => world.demo.projects.distGit;
  const distGitMrs = () => world.sim.mergeRequests({ project: distGit() });
  const distGitNotes = () => world.sim.notes(distGit(), 1).filter((note) => !note.system);
  const sourceGitNotes = () => world.sim.notes(source(), iid).filter((note) => !note.system);

  it('mirrors a title and description edit with a PUT, no new MR and no comment (scenario 5)', async () => {
    await world.sim.updateMergeRequest(source(), iid, world.demo.users.contributor, {
      title: 'Stout, always',
      description: 'Stout by default.\nBugzilla: 4321',
    });
    const event = await world.lastMrEvent(iid);
    expect(event.kind).toBe('source-git-mr-updated');
    if (event.kind !== 'source-git-mr-updated') return;
    const outcome = await updateDistGitMergeRequestMetadata(event, world.deps);
    expect(outcome.result).toBe('updated');
    expect(outcome.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['merge-request-metadata', 'updated'],
    ]);

    expect(distGitMrs()).toHaveLength(1);
    const dgMr = world.sim.mergeRequest(distGit(), 1);
    expect(dgMr.title).toBe('Stout, always');
    expect(dgMr.description).toMatch(
      /^Stout by default\.\nResolves: bz#4321\n\n---\n###### Info for package maintainer\n/,
    );
    expect(dgMr.description).toContain(`<!-- srcgit: source-git-mr ${source().id}!${iid} -->`);
    expect(distGitNotes()).toHaveLength(0);
    expect(sourceGitNotes()).toHaveLength(1);

    const again = await updateDistGitMergeRequestMetadata(event, world.deps);
    expect(again.result).toBe('no-op');
    expect(distGitMrs()).toHaveLength(1);
  });

  it('keeps the pairing when the title changes and new commits follow', async () => {
    await world.sim.updateMergeRequest(source(), iid, world.demo.users.contributor, { title: 'Renamed' });
    await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    await world.push('stout', { 'README.md': '# beer\n\nStout.\n' }, 'Document stout');
    const outcome = await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    expect(outcome.result).toBe('updated');
    expect(distGitMrs().map((mr) => [mr.iid, mr.title, mr.state])).toEqual([[1, 'Renamed', 'opened']]);
  });

  it('closes the dist-git MR with one comment, reopens it, and only comments on a merge (scenario 9)', async () => {
    const { sim, demo } = world;
    await sim.updateMergeRequest(source(), iid, demo.users.contributor, { stateEvent: 'close' });
    const closed = await world.lastMrEvent(iid);
    expect(closed.kind).toBe('source-git-mr-closed');
    if (closed.kind !== 'source-git-mr-closed') return;
    const closing = await closeDistGitMergeRequest(closed, world.deps);
    expect(closing.result).toBe('updated');
    expect(sim.mergeRequest(distGit(), 1).state).toBe('closed');
    expect(distGitNotes().map((note) => note.body.split('\n')[0])).toEqual([
      `[Source-git MR](${closed.mergeRequest.url}) has been closed.`,
    ]);
    const closingAgain = await closeDistGitMergeRequest(closed, world.deps);
    expect(closingAgain.result).toBe('no-op');
    expect(distGitNotes()).toHaveLength(1);

    await sim.updateMergeRequest(source(), iid, demo.users.contributor, { stateEvent: 'reopen' });
    const reopened = await world.lastMrEvent(iid);
    expect(reopened.kind).toBe('source-git-mr-reopened');
    if (reopened.kind !== 'source-git-mr-reopened') return;
    const reopening = await reopenDistGitMergeRequest(reopened, world.deps);
    expect(reopening.result).toBe('updated');
    expect(reopening.actions.some((action) => action.kind === 'push')).toBe(false);
    expect(sim.mergeRequest(distGit(), 1).state).toBe('opened');
    expect((await reopenDistGitMergeRequest(reopened, world.deps)).result).toBe('no-op');
    expect(distGitNotes().map((note) => note.body.split('\n')[0])).toEqual([
      `[Source-git MR](${closed.mergeRequest.url}) has been closed.`,
      `[Source-git MR](${closed.mergeRequest.url}) has been reopened.`,
    ]);

    await sim.mergeMergeRequest(source(), iid, demo.users.maintainer);
    const merged = await world.lastMrEvent(iid);
    expect(merged.kind).toBe('source-git-mr-merged');
    if (merged.kind !== 'source-git-mr-merged') return;
    const noting = await noteSourceGitMerged(merged, world.deps);
    expect(noting.result).toBe('noted');
    expect((await noteSourceGitMerged(merged, world.deps)).result).toBe('no-op');
    expect(sim.mergeRequest(distGit(), 1).state).toBe('opened');
    expect(distGitNotes()).toHaveLength(3);
    expect(distGitNotes()[2]?.body).toContain('has been merged.');
    expect(distGitMrs()).toHaveLength(1);
  });

  it('re-syncs on reopen when the source-git head moved while the MR was closed', async () => {
    const { sim, demo } = world;
    await sim.updateMergeRequest(source(), iid, demo.users.contributor, { stateEvent: 'close' });
    await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    const newHead = await world.push('stout', { 'README.md': '# beer\n\nStout.\n' }, 'Document stout');
    await sim.updateMergeRequest(source(), iid, demo.users.contributor, { stateEvent: 'reopen' });
    const outcome = await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    expect(outcome.workflow).toBe('reopen-dist-git-merge-request');
    expect(outcome.result).toBe('updated');
    expect(outcome.actions.map((action) => [action.kind, action.outcome])).toContainEqual([
      'push',
      'updated',
    ]);
    const dgMr = sim.mergeRequest(distGit(), 1);
    expect(dgMr.state).toBe('opened');
    const commit = await world.forge.getCommit(distGit().id, dgMr.sha);
    expect(commit.message).toContain(`From-source-git-commit: ${newHead}`);
  });

  it('ignores lifecycle events of MRs without a dist-git MR, and never creates one for a closed MR', async () => {
    await world.push('other', STRONGER, 'Other stout');
    const other = await world.openMr({ branch: 'other', title: 'Other' });
    await world.sim.updateMergeRequest(source(), other, world.demo.users.contributor, {
      stateEvent: 'close',
    });
    const outcome = await runSourceGitMrWorkflow(await world.lastMrEvent(other), world.deps);
    expect(outcome).toMatchObject({ result: 'ignored', reason: 'no-pairing' });
    expect(distGitMrs()).toHaveLength(1);
  });

  it('creates the missing dist-git MR on a metadata update of an unpaired open MR (self-healing)', async () => {
    await world.push('other', STRONGER, 'Other stout');
    const other = await world.openMr({ branch: 'other', title: 'Other' });
    await world.sim.updateMergeRequest(source(), other, world.demo.users.contributor, {
      title: 'Other, renamed',
    });
    const outcome = await runSourceGitMrWorkflow(await world.lastMrEvent(other), world.deps);
    expect(outcome.result).toBe('created');
    expect(
      distGitMrs()
        .map((mr) => [mr.sourceBranch, mr.title])
        .sort(),
    ).toEqual([
      ['c10s-src-1', 'Stout'],
      [`c10s-src-${other}`, 'Other, renamed'],
    ]);
  });

  it('moves the dist-git MR to the new branch when the target branch changes, or explains a missing one', async () => {
    const { sim, demo } = world;
    await sim.createBranch(source(), 'c11s', 'c10s', demo.users.maintainer);
    await sim.createBranch(distGit(), 'c11s', 'c10s', demo.users.maintainer);
    await sim.updateMergeRequest(source(), iid, demo.users.contributor, { targetBranch: 'c11s' });
    const moved = await world.lastMrEvent(iid);
    expect(moved.kind === 'source-git-mr-updated' && moved.changes.targetBranch !== undefined).toBe(true);
    const outcome = await runSourceGitMrWorkflow(moved, world.deps);
    expect(outcome.result).toBe('updated');
    expect(distGitMrs().map((mr) => [mr.iid, mr.sourceBranch, mr.targetBranch])).toEqual([
      [1, 'c10s-src-1', 'c11s'],
    ]);

    await sim.createBranch(source(), 'c12s', 'c10s', demo.users.maintainer);
    await sim.updateMergeRequest(source(), iid, demo.users.contributor, { targetBranch: 'c12s' });
    const missing = await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    expect(missing).toMatchObject({ result: 'ignored', reason: 'not-handled' });
  });

  it('acts on the MR as it is now: a queued "opened" handled after the close changes nothing', async () => {
    const [opened] = await world.mrEvents(iid);
    await world.sim.updateMergeRequest(source(), iid, world.demo.users.contributor, { stateEvent: 'close' });
    await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    expect(opened?.kind).toBe('source-git-mr-opened');
    if (opened === undefined) return;
    const late = await runSourceGitMrWorkflow(opened, world.deps);
    expect(late).toMatchObject({ result: 'ignored', reason: 'not-open' });
    expect(world.sim.mergeRequest(distGit(), 1).state).toBe('closed');
    expect(distGitMrs()).toHaveLength(1);
  });
});

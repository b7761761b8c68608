import { runSourceGitMrWorkflow, syncSourceGitMergeRequest } from '@srcgit/core';
import type { CachedPairing, PairingCache } from '@srcgit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

const STRONGER = {
  'beer.c':
    '#include <stdio.h>\n#include <string.h>\n\nint main(int argc, char **argv) {\n  if (argc > 1 && strcmp(argv[1], "--strong") == 0) puts("a pint of imperial stout");\n  else puts("a pint of lager");\n  return 0;\n}\n',
};
const README = { 'README.md': '# beer\n\nPrints a pint, cold.\n' };

/** The `From-source-git-commit` trailer of a dist-git commit message. */
function trailer(message: string): string | undefined {
  return /^From-source-git-commit: (\S+)$/m.exec(message)?.[1];
}

describe('syncSourceGitMergeRequest', () => {
  let world: WorkflowWorld;
  beforeEach(async () => {
    world = await startWorkflowWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  const distGitMrs = () => world.sim.mergeRequests({ project: world.demo.projects.distGit });
  const userNotes = (project: number, iid: number) =>
    world.sim.notes(project, iid).filter((note) => !note.system);

  it('opens one dist-git MR from the bot fork branch and links it in one sticky note (scenario 1)', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({
      branch: 'stronger',
      title: 'Stronger stout',
      description:
        'Imperial stout for everyone.\nBugzilla: https://bugzilla.redhat.com/show_bug.cgi?id=1234\n bugzilla: 99',
    });
    const event = await world.lastMrEvent(iid);
    expect(event.kind).toBe('source-git-mr-opened');

    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome.result).toBe('created');
    // Only what the conversion reads was checked out of the source-git repository.
    expect(world.logs.find((line) => line.message === 'source-git checked out')?.fields).toMatchObject({
      headSha: event.mergeRequest.headSha,
      sparse: true,
    });
    expect(outcome.plan?.commits.map((commit) => [commit.subject, commit.status, commit.patchFile])).toEqual([
      ['Add packaging for beer 1.0', 'ignored', null],
      ['Make the strong beer stronger', 'new', '0001-Make-the-strong-beer-stronger.patch'],
    ]);

    const { sim, demo } = world;
    expect(distGitMrs()).toHaveLength(1);
    const [dgMr] = distGitMrs();
    expect(dgMr?.sourceBranch).toBe('c10s-src-1');
    expect(dgMr?.targetBranch).toBe('c10s');
    expect(dgMr?.title).toBe('Stronger stout');
    expect(dgMr?.description).toBe(
      [
        'Imperial stout for everyone.',
        'Resolves: bz#1234',
        ' bugzilla: 99',
        '',
        '---',
        '###### Info for package maintainer',
        'This MR was opened automatically from',
        `[this source-git MR](${event.mergeRequest.url}).`,
        '',
        `<!-- srcgit: source-git-mr ${demo.projects.sourceGit.id}!${iid} -->`,
      ].join('\n'),
    );
    const fork = sim.project(dgMr?.sourceProjectId ?? 0);
    expect(fork.forkedFromId).toBe(demo.projects.distGit.id);
    expect(fork.namespaceId).toBe(demo.users.bot.namespaceId);

    const commit = await world.forge.getCommit(demo.projects.distGit.id, dgMr?.sha ?? '');
    expect(trailer(commit.message)).toBe(event.mergeRequest.headSha);
    expect(commit.authorName).toBe('srcgit bot');
    // The trailer lands before the `---` line, as in the recorded dist-git commits of packit.
    expect(commit.message).toBe(
      [
        'Stronger stout',
        '',
        'Imperial stout for everyone.',
        'Resolves: bz#1234',
        ' bugzilla: 99',
        '',
        `From-source-git-commit: ${event.mergeRequest.headSha}`,
        '',
        '---',
        '###### Info for package maintainer',
        'This MR was opened automatically from',
        `[this source-git MR](${event.mergeRequest.url}).`,
        '',
      ].join('\n'),
    );

    const notes = userNotes(demo.projects.sourceGit.id, iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body.split('\n')[0]).toBe(`[Dist-git MR #${dgMr?.iid}](${outcome.distGitMr?.webUrl})`);
    expect(notes[0]?.body).toContain('ignored (changes only ignored paths)');
    expect(notes[0]?.body).toContain(
      ' Make the strong beer stronger | `0001-Make-the-strong-beer-stronger.patch` | Patch0001 | new |',
    );
  });

  it('writes nothing new when run again for the same head', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const event = await world.lastMrEvent(iid);
    await syncSourceGitMergeRequest(event, world.deps);
    const before = world.sim.mergeRequest(world.demo.projects.distGit, 1);
    const noteBefore = userNotes(world.demo.projects.sourceGit.id, iid);

    const again = await syncSourceGitMergeRequest(event, world.deps);
    expect(again.result).toBe('no-op');
    expect(again.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['push', 'unchanged'],
      ['note', 'unchanged'],
    ]);
    expect(distGitMrs()).toHaveLength(1);
    expect(world.sim.mergeRequest(world.demo.projects.distGit, 1).sha).toBe(before.sha);
    expect(userNotes(world.demo.projects.sourceGit.id, iid)).toEqual(noteBefore);
  });

  it('keeps one dist-git MR through an open + metadata update burst, with no dist-git comment (scenario 3)', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    await world.sim.updateMergeRequest(world.demo.projects.sourceGit, iid, world.demo.users.contributor, {
      labels: ['beer'],
    });
    const events = await world.mrEvents(iid);
    expect(events.map((event) => event.kind)).toEqual(['source-git-mr-opened', 'source-git-mr-updated']);
    const outcomes = [];
    for (const event of events) outcomes.push(await runSourceGitMrWorkflow(event, world.deps));
    expect(outcomes.map((outcome) => outcome.result)).toEqual(['created', 'ignored']);
    expect(distGitMrs()).toHaveLength(1);
    expect(userNotes(world.demo.projects.distGit.id, 1)).toHaveLength(0);
  });

  it('force-updates the same dist-git MR when the contributor pushes (scenario 4)', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    await syncSourceGitMergeRequest(await world.lastMrEvent(iid), world.deps);
    const firstHead = world.sim.mergeRequest(world.demo.projects.distGit, 1).sha;

    const newHead = await world.push('stronger', README, 'Serve it cold');
    const update = await world.lastMrEvent(iid);
    expect(update.kind === 'source-git-mr-updated' && update.oldrev !== null).toBe(true);
    const outcome = await runSourceGitMrWorkflow(update, world.deps);
    expect(outcome.result).toBe('updated');

    expect(distGitMrs()).toHaveLength(1);
    const dgMr = world.sim.mergeRequest(world.demo.projects.distGit, 1);
    expect(dgMr.sha).not.toBe(firstHead);
    const commit = await world.forge.getCommit(world.demo.projects.distGit.id, dgMr.sha);
    expect(trailer(commit.message)).toBe(newHead);
    // One commit on top of the dist-git branch, not a stack of syncs.
    const distGitBranch = await world.forge.getBranch(world.demo.projects.distGit.id, 'c10s');
    expect(commit.parentShas).toEqual([distGitBranch?.commitSha]);
    const notes = userNotes(world.demo.projects.sourceGit.id, iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('0002-Serve-it-cold.patch');
    expect(userNotes(world.demo.projects.distGit.id, 1)).toHaveLength(0);
  });

  it('keeps the same dist-git MR when the spec version is bumped (scenario 6)', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    await syncSourceGitMergeRequest(await world.lastMrEvent(iid), world.deps);
    const spec = new TextDecoder().decode(
      (await world.forge.readFile(world.demo.projects.sourceGit.id, '.distro/beer.spec', 'c10s')) ??
        new Uint8Array(),
    );
    await world.push(
      'stronger',
      { '.distro/beer.spec': spec.replace(/^Version:(\s+)1\.0$/m, 'Version:$11.1') },
      'Bump to 1.1',
    );
    const outcome = await runSourceGitMrWorkflow(await world.lastMrEvent(iid), world.deps);
    expect(outcome.result).toBe('updated');
    expect(distGitMrs().map((mr) => [mr.iid, mr.sourceBranch, mr.state])).toEqual([
      [1, 'c10s-src-1', 'opened'],
    ]);
    expect(outcome.plan?.files.map((file) => file.path)).toContain('beer.spec');
  });

  it('adopts the existing dist-git MR after a crash between creating it and posting the note', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const event = await world.lastMrEvent(iid);
    const fault = world.sim.injectFault({
      method: 'POST',
      path: new RegExp(`^/api/v4/projects/${world.demo.projects.sourceGit.id}/merge_requests/${iid}/notes$`),
      status: 500,
      times: 20,
    });
    const crashed = await syncSourceGitMergeRequest(event, world.deps).catch((error: unknown) => error);
    expect(crashed).toMatchObject({ code: 'FORGE_FAILED', kind: 'transient' });
    fault.remove();
    expect(distGitMrs()).toHaveLength(1);
    expect(userNotes(world.demo.projects.sourceGit.id, iid)).toHaveLength(0);

    const healed = await syncSourceGitMergeRequest(event, world.deps);
    expect(healed.result).toBe('noted');
    expect(distGitMrs()).toHaveLength(1);
    expect(userNotes(world.demo.projects.sourceGit.id, iid)).toHaveLength(1);
  });

  it('finds the pairing in GitLab when the cache is lost or wrong', async () => {
    const entries = new Map<string, CachedPairing>();
    const cache: PairingCache = {
      get: (project, iid) => Promise.resolve(entries.get(`${project}!${iid}`) ?? null),
      set: (project, iid, pairing) => {
        entries.set(`${project}!${iid}`, pairing);
        return Promise.resolve();
      },
      delete: (project, iid) => {
        entries.delete(`${project}!${iid}`);
        return Promise.resolve();
      },
    };
    const deps = { ...world.deps, pairingCache: cache };
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const event = await world.lastMrEvent(iid);
    await syncSourceGitMergeRequest(event, deps);
    const key = `${world.demo.projects.sourceGit.id}!${iid}`;
    expect(entries.get(key)).toEqual({ distGitProjectId: world.demo.projects.distGit.id, distGitMrIid: 1 });

    entries.clear();
    expect((await syncSourceGitMergeRequest(event, deps)).result).toBe('no-op');
    entries.set(key, { distGitProjectId: world.demo.projects.distGit.id, distGitMrIid: 99 });
    expect((await syncSourceGitMergeRequest(event, deps)).result).toBe('no-op');
    expect(entries.get(key)?.distGitMrIid).toBe(1);
    expect(distGitMrs()).toHaveLength(1);
  });

  it('waits for a new dist-git fork to finish importing before pushing (scenario 17)', async () => {
    await world.close();
    world = await startWorkflowWorld({ forkImportDelayMs: 'manual' });
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const running = syncSourceGitMergeRequest(await world.lastMrEvent(iid), world.deps);
    const botFork = async () => {
      for (;;) {
        const fork = await world.forge.getProject('srcgit-bot/beer').catch(() => null);
        if (fork !== null) return fork;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const fork = await botFork();
    expect(fork.importStatus).not.toBe('finished');
    expect(distGitMrs()).toHaveLength(0);
    await world.sim.completeForkImports();
    const outcome = await running;
    expect(outcome.result).toBe('created');
    expect(distGitMrs()).toHaveLength(1);
  });

  it('comments once, naming the dist-git repo, when the dist-git branch is missing (scenario 7)', async () => {
    const { sim, demo } = world;
    await sim.createBranch(demo.projects.sourceGit, 'c11s', 'c10s', demo.users.maintainer);
    await sim.commitFiles(demo.projects.contributorFork, {
      branch: 'for-c11s',
      files: STRONGER,
      message: 'Make the strong beer stronger',
      user: demo.users.contributor,
    });
    const created = await sim.createMergeRequest({
      sourceProject: demo.projects.contributorFork,
      targetProject: demo.projects.sourceGit,
      sourceBranch: 'for-c11s',
      targetBranch: 'c11s',
      title: 'Stronger stout for c11s',
      author: demo.users.contributor,
    });
    const event = await world.lastMrEvent(created.iid);
    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome).toMatchObject({ result: 'user-error', reason: 'DIST_GIT_BRANCH_MISSING' });
    expect((await syncSourceGitMergeRequest(event, world.deps)).result).toBe('user-error');

    const notes = userNotes(demo.projects.sourceGit.id, created.iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('branch `c11s` does not exist in dist-git repo [`rpms/beer`]');
    expect(distGitMrs()).toHaveLength(0);
    await expect(world.forge.getProject('srcgit-bot/beer')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('comments once per head when .distro/source-git.yaml is missing, and does nothing else (scenario 8)', async () => {
    const { sim, demo } = world;
    // A branch from the upstream tag, before the packaging was added.
    await sim.createBranch(demo.projects.contributorFork, 'no-config', 'v1.0', demo.users.contributor);
    await sim.commitFiles(demo.projects.contributorFork, {
      branch: 'no-config',
      files: STRONGER,
      message: 'Make the strong beer stronger',
      user: demo.users.contributor,
    });
    const iid = await world.openMr({ branch: 'no-config', title: 'No config' });
    const event = await world.lastMrEvent(iid);
    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome).toMatchObject({ result: 'user-error', reason: 'CONFIG_MISSING' });
    await syncSourceGitMergeRequest(event, world.deps);

    const notes = userNotes(demo.projects.sourceGit.id, iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain(
      `the source-git configuration \`.distro/source-git.yaml\` does not exist in commit ${event.mergeRequest.headSha}`,
    );
    expect(distGitMrs()).toHaveLength(0);
  });

  it('explains a conversion the converter refuses on the MR, once per head, without retrying', async () => {
    const { sim, demo } = world;
    const yaml = new TextDecoder().decode(
      (await world.forge.readFile(demo.projects.sourceGit.id, '.distro/source-git.yaml', 'c10s')) ??
        new Uint8Array(),
    );
    await sim.commitFiles(demo.projects.contributorFork, {
      branch: 'bad-ref',
      files: { '.distro/source-git.yaml': yaml.replace('upstream_ref: v1.0', 'upstream_ref: v9.9') },
      message: 'Point at a tag that does not exist',
      user: demo.users.contributor,
    });
    const iid = await world.openMr({ branch: 'bad-ref', title: 'Bad upstream ref' });
    const event = await world.lastMrEvent(iid);
    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome).toMatchObject({ result: 'user-error', reason: 'UPSTREAM_REF_UNKNOWN' });
    await syncSourceGitMergeRequest(event, world.deps);
    const notes = userNotes(demo.projects.sourceGit.id, iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('`UPSTREAM_REF_UNKNOWN`');
    expect(notes[0]?.body).toContain('v9.9');
    expect(distGitMrs()).toHaveLength(0);
  });

  it('ignores the bot’s own "Sync from dist-git" MRs and MRs into unmapped branches', async () => {
    const { sim, demo } = world;
    await world.push('sync', STRONGER, 'Sync');
    const loop = await world.openMr({ branch: 'sync', title: 'Sync from dist-git: c10s' });
    expect(await syncSourceGitMergeRequest(await world.lastMrEvent(loop), world.deps)).toMatchObject({
      result: 'ignored',
      reason: 'loop-guard',
    });
    await sim.createBranch(demo.projects.sourceGit, 'rawhide', 'c10s', demo.users.maintainer);
    const other = await sim.createMergeRequest({
      sourceProject: demo.projects.contributorFork,
      targetProject: demo.projects.sourceGit,
      sourceBranch: 'sync',
      targetBranch: 'rawhide',
      title: 'Into rawhide',
      author: demo.users.contributor,
    });
    expect(await syncSourceGitMergeRequest(await world.lastMrEvent(other.iid), world.deps)).toMatchObject({
      result: 'ignored',
      reason: 'not-handled',
    });
    expect(distGitMrs()).toHaveLength(0);
    expect(userNotes(demo.projects.sourceGit.id, loop)).toHaveLength(0);
  });

  it('shows the plan and what it would create in a dry run, writing nothing', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const outcome = await syncSourceGitMergeRequest(await world.lastMrEvent(iid), world.deps, {
      dryRun: true,
    });
    expect(outcome.dryRun).toBe(true);
    expect(outcome.result).toBe('created');
    expect(outcome.plan?.patches.map((patch) => patch.fileName)).toEqual([
      '0001-Make-the-strong-beer-stronger.patch',
    ]);
    expect(outcome.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['fork', 'planned'],
      ['push', 'planned'],
      ['merge-request', 'planned'],
      ['note', 'planned'],
    ]);
    expect(distGitMrs()).toHaveLength(0);
    expect(userNotes(world.demo.projects.sourceGit.id, iid)).toHaveLength(0);
    await expect(world.forge.getProject('srcgit-bot/beer')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('keeps using the versioned fork branch of a dist-git MR the original bot opened', async () => {
    const { sim, demo } = world;
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const event = await world.lastMrEvent(iid);
    const botFork = await sim.forkProject(demo.projects.distGit, demo.users.bot);
    await sim.commitFiles(botFork, {
      branch: '1.0-c10s-src-1',
      files: { 'README.packit': 'synced by packit\n' },
      message: 'Stronger stout',
      user: demo.users.bot,
    });
    await sim.createMergeRequest({
      sourceProject: botFork,
      targetProject: demo.projects.distGit,
      sourceBranch: '1.0-c10s-src-1',
      targetBranch: 'c10s',
      title: 'Stronger stout',
      description: `---\n###### Info for package maintainer\nThis MR was opened automatically from\n[this source-git MR](${event.mergeRequest.url}).`,
      author: demo.users.bot,
    });

    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome.result).toBe('updated');
    expect(distGitMrs().map((mr) => [mr.iid, mr.sourceBranch])).toEqual([[1, '1.0-c10s-src-1']]);
    const commit = await world.forge.getCommit(
      demo.projects.distGit.id,
      sim.mergeRequest(demo.projects.distGit, 1).sha,
    );
    expect(trailer(commit.message)).toBe(event.mergeRequest.headSha);
    expect(userNotes(demo.projects.sourceGit.id, iid)[0]?.body.split('\n')[0]).toBe(
      `[Dist-git MR #1](${outcome.distGitMr?.webUrl})`,
    );
  });

  it('refuses, with one note, to downgrade a dist-git branch that has a newer version', async () => {
    const { sim, demo } = world;
    const spec = new TextDecoder().decode(
      (await world.forge.readFile(demo.projects.distGit.id, 'beer.spec', 'c10s')) ?? new Uint8Array(),
    );
    await sim.commitFiles(demo.projects.distGit, {
      branch: 'c10s',
      files: { 'beer.spec': spec.replace(/^Version:(\s+)1\.0$/m, 'Version:$11.1') },
      message: 'Update to 1.1',
      user: demo.users.maintainer,
    });
    await world.push('stronger', STRONGER, 'Make the strong beer stronger');
    const iid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
    const event = await world.lastMrEvent(iid);
    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome).toMatchObject({ result: 'user-error', reason: 'DIST_GIT_NEWER' });
    expect((await syncSourceGitMergeRequest(event, world.deps)).result).toBe('user-error');
    const notes = userNotes(demo.projects.sourceGit.id, iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('has version 1.1, newer than 1.0 in .distro/beer.spec');
    expect(distGitMrs()).toHaveLength(0);
  });
});

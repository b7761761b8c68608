import { join } from 'node:path';
import { createConverter, distGitSyncBranch, syncDistGitPush } from '@srcgit/core';
import type { DistGitPushed } from '@srcgit/core';
import { createTempDir, runGit } from '@srcgit/test-fixtures';
import type { Tree } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventDeps, pushEvents, STRONGER } from './event-world';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

const decode = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

describe('syncDistGitPush', () => {
  let world: WorkflowWorld;
  beforeEach(async () => {
    world = await startWorkflowWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /**
   * A maintainer adds a downstream commit to source-git and brings it into dist-git with the
   * converter (as merging the bot's dist-git MR would): both sides are in sync, dist-git has the
   * patch. Returns the dist-git push event of that sync.
   */
  async function syncPoint(downstream: Tree): Promise<DistGitPushed> {
    const { sim, demo } = world;
    const { maintainer } = demo.users;
    await sim.commitFiles(demo.projects.sourceGit, {
      branch: demo.branch,
      files: downstream,
      message: 'Brew it stronger',
      user: maintainer,
    });
    const dir = createTempDir('sync-point');
    try {
      await runGit(['clone', '--quiet', sim.cloneUrl(demo.projects.sourceGit, maintainer), 'sg'], {
        cwd: dir.path,
      });
      await runGit(['clone', '--quiet', sim.cloneUrl(demo.projects.distGit, maintainer), 'dg'], {
        cwd: dir.path,
      });
      const dg = join(dir.path, 'dg');
      await runGit(['config', 'user.name', 'Mai Ntainer'], { cwd: dg });
      await runGit(['config', 'user.email', 'maintainer@example.com'], { cwd: dg });
      await createConverter().updateDistGit({
        sourceGitDir: join(dir.path, 'sg'),
        distGitDir: dg,
        message: 'Brew it stronger\n',
        now: () => new Date('2024-02-01T12:00:00Z'),
      });
      await runGit(['push', '--quiet', 'origin', `HEAD:${demo.branch}`], { cwd: dg });
    } finally {
      await dir.remove();
    }
    const last = (await pushEvents(world)).at(-1);
    if (last === undefined) throw new Error('no Push Hook');
    return last;
  }

  /** The maintainer pushes `files` to dist-git; returns the delivered push event. */
  async function pushToDistGit(files: Tree, message: string): Promise<DistGitPushed> {
    const sha = await world.sim.commitFiles(world.demo.projects.distGit, {
      branch: world.demo.branch,
      files,
      message,
      user: world.demo.users.maintainer,
    });
    const event = (await pushEvents(world)).find((entry) => entry.headSha === sha);
    if (event === undefined) throw new Error(`no Push Hook for ${sha}`);
    return event;
  }

  const spec = async () =>
    decode(await world.forge.readFile(world.demo.projects.distGit.id, 'beer.spec', world.demo.branch));
  const syncMrs = () =>
    world.sim
      .mergeRequests({ project: world.demo.projects.sourceGit })
      .filter((mr) => mr.title === 'Sync from dist-git');
  const forkLog = async (format: string) => {
    const fork = world.sim.project(`${world.demo.users.bot.username}/beer-source-git`);
    return runGit(
      [
        'log',
        `--format=${format}`,
        `${world.demo.branch}..refs/heads/${distGitSyncBranch(world.demo.branch)}`,
      ],
      {
        cwd: world.sim.repositoryPath(fork),
      },
    );
  };

  it('does nothing when dist-git is in sync, and ignores the bot’s own pushes', async () => {
    const event = await syncPoint(STRONGER);
    const inSync = await syncDistGitPush(event, eventDeps(world));
    expect(inSync.result).toBe('ignored');
    expect(inSync.reason).toBe('in-sync');
    const own = await syncDistGitPush(
      { ...event, pusher: { username: world.demo.users.bot.username, id: world.demo.users.bot.id } },
      eventDeps(world),
    );
    expect(own.reason).toBe('own-push');
    expect(syncMrs()).toHaveLength(0);
  });

  it('opens one "Sync from dist-git" MR for a spec and CI change, and updates it on the next push', async () => {
    await syncPoint(STRONGER);
    const bumped = (await spec()).replace(/^Release:(\s+)1%\{\?dist\}$/m, 'Release:$12%{?dist}');
    const first = await pushToDistGit(
      {
        'beer.spec': bumped,
        '.gitlab-ci.yml':
          'workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n\ncheck:\n  script: [true]\n',
      },
      'Bump the release and simplify the CI\n\nThe gating tests moved elsewhere.',
    );
    const created = await syncDistGitPush(first, eventDeps(world));
    expect(created.result).toBe('created');
    expect(syncMrs()).toHaveLength(1);
    const [mr] = syncMrs();
    expect(mr?.sourceBranch).toBe('dist-git-sync/c10s');
    expect(mr?.targetBranch).toBe('c10s');
    const fork = world.sim.project(mr?.sourceProjectId ?? 0);
    expect([fork.path, fork.namespaceId, fork.forkedFromId]).toEqual([
      'beer-source-git',
      world.demo.users.bot.namespaceId,
      world.demo.projects.sourceGit.id,
    ]);
    expect(mr?.description).toContain(first.headSha.slice(0, 12));
    expect(await forkLog('%s%n%(trailers:key=From-dist-git-commit,valueonly)')).toBe(
      `Bump the release and simplify the CI\n${first.headSha}\n\n`,
    );
    const forkSpec = decode(
      await world.forge.readFile(mr?.sourceProjectId ?? 0, '.distro/beer.spec', 'dist-git-sync/c10s'),
    );
    expect(forkSpec).toMatch(/^Release:\s+2%\{\?dist\}$/m);

    // The same push again: nothing new.
    const again = await syncDistGitPush(first, eventDeps(world));
    expect(again.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['fork', 'ensured'],
      ['push', 'unchanged'],
      ['merge-request', 'unchanged'],
    ]);

    const second = await pushToDistGit(
      { 'beer.spec': bumped.replace('Summary:        Brews beer', 'Summary:        Brews good beer') },
      'Better summary',
    );
    const updated = await syncDistGitPush(second, eventDeps(world));
    expect(updated.result).toBe('updated');
    expect(syncMrs()).toHaveLength(1);
    expect(syncMrs()[0]?.iid).toBe(mr?.iid);
    expect(syncMrs()[0]?.description).toContain(second.headSha.slice(0, 12));
    expect((await forkLog('%s')).trim().split('\n')).toEqual([
      'Better summary',
      'Bump the release and simplify the CI',
    ]);
  });

  it('brings an edited patch file back as a fix-up of its source-git commit', async () => {
    await syncPoint(STRONGER);
    const patchName = '0001-Brew-it-stronger.patch';
    const patch = decode(
      await world.forge.readFile(world.demo.projects.distGit.id, patchName, world.demo.branch),
    );
    expect(patch).toContain('imperial stout');
    const event = await pushToDistGit(
      { [patchName]: patch.replace('imperial stout', 'barley wine') },
      'Pour barley wine',
    );
    const outcome = await syncDistGitPush(event, eventDeps(world));
    expect(outcome.result).toBe('created');
    expect(
      await forkLog('%s%n%(trailers:key=Patch-name,valueonly)%(trailers:key=From-dist-git-commit,valueonly)'),
    ).toContain(`${patchName}\n${event.headSha}`);
    const [mr] = syncMrs();
    const code = decode(await world.forge.readFile(mr?.sourceProjectId ?? 0, 'beer.c', 'dist-git-sync/c10s'));
    expect(code).toContain('a pint of barley wine');
    expect(code).not.toContain('imperial stout');
  });

  it('ignores repositories srcgit never synchronised', async () => {
    const event = await pushToDistGit({ 'README.md': 'beer rpms\n' }, 'Add a README');
    const outcome = await syncDistGitPush(event, eventDeps(world));
    expect(outcome.reason).toBe('no-sync-point');
    expect(syncMrs()).toHaveLength(0);
    expect(
      world.logs.some((line) => line.level === 'warn' && line.message.includes('no synchronisation point')),
    ).toBe(true);
  });

  it('explains a refused change in a comment on the source-git head when there is no sync MR', async () => {
    await syncPoint(STRONGER);
    const event = await pushToDistGit({ sources: 'SHA512 (beer-1.1.tar.gz) = 00\n' }, 'New sources');
    for (let run = 0; run < 2; run += 1) {
      const outcome = await syncDistGitPush(event, eventDeps(world));
      expect(outcome.reason).toBe('UNSUPPORTED_CHANGE');
    }
    const head = (await world.forge.getBranch(world.demo.projects.sourceGit.id, world.demo.branch))
      ?.commitSha;
    const response = await fetch(
      `${world.sim.apiUrl}/projects/${world.demo.projects.sourceGit.id}/repository/commits/${head}/comments`,
      { headers: { 'PRIVATE-TOKEN': world.demo.users.maintainer.token } },
    );
    const comments = (await response.json()) as { note: string; author: { username: string } }[];
    expect(comments.map((comment) => comment.author.username)).toEqual([world.demo.users.bot.username]);
    expect(comments[0]?.note).toContain(
      'cannot be brought into source-git automatically (`UNSUPPORTED_CHANGE`)',
    );
    expect(syncMrs()).toHaveLength(0);
  });

  it('explains a change it cannot bring back on the open sync MR, once per dist-git head', async () => {
    await syncPoint(STRONGER);
    const bumped = (await spec()).replace(/^Release:(\s+)1%\{\?dist\}$/m, 'Release:$12%{?dist}');
    await syncDistGitPush(await pushToDistGit({ 'beer.spec': bumped }, 'Bump the release'), eventDeps(world));
    const [mr] = syncMrs();
    const sources = await pushToDistGit({ sources: 'SHA512 (beer-1.1.tar.gz) = 00\n' }, 'New sources');
    const refused = await syncDistGitPush(sources, eventDeps(world));
    expect(refused.result).toBe('user-error');
    expect(refused.reason).toBe('UNSUPPORTED_CHANGE');
    await syncDistGitPush(sources, eventDeps(world));
    const notes = world.sim
      .notes(world.demo.projects.sourceGit, mr?.iid ?? 0)
      .filter((note) => !note.system && note.body.includes('cannot be brought into source-git'));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('lookaside sources file');
  });
});

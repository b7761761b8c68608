/**
 * Adversarial: a contributor commits the source-git spec as a symbolic link to a file outside the
 * repository. The "dist-git is newer" precondition reads the spec from git objects, so the link is
 * never followed (the target's older `Version` would have produced a DIST_GIT_NEWER note quoting
 * it); the conversion then refuses the linked spec with its own clear error.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syncSourceGitMergeRequest } from '@srcgit/core';
import { createTempDir, runGit } from '@srcgit/test-fixtures';
import type { TempDir } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

describe('a source-git spec committed as a link', () => {
  let world: WorkflowWorld;
  let dir: TempDir;
  beforeEach(async () => {
    world = await startWorkflowWorld();
    dir = createTempDir('spec-link');
  });
  afterEach(async () => {
    await dir.remove();
    await world.close();
  });

  it('is never followed: no version read through it, SPEC_INVALID from the conversion', async () => {
    const { sim, demo } = world;
    // Outside every repository: a spec whose Version would make dist-git look newer.
    const outside = join(dir.path, 'outside.spec');
    writeFileSync(outside, 'Name: beer\nVersion: 0.0.1-from-outside\nRelease: 1\n');

    const clone = join(dir.path, 'fork');
    await runGit(
      ['clone', '--quiet', sim.cloneUrl(demo.projects.contributorFork, demo.users.contributor), clone],
      {
        cwd: dir.path,
      },
    );
    const git = (args: string[]) => runGit(args, { cwd: clone });
    await git(['checkout', '--quiet', '-b', 'linked-spec', `origin/${demo.branch}`]);
    await git(['rm', '--quiet', '.distro/beer.spec']);
    symlinkSync(outside, join(clone, '.distro/beer.spec'));
    await git(['add', '.distro/beer.spec']);
    await git([
      '-c',
      'user.name=Con Tributor',
      '-c',
      'user.email=c@example.com',
      'commit',
      '--quiet',
      '-m',
      'Link the spec',
    ]);
    await git(['push', '--quiet', 'origin', 'linked-spec']);
    await sim.settled();

    const iid = await world.openMr({ branch: 'linked-spec', title: 'Linked spec' });
    const outcome = await syncSourceGitMergeRequest(await world.lastMrEvent(iid), world.deps);
    expect(outcome).toMatchObject({ result: 'user-error', reason: 'SPEC_INVALID' });
    expect(outcome.error?.message).toContain('.distro/beer.spec (specfile_path) is a symbolic link');

    const notes = sim.notes(demo.projects.sourceGit, iid).filter((note) => !note.system);
    expect(notes.map((note) => note.body).join('\n')).not.toContain('from-outside');
    const reasons = world.logs.map((line) => line.fields?.['reason']);
    const skipped = reasons.find(
      (reason) => typeof reason === 'string' && reason.includes('.distro/beer.spec'),
    );
    expect(skipped).toMatch(/is a symbolic link; links are not followed$/);
  });
});

import { createGitRepo, createTempDir } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatusFromTrailers } from '../src/status/sync-status-from-trailers';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { repositoryState } from './support/dist-git-state';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';
import { createShapesFixture, lines, SHAPES } from './support/patch-shapes';

const git = testGitRunner();

describe('initSourceGit on patches of every shape', () => {
  it('turns renames, copies, mode changes, deletions, new files, binary, gendiff, diff -Nrup and described patches into commits', async () => {
    const { sourceGit, distGit, expectedTree } = await createShapesFixture(createTempDir('shapes').path);

    const result = await initSourceGit({
      upstreamRef: '1.0',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });

    expect(result.warnings).toEqual([]);
    expect(result.patches.map((patch) => [patch.fileName, patch.commits.length])).toEqual(
      SHAPES.map((shape) => [shape.file, 1]),
    );
    const tree = await sourceGit.git(['ls-tree', '-r', 'HEAD']);
    expect(
      tree
        .split('\n')
        .filter((line) => !line.includes('\t.distro/'))
        .join('\n'),
    ).toBe(expectedTree);
    expect(await sourceGit.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await sourceGit.git(['show', '--format=', '--name-status', '-M', '-C', '-C', 'HEAD~12'])).toBe(
      'R100\tsysdeps/x86_64/features-offsets.sym\tsysdeps/x86/features-offsets.sym\n',
    );
    expect(
      (await syncStatusFromTrailers({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git })).state,
    ).toBe('in-sync');
  });

  it('is in sync by the full status right after init, and update-dist-git -f keeps every byte (copies and one-line context included)', async () => {
    const { sourceGit, distGit } = await createShapesFixture(createTempDir('shapes-status').path);
    await initSourceGit({
      upstreamRef: '1.0',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    const before = await repositoryState(distGit.dir);

    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });

    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(report.state).toBe('in-sync');
    const forced = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(forced.outcome).toBe('nothing-to-do');
    expect(forced.plan.patches.every((patch) => patch.status === 'unchanged')).toBe(true);
    expect(await repositoryState(distGit.dir)).toEqual(before);
  });

  it('still sees a change of a copy or one-line-context patch whose commits produce another tree', async () => {
    const { sourceGit, distGit } = await createShapesFixture(createTempDir('shapes-changed').path);
    await initSourceGit({
      upstreamRef: '1.0',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    // A fix-up of each (folded into its patch): the patches now make another tree.
    const base = await sourceGit.git(['show', 'HEAD:lib/base.c']);
    const copy = await sourceGit.git(['show', 'HEAD:lib/copy.c']);
    await sourceGit.commit('Tune the copy\n\nPatch-name: copy.patch\n', {
      files: { 'lib/copy.c': copy.replace('base line 8', 'copy line 8') },
    });
    await sourceGit.commit('Tune base\n\nPatch-name: one-line-context.patch\n', {
      files: { 'lib/base.c': base.replace('base line 1\n', 'base line one\n') },
    });

    const planned = await updateDistGit({
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      dryRun: true,
    });

    expect(planned.plan.files.map((file) => file.path).sort()).toEqual([
      'copy.patch',
      'one-line-context.patch',
    ]);
  });

  it('applies a rename at -p2 and a later patch to the renamed file at -p0', async () => {
    const root = createTempDir('shapes-strip').path;
    const sourceGit = await createGitRepo({ dir: `${root}/src/strip` });
    await sourceGit.commit('Strip 1.0', { files: { 'src/a.c': lines('a', 4) } });
    await sourceGit.git(['tag', '1.0']);
    const rename = [
      'diff --git x/a/src/a.c y/b/src/b.c',
      'similarity index 100%',
      'rename from a/src/a.c',
      'rename to b/src/b.c',
      '',
    ].join('\n');
    const edit = [
      'diff --git src/b.c src/b.c',
      '--- src/b.c',
      '+++ src/b.c',
      '@@ -4 +4 @@',
      '-a line 4',
      '+a line four',
      '',
    ].join('\n');
    const distGit = await createGitRepo({ dir: `${root}/rpms/strip` });
    await distGit.commit('Package strip', {
      files: {
        'strip.spec': `Name: strip\nVersion: 1.0\nRelease: 1\nSummary: s\nLicense: MIT\nPatch1: rename.patch\nPatch2: edit.patch\n\n%description\ns\n\n%prep\n%setup -q\n%patch -P1 -p2\n%patch -P2 -p0\n`,
        'rename.patch': rename,
        'edit.patch': edit,
      },
    });

    const result = await initSourceGit({
      upstreamRef: '1.0',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
    });

    expect(result.patches.map((patch) => [patch.fileName, patch.strip])).toEqual([
      ['rename.patch', 2],
      ['edit.patch', 0],
    ]);
    expect(await sourceGit.git(['ls-tree', '-r', '--name-only', 'HEAD', '--', 'src'])).toBe('src/b.c\n');
    expect(await sourceGit.git(['show', 'HEAD:src/b.c'])).toBe(
      lines('a', 4).replace('a line 4', 'a line four'),
    );
  });
});

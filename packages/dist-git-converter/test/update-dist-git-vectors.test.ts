/**
 * docs/converter-behaviour.md §7 test vectors V1–V9 and V13 for `updateDistGit`, fixed profile, on fixture F0
 * built with real git repositories (fixed identities and dates, so shas are reproducible). Every
 * run is `update-dist-git -f` (no sync-status pre-check) unless a vector says otherwise.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  beerConfig,
  createBeerFixture,
  createTempDir,
  vectorDate,
  type BeerFixture,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import { updateDistGit, type UpdateDistGitOptions } from '../src/update-dist-git';
import { fixedClock, fixedGitRunner, repositoryState } from './support/dist-git-state';

const execFileAsync = promisify(execFile);

function convert(fixture: BeerFixture, options: Partial<UpdateDistGitOptions> = {}) {
  return updateDistGit({
    sourceGitDir: fixture.sourceGit.dir,
    distGitDir: fixture.distGit.dir,
    git: fixedGitRunner(),
    now: fixedClock,
    ...options,
  });
}

const read = (fixture: BeerFixture, path: string) => readFile(join(fixture.distGit.dir, path), 'utf8');

/** The preamble lines between `Source0` and `BuildArch` (docs/converter-behaviour.md §7 shows only those). */
async function patchBlock(fixture: BeerFixture): Promise<string> {
  const spec = await read(fixture, 'beer.spec');
  return spec.slice(spec.indexOf('Source0:'), spec.indexOf('BuildArch:') + 'BuildArch:      noarch\n'.length);
}

/** The dist-git files at `HEAD`. */
async function committedFiles(fixture: BeerFixture): Promise<string[]> {
  return (await fixture.distGit.git(['ls-tree', '-r', '--name-only', 'HEAD'])).split('\n').filter(Boolean);
}

/** `rpmspec -P` must accept every generated spec. */
async function expectRpmspecParses(fixture: BeerFixture): Promise<void> {
  const { stdout } = await execFileAsync('rpmspec', ['-P', join(fixture.distGit.dir, 'beer.spec')]);
  expect(stdout).toContain('Name:           beer');
}

/** The files `git format-patch` writes for `range` in source-git (git's defaults), concatenated. */
async function formatPatch(fixture: BeerFixture, range: string): Promise<string> {
  const out = createTempDir('format-patch');
  const names = await fixture.sourceGit.git([
    'format-patch',
    '-o',
    out.path,
    range,
    '--',
    '.',
    ':(exclude).distro',
  ]);
  const files = names.split('\n').filter(Boolean);
  const contents = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  await out.remove();
  return contents.join('');
}

async function expectConverterError(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isConverterError(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toContain(message);
}

describe('updateDistGit: test vectors of docs/converter-behaviour.md (fixed profile)', () => {
  it('V1: one commit without metadata becomes 0001-<subject>.patch and a Patch1 tag', async () => {
    const f = await createBeerFixture();
    const sha = await f.sourceGit.commit('Switch to Amarillo hops', {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n' },
    });
    const result = await convert(f);

    expect(result.outcome).toBe('written');
    expect(await read(f, '0001-Switch-to-Amarillo-hops.patch')).toBe(
      [
        `From ${sha} Mon Sep 17 00:00:00 2001`,
        'From: A U Thor <author@example.com>',
        'Date: Mon, 1 Jan 2024 12:01:00 +0000',
        'Subject: [PATCH] Switch to Amarillo hops',
        '',
        '---',
        ' hops | 2 +-',
        ' 1 file changed, 1 insertion(+), 1 deletion(-)',
        '',
        'diff --git a/hops b/hops',
        'index 7ab3995..ff121f7 100644',
        '--- a/hops',
        '+++ b/hops',
        '@@ -1 +1 @@',
        '-Cascade',
        '+Amarillo',
        '-- ',
        (await f.sourceGit.git(['version'])).replace('git version ', '').trim(),
        '',
        '',
      ].join('\n'),
    );
    // srcgit's comment is the commit subject (`patch_comments: subject`), without packit's
    // legacy "Author:" line.
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# Switch to Amarillo hops',
        'Patch1:         0001-Switch-to-Amarillo-hops.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    // Without a message nothing is staged or committed.
    expect(await f.distGit.git(['status', '--porcelain'])).toBe(
      ' M beer.spec\n?? 0001-Switch-to-Amarillo-hops.patch\n',
    );
    expect(await f.distGit.revParse('HEAD')).toBe(f.distGitInitial);
    await expectRpmspecParses(f);
  });

  it('V2: trailers, a .distro-only commit in between, Patch-id continuation', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit(
      'Switch to Amarillo hops\n\nExplain why.\n\nPatch-name: amarillo.patch\nPatch-id: 10\nPatch-status: |\n    # Downstream only\n',
      { date: vectorDate(1), files: { hops: 'Amarillo\n' } },
    );
    const spec = await readFile(join(f.sourceGit.dir, '.distro/beer.spec'), 'utf8');
    await f.sourceGit.commit('Bump release', {
      date: vectorDate(2),
      files: { '.distro/beer.spec': spec.replace('Release:        1%{?dist}', 'Release:        2%{?dist}') },
    });
    await f.sourceGit.commit('Add malt', { date: vectorDate(3), files: { malt: 'Munich\n' } });

    const result = await convert(f, { message: 'Update from source-git' });

    expect(result.outcome).toBe('committed');
    const amarillo = await read(f, 'amarillo.patch');
    expect(amarillo).toContain('Subject: [PATCH 1/2] Switch to Amarillo hops\n');
    expect(amarillo).toContain(
      '\nExplain why.\n\nPatch-name: amarillo.patch\nPatch-id: 10\nPatch-status: |\n    # Downstream only\n---\n',
    );
    const malt = await read(f, '0002-Add-malt.patch');
    expect(malt).toContain('Subject: [PATCH 2/2] Add malt\n');
    expect(malt).toContain(
      'new file mode 100644\nindex 0000000..b84bc7b\n--- /dev/null\n+++ b/malt\n@@ -0,0 +1 @@\n+Munich\n',
    );
    // Both files are exactly git format-patch's output of the range.
    expect(amarillo + malt).toBe(await formatPatch(f, '0.1.0..HEAD'));
    expect(await read(f, 'beer.spec')).toContain('Release:        2%{?dist}\n');
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# Downstream only',
        'Patch10:        amarillo.patch',
        '# Add malt',
        'Patch11:        0002-Add-malt.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    const sourceHead = await f.sourceGit.revParse('HEAD');
    expect(await f.distGit.git(['log', '-1', '--format=%B'])).toBe(
      `Update from source-git\n\nFrom-source-git-commit: ${sourceHead}\n\n`,
    );
    expect(await committedFiles(f)).toEqual([
      '.gitignore',
      '0002-Add-malt.patch',
      'amarillo.patch',
      'beer.spec',
      'sources',
    ]);
    expect(await f.distGit.git(['status', '--porcelain', '--ignored'])).toBe('');
    expect(result.plan.commits.map((commit) => [commit.subject, commit.status, commit.tag])).toEqual([
      ['Initialize as a source-git repository', 'ignored', null],
      ['Switch to Amarillo hops', 'new', 'Patch10'],
      ['Bump release', 'ignored', null],
      ['Add malt', 'new', 'Patch11'],
    ]);
    await expectRpmspecParses(f);
  });

  it('V3: adjacent commits with the same Patch-name are squashed into one file', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('First part\n\nPatch-name: combined.patch\nPatch-id: 5\n', {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n' },
    });
    const second = await f.sourceGit.commit('Second part\n\nPatch-name: combined.patch\nPatch-id: 9\n', {
      date: vectorDate(2),
      files: { malt: 'Munich\n' },
    });
    const result = await convert(f);

    const combined = await read(f, 'combined.patch');
    expect(combined).toBe(await formatPatch(f, '0.1.0..HEAD'));
    expect(combined.match(/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/gm)).toHaveLength(2);
    expect(combined).toContain('Subject: [PATCH 1/2] First part');
    expect(combined).toContain('Subject: [PATCH 2/2] Second part');
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# First part',
        'Patch5:         combined.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    expect(result.plan.commits.find((commit) => commit.sha === second)?.status).toBe('squashed');
    await expectRpmspecParses(f);
  });

  it('V4a: a later commit with the Patch-name of a non-adjacent patch that commutes is folded into it', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('One\n\nPatch-name: same.patch\n', {
      date: vectorDate(1),
      files: { hops: 'A\n' },
    });
    await f.sourceGit.commit('Two', { date: vectorDate(2), files: { malt: 'M\n' } });
    await f.sourceGit.commit('Three\n\nPatch-name: same.patch\n', {
      date: vectorDate(3),
      files: { hops: 'B\n' },
    });

    await convert(f, { message: 'x' });

    const same = await f.distGit.git(['show', 'HEAD:same.patch']);
    expect(same.match(/^Subject: .*$/gm)).toEqual(['Subject: [PATCH 1/3] One', 'Subject: [PATCH 2/3] Three']);
    expect(same).toContain('+B\n');
    expect(await f.distGit.git(['show', 'HEAD:0002-Two.patch'])).toContain('+M\n');
  });

  it('V4b: the same Patch-name on non-adjacent commits that do not commute fails naming the patch in the way, and leaves dist-git as it was', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('One\n\nPatch-name: same.patch\n', {
      date: vectorDate(1),
      files: { hops: 'A\n' },
    });
    await f.sourceGit.commit('Two\n\nPatch-name: two.patch\n', {
      date: vectorDate(2),
      files: { hops: 'T\n' },
    });
    await f.sourceGit.commit('Three\n\nPatch-name: same.patch\n', {
      date: vectorDate(3),
      files: { hops: 'B\n' },
    });
    const before = await repositoryState(f.distGit.dir);

    await expectConverterError(
      convert(f, { message: 'x' }),
      'PATCH_NAME_CONFLICT',
      'is a fix-up of the earlier patch same.patch (same Patch-name), but it does not commute with the patches between them: two.patch (it changes hops too)',
    );
    expect(await repositoryState(f.distGit.dir)).toEqual(before);
  });

  it('V5: an Ignore-patch commit gets no tag and no file, but keeps its number', async () => {
    const f = await createBeerFixture();
    const ignored = await f.sourceGit.commit('Ignored change\n\nIgnore-patch: true\n', {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n' },
    });
    await f.sourceGit.commit('Kept change', { date: vectorDate(2), files: { malt: 'Munich\n' } });
    const result = await convert(f, { message: 'x' });

    expect(await committedFiles(f)).toEqual(['.gitignore', '0002-Kept-change.patch', 'beer.spec', 'sources']);
    expect(await read(f, '0002-Kept-change.patch')).toContain('Subject: [PATCH 2/2] Kept change');
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# Kept change',
        'Patch1:         0002-Kept-change.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    expect(result.plan.commits.find((commit) => commit.sha === ignored)).toMatchObject({
      status: 'ignored',
      reason: 'ignore-patch',
      patchFile: null,
    });
  });

  it('V6: a re-sync after rewording keeps the committed patch bytes', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('Switch to Amarillo hops\n\nPatch-name: amarillo.patch\n', {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n' },
    });
    const first = await convert(f, { message: 'Sync 1' });
    const sourceHead1 = await f.sourceGit.revParse('HEAD');
    expect(first.outcome).toBe('committed');
    expect(await f.distGit.git(['log', '-1', '--format=%B'])).toBe(
      `Sync 1\n\nFrom-source-git-commit: ${sourceHead1}\n\n`,
    );
    const patchAfterSync1 = await read(f, 'amarillo.patch');
    const specAfterSync1 = await read(f, 'beer.spec');

    // Reword the commit (new sha, new subject, a body), then add a .distro-only commit.
    await f.sourceGit.git(
      [
        'commit',
        '--amend',
        '--quiet',
        '-m',
        'Switch to Amarillo hops (reworded)\n\nNow with a body.\n\nPatch-name: amarillo.patch',
      ],
      { env: { GIT_AUTHOR_DATE: vectorDate(1), GIT_COMMITTER_DATE: vectorDate(2) } },
    );
    await f.sourceGit.commit('Add smoke test', {
      date: vectorDate(3),
      files: { '.distro/tests/smoke.sh': { content: '#!/bin/sh\ntrue\n', executable: true } },
    });
    const second = await convert(f, { message: 'Sync 2' });

    expect(second.outcome).toBe('committed');
    expect(await read(f, 'amarillo.patch')).toBe(patchAfterSync1);
    expect(patchAfterSync1).toContain('Subject: [PATCH] Switch to Amarillo hops\n');
    // The comment of an existing entry changes only with an explicit Patch-status (the spec is a
    // template, not re-rendered), so the spec keeps its bytes; only the new test is committed.
    expect(await read(f, 'beer.spec')).toBe(specAfterSync1);
    expect((await f.distGit.git(['diff-tree', '--no-commit-id', '-r', '--name-status', 'HEAD'])).trim()).toBe(
      'A\ttests/smoke.sh',
    );
    expect(await f.distGit.git(['ls-tree', 'HEAD', 'tests/smoke.sh'])).toMatch(/^100755 blob /);
    expect(second.plan.patches).toEqual([
      expect.objectContaining({ fileName: 'amarillo.patch', status: 'unchanged', specAction: 'kept' }),
    ]);
  });

  it('V7: a hand-written patch in .distro is copied and new tags continue after it', async () => {
    const f = await createBeerFixture();
    const spec = await readFile(join(f.sourceGit.dir, '.distro/beer.spec'), 'utf8');
    await f.sourceGit.commit('Add keep.patch', {
      date: vectorDate(1),
      files: {
        '.distro/beer.spec': spec.replace(
          'Source0:        beerware-%{version}.tar.gz\n',
          'Source0:        beerware-%{version}.tar.gz\n\n# Fedora-specific tweak\nPatch0007:      keep.patch\n',
        ),
        '.distro/keep.patch': 'dummy\n',
      },
    });
    await f.sourceGit.commit('Switch to Amarillo hops', {
      date: vectorDate(2),
      files: { hops: 'Amarillo\n' },
    });
    await f.sourceGit.commit('Add malt\n\nPatch-id: 20\n', {
      date: vectorDate(3),
      files: { malt: 'Munich\n' },
    });
    await convert(f, { message: 'x' });

    expect(await read(f, 'keep.patch')).toBe('dummy\n');
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '',
        '# Fedora-specific tweak',
        'Patch0007:      keep.patch',
        '# Switch to Amarillo hops',
        'Patch0008:      0001-Switch-to-Amarillo-hops.patch',
        '# Add malt',
        'Patch0020:      0002-Add-malt.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    await expectRpmspecParses(f);
  });

  it('V7b: a Patch-id below an existing tag fails and leaves dist-git as it was', async () => {
    const f = await createBeerFixture();
    const spec = await readFile(join(f.sourceGit.dir, '.distro/beer.spec'), 'utf8');
    await f.sourceGit.commit('Add keep.patch', {
      date: vectorDate(1),
      files: {
        '.distro/beer.spec': spec.replace(
          'Source0:        beerware-%{version}.tar.gz\n',
          'Source0:        beerware-%{version}.tar.gz\n\n# Fedora-specific tweak\nPatch0007:      keep.patch\n',
        ),
        '.distro/keep.patch': 'dummy\n',
      },
    });
    await f.sourceGit.commit('Too low\n\nPatch-id: 3\n', {
      date: vectorDate(2),
      files: { hops: 'Amarillo\n' },
    });
    const before = await repositoryState(f.distGit.dir);

    await expectConverterError(convert(f, { message: 'x' }), 'PATCH_ID_TOO_LOW', '3');
    expect(await repositoryState(f.distGit.dir)).toEqual(before);
  });

  it('V8: legacy YAML metadata (names, description, ignore, no_prefix, patch_id, present_in_specfile)', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit(
      'switching to amarillo hops\n\npatch_name: amarillo.patch\ndescription: Use Amarillo hops.\n',
      {
        date: vectorDate(1),
        files: { hops: 'Amarillo\n' },
      },
    );
    await f.sourceGit.commit("actually, let's do citra", { date: vectorDate(2), files: { hops: 'Citra\n' } });
    await f.sourceGit.commit('add malt\n\nignore: true\n', {
      date: vectorDate(3),
      files: { malt: 'Munich\n' },
    });
    await f.sourceGit.commit('readme\n\nno_prefix: true\npatch_id: 10\n', {
      date: vectorDate(4),
      files: { README: 'Best upstream project ever!\nReally.\n' },
    });
    await f.sourceGit.commit('pilsen\n\npatch_name: pils.patch\npresent_in_specfile: true\n', {
      date: vectorDate(5),
      files: { malt: 'Pilsen\n' },
    });
    await convert(f, { message: 'x' });

    // srcgit strips the prefixes of a no_prefix commit in place (fixed Q11), so the file keeps its
    // place in the series (0004-, [PATCH 4/5]) instead of packit's separate 0001-/[PATCH] run.
    expect(await committedFiles(f)).toEqual([
      '.gitignore',
      '0002-actually-let-s-do-citra.patch',
      '0004-readme.patch',
      'amarillo.patch',
      'beer.spec',
      'pils.patch',
      'sources',
    ]);
    expect(await read(f, 'amarillo.patch')).toContain('Subject: [PATCH 1/5] switching to amarillo hops');
    const readme = await read(f, '0004-readme.patch');
    expect(readme).toContain('Subject: [PATCH 4/5] readme\n');
    expect(readme).toContain('diff --git README README\n');
    expect(readme).toContain('\n--- README\n+++ README\n');
    expect(await read(f, 'pils.patch')).toContain('Subject: [PATCH 5/5] pilsen');
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# Use Amarillo hops.',
        'Patch1:         amarillo.patch',
        "# actually, let's do citra",
        'Patch2:         0002-actually-let-s-do-citra.patch',
        '# readme',
        'Patch10:        0004-readme.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    await expectRpmspecParses(f);
  });

  it('V9: nothing to do: exit quietly without a message, NOTHING_TO_COMMIT with one', async () => {
    const f = await createBeerFixture();
    const before = await repositoryState(f.distGit.dir);

    const quiet = await convert(f);
    expect(quiet.outcome).toBe('nothing-to-do');
    expect(quiet.plan.status).toBe('nothing-to-do');
    expect(quiet.plan.files).toEqual([]);
    await expectConverterError(
      convert(f, { message: 'x' }),
      'NOTHING_TO_COMMIT',
      `no changes are present in the dist-git repository ${f.distGit.dir}: nothing to commit`,
    );
    // An empty source-git commit changes nothing either.
    await f.sourceGit.commit('nothing', { date: vectorDate(1), allowEmpty: true });
    await expectConverterError(convert(f, { message: 'x' }), 'NOTHING_TO_COMMIT', 'nothing to commit');
    expect(await repositoryState(f.distGit.dir)).toEqual(before);
  });

  it('V9: the sync-status pre-check can end the run before anything is computed', async () => {
    const f = await createBeerFixture();
    const before = await repositoryState(f.distGit.dir);
    const result = await convert(f, {
      message: 'x',
      checkSyncStatus: ({ sourceGitDir, distGitDir, config }) =>
        Promise.resolve({
          action: 'up-to-date' as const,
          message: `'${sourceGitDir}' is up to date with '${distGitDir}' (${config.downstreamPackageName}).`,
        }),
    });
    expect(result.outcome).toBe('up-to-date');
    expect(result.summary).toBe(`'${f.sourceGit.dir}' is up to date with '${f.distGit.dir}' (beer).`);
    expect(result.plan.status).toBe('up-to-date');
    expect(await repositoryState(f.distGit.dir)).toEqual(before);
  });

  it('V13: sync_changelog: false merges the spec and keeps the dist-git %changelog', async () => {
    const f = await createBeerFixture({ syncChangelog: false });
    const spec = await readFile(join(f.sourceGit.dir, '.distro/beer.spec'), 'utf8');
    const changelog = spec.indexOf('%changelog\n') + '%changelog\n'.length;
    await f.sourceGit.commit('Release 3', {
      date: vectorDate(1),
      files: {
        '.distro/beer.spec':
          spec.slice(0, changelog).replace('Release:        1%{?dist}', 'Release:        3%{?dist}') +
          '* Mon Jan 01 2024 Source Git <sg@example.com> - 0.1.0-3\n- An entry only source-git has\n',
      },
    });
    await f.sourceGit.commit('amarillo', { date: vectorDate(2), files: { hops: 'Amarillo\n' } });
    await convert(f, { message: 'x' });

    const result = await read(f, 'beer.spec');
    expect(result).toContain('Release:        3%{?dist}\n');
    expect(await patchBlock(f)).toBe(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# amarillo',
        'Patch1:         0001-amarillo.patch',
        'BuildArch:      noarch',
        '',
      ].join('\n'),
    );
    expect(result.slice(result.indexOf('%changelog'))).toBe(
      [
        '%changelog',
        '* Thu Feb 01 2024 C O Mitter <committer@example.com> - 0.1.0-3',
        '- Update to release 3',
        '',
        '* Mon Feb 25 2019 Tomas Tomecek <ttomecek@redhat.com> - 0.1.0-1',
        '- Initial brewing',
        '',
      ].join('\n'),
    );
    await expectRpmspecParses(f);

    // Running again changes nothing: the entry is written once per version-release.
    await expectConverterError(convert(f, { message: 'again' }), 'NOTHING_TO_COMMIT', 'nothing to commit');
  });

  it('E26: without upstream_ref only files are synced, the spec is copied as is', async () => {
    const f = await createBeerFixture({ upstreamRef: null });
    await f.sourceGit.commit('Switch to Amarillo hops', {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n' },
    });
    await f.sourceGit.commit('Add notes', { date: vectorDate(2), files: { '.distro/NOTES': 'notes\n' } });
    const result = await convert(f, { message: 'x' });

    expect(result.plan.patches).toEqual([]);
    expect(result.plan.files.map((file) => [file.path, file.change, file.origin])).toEqual([
      ['NOTES', 'added', 'files_to_sync'],
    ]);
    expect(beerConfig({ upstreamRef: null })).not.toContain('upstream_ref');
  });
});

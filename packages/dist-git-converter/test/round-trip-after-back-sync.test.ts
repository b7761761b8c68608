import type { GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { generatePatchSeries } from '../src/patches/generate-patch-series';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { repositoryState } from './support/dist-git-state';
import { BEER_SPEC, createBeerPair, TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

const HOPS_PATCH = `diff --git a/hops b/hops
index 7ab3995..ff121f7 100644
--- a/hops
+++ b/hops
@@ -1 +1 @@
-Cascade
+Amarillo
`;

const CITRA_PATCH = HOPS_PATCH.replace('+Amarillo', '+Citra');

function specWithPatches(...tags: string[]): string {
  return BEER_SPEC.replace(
    'Source0:        beerware-%{version}.tar.gz\n',
    `Source0:        beerware-%{version}.tar.gz\n${tags.join('')}`,
  );
}

async function backSync(sg: GitRepo, dg: GitRepo) {
  return updateSourceGit({ sourceGitDir: sg.dir, distGitDir: dg.dir, git, clock: TEST_CLOCK });
}

/** After a back-sync: status says in sync (confirmed by conversion) and a conversion changes nothing. */
async function expectRoundTrip(sg: GitRepo, dg: GitRepo) {
  const before = await repositoryState(dg.dir);
  const status = await syncStatus({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
  expect(status.state).toBe('in-sync');
  expect(status.confirmation).toEqual({ checked: true, differingPaths: [] });
  const result = await updateDistGit({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
  expect(result.outcome).toBe('nothing-to-do');
  expect(result.plan.files).toEqual([]);
  expect(await repositoryState(dg.dir)).toEqual(before);
  return result;
}

describe('round trip after a patch-aware back-sync', () => {
  it('a changed patch: the patch commit and its fix-up are the committed one-message file', async () => {
    const { sg, dg } = await createBeerPair();
    await dg.commit('Add patch', {
      files: {
        'amarillo.patch': HOPS_PATCH,
        'beer.spec': specWithPatches('Patch1:         amarillo.patch\n'),
      },
    });
    await backSync(sg, dg);
    await expectRoundTrip(sg, dg);
    await dg.commit('Citra instead', {
      files: {
        'amarillo.patch': CITRA_PATCH,
        'beer.spec': specWithPatches('Patch1:         amarillo.patch\n').replace(
          'Release:        1',
          'Release:        2',
        ),
      },
    });
    const sync = await backSync(sg, dg);
    expect(sync.commits[0]?.sourceGitCommits.map((made) => made.kind)).toEqual(['distro', 'patch-updated']);
    const result = await expectRoundTrip(sg, dg);
    expect(result.plan.patches).toMatchObject([{ fileName: 'amarillo.patch', status: 'unchanged' }]);
    expect(result.plan.patches[0]?.commits).toHaveLength(2);
  });

  it('a removed patch: the patch commit and its revert cancel out', async () => {
    const { sg, dg } = await createBeerPair();
    await dg.commit('Add patch', {
      files: {
        'amarillo.patch': HOPS_PATCH,
        'beer.spec': specWithPatches('Patch1:         amarillo.patch\n'),
      },
    });
    await backSync(sg, dg);
    const applied = await sg.revParse('HEAD');
    await dg.commit('Drop Amarillo', { files: { 'amarillo.patch': null, 'beer.spec': BEER_SPEC } });
    await backSync(sg, dg);
    const revert = await sg.revParse('HEAD');
    const result = await expectRoundTrip(sg, dg);
    expect(result.plan.patches).toEqual([]);
    expect(result.plan.commits.filter((commit) => commit.reason === 'reverted')).toMatchObject([
      { sha: applied, status: 'ignored', patchFile: null },
      { sha: revert, status: 'ignored', patchFile: null },
    ]);
  });

  it('a removed patch made of a patch commit and a fix-up: both reverts cancel their commits', async () => {
    const { sg, dg } = await createBeerPair();
    await dg.commit('Add patch', {
      files: {
        'amarillo.patch': HOPS_PATCH,
        'beer.spec': specWithPatches('Patch1:         amarillo.patch\n'),
      },
    });
    await dg.commit('Citra instead', { files: { 'amarillo.patch': CITRA_PATCH } });
    await backSync(sg, dg);
    await expectRoundTrip(sg, dg);
    await dg.commit('Drop hops patch', { files: { 'amarillo.patch': null, 'beer.spec': BEER_SPEC } });
    await backSync(sg, dg);
    const result = await expectRoundTrip(sg, dg);
    expect(result.plan.commits.filter((commit) => commit.reason === 'reverted')).toHaveLength(4);
  });
});

/** A source-git with the given downstream commits over the beer pair's init commit. */
async function sourceGitWith(
  commits: readonly { message: string; files: Record<string, string | null> }[],
): Promise<{ sg: GitRepo; dg: GitRepo; shas: string[] }> {
  const { sg, dg } = await createBeerPair();
  const shas: string[] = [];
  for (const commit of commits) shas.push(await sg.commit(commit.message, { files: commit.files }));
  return { sg, dg, shas };
}

describe('identical check by net change', () => {
  it('keeps a one-message file that carries the net change of a squashed group', async () => {
    const { sg, dg } = await sourceGitWith([
      { message: 'Amarillo\n\nPatch-name: hops.patch\n', files: { hops: 'Amarillo\n' } },
      { message: 'Spec note', files: { '.distro/note.txt': 'note\n' } },
      { message: 'Citra\n\nPatch-name: hops.patch\n', files: { hops: 'Citra\n' } },
    ]);
    await dg.commit('Hops patch', {
      files: { 'hops.patch': CITRA_PATCH, 'beer.spec': specWithPatches('Patch1:         hops.patch\n') },
    });
    const result = await updateDistGit({ sourceGitDir: sg.dir, distGitDir: dg.dir, git, dryRun: true });
    expect(result.plan.patches).toMatchObject([{ fileName: 'hops.patch', status: 'unchanged' }]);
    expect(result.plan.files.map((file) => file.path)).not.toContain('hops.patch');
  });

  it('regenerates a one-message file that is not the net change of the group', async () => {
    const { sg, dg } = await sourceGitWith([
      { message: 'Amarillo\n\nPatch-name: hops.patch\n', files: { hops: 'Amarillo\n' } },
      { message: 'Saaz\n\nPatch-name: hops.patch\n', files: { hops: 'Saaz\n' } },
    ]);
    await dg.commit('Hops patch', {
      files: { 'hops.patch': CITRA_PATCH, 'beer.spec': specWithPatches('Patch1:         hops.patch\n') },
    });
    const result = await updateDistGit({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(result.plan.patches).toMatchObject([{ fileName: 'hops.patch', status: 'changed' }]);
    const written = await dg.git(['diff', '--', 'hops.patch']);
    expect(written).toContain('+Subject: [PATCH 1/2] Amarillo');
    expect(written).toContain('+Subject: [PATCH 2/2] Saaz');
  });

  it('does not use the net change when an Ignore-patch commit lies between the commits', async () => {
    const { sg } = await sourceGitWith([
      { message: 'Amarillo\n\nPatch-name: hops.patch\n', files: { hops: 'Amarillo\n' } },
      { message: 'Readme\n\nIgnore-patch: true\n', files: { README: 'Changed\n' } },
      { message: 'Citra\n\nPatch-name: hops.patch\n', files: { hops: 'Citra\n' } },
    ]);
    const series = await generatePatchSeries({
      sourceGitDir: sg.dir,
      upstreamRef: '0.1.0',
      excludePaths: ['.distro'],
      patchComments: 'subject',
      git,
    });
    expect(series.patches).toHaveLength(1);
    expect(series.patches[0]?.netChange).toBeUndefined();
  });
});

describe('revert pairs', () => {
  it('drops a commit and its exact revert, and numbers the later patches without them', async () => {
    const { sg, shas } = await sourceGitWith([
      { message: 'Amarillo', files: { hops: 'Amarillo\n' } },
      { message: 'Readme', files: { README: 'Better\n' } },
    ]);
    const reverted = shas[0] as string;
    await sg.git(['revert', '--no-edit', reverted]);
    const revert = await sg.revParse('HEAD');
    await sg.commit('Malt', { files: { malt: 'Munich\n' } });
    const series = await generatePatchSeries({
      sourceGitDir: sg.dir,
      upstreamRef: '0.1.0',
      excludePaths: ['.distro'],
      patchComments: 'subject',
      git,
    });
    expect(series.patches.map((patch) => patch.fileName)).toEqual(['0001-Readme.patch', '0002-Malt.patch']);
    expect(series.skipped.filter((commit) => commit.reason === 'reverted')).toEqual([
      { sha: reverted, subject: 'Amarillo', reason: 'reverted' },
      { sha: revert, subject: 'Revert "Amarillo"', reason: 'reverted' },
    ]);
  });

  it('keeps both commits when the revert is not exact', async () => {
    const { sg, shas } = await sourceGitWith([{ message: 'Amarillo', files: { hops: 'Amarillo\n' } }]);
    await sg.commit(`Revert "Amarillo"\n\nThis reverts commit ${shas[0] ?? ''}.\n`, {
      files: { hops: 'Cascade\n', README: 'Also this\n' },
    });
    const series = await generatePatchSeries({
      sourceGitDir: sg.dir,
      upstreamRef: '0.1.0',
      excludePaths: ['.distro'],
      patchComments: 'subject',
      git,
    });
    expect(series.patches.map((patch) => patch.fileName)).toEqual([
      '0001-Amarillo.patch',
      '0002-Revert-Amarillo.patch',
    ]);
    expect(series.skipped.filter((commit) => commit.reason === 'reverted')).toEqual([]);
  });

  it('keeps a revert of a commit that is not in the range', async () => {
    const { sg } = await sourceGitWith([]);
    const upstream = await sg.revParse('0.1.0');
    await sg.commit(`Revert "upstream release"\n\nThis reverts commit ${upstream}.\n`, {
      files: { hops: 'Saaz\n' },
    });
    const series = await generatePatchSeries({
      sourceGitDir: sg.dir,
      upstreamRef: '0.1.0',
      excludePaths: ['.distro'],
      patchComments: 'subject',
      git,
    });
    expect(series.patches).toHaveLength(1);
    expect(series.skipped).toEqual([expect.objectContaining({ reason: 'only-ignored-paths' })]);
  });
});

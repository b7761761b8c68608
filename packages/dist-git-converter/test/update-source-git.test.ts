import { describe, expect, it } from 'vitest';
import type { GitRepo } from '@srcgit/test-fixtures';
import { syncStatusFromTrailers } from '../src/status/sync-status-from-trailers';
import { updateSourceGit } from '../src/update-source-git';
import { BEER_SPEC, createBeerPair, TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

async function sync(sg: GitRepo, dg: GitRepo, extra: { range?: string; force?: boolean } = {}) {
  return updateSourceGit({ sourceGitDir: sg.dir, distGitDir: dg.dir, git, clock: TEST_CLOCK, ...extra });
}

async function status(sg: GitRepo, dg: GitRepo) {
  return (await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git })).state;
}

/** `git show` of a path at a revision, or undefined when it does not exist. */
async function show(repo: GitRepo, revision: string, path: string): Promise<string | undefined> {
  return repo.git(['show', `${revision}:${path}`]).catch(() => undefined);
}

/** Expects that a failed run left source-git exactly as it was. */
async function expectUntouched(sg: GitRepo, head: string): Promise<void> {
  expect(await sg.revParse('HEAD')).toBe(head);
  expect(await sg.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
}

const HOPS_PATCH = `diff --git a/hops b/hops
index 7ab3995..ff121f7 100644
--- a/hops
+++ b/hops
@@ -1 +1 @@
-Cascade
+Amarillo
`;

const MALT_PATCH = `From 5691f2b93484dd9cebae5a9ca61e9de44e814d15 Mon Sep 17 00:00:00 2001
From: Malt Ster <malt@example.com>
Date: Wed, 8 Sep 2021 09:45:13 +0200
Subject: [PATCH] Add malt

Munich malt makes it sweeter.

Signed-off-by: Malt Ster <malt@example.com>
---
 malt | 1 +
 1 file changed, 1 insertion(+)
 create mode 100644 malt

diff --git a/malt b/malt
new file mode 100644
index 0000000..b84bc7b
--- /dev/null
+++ b/malt
@@ -0,0 +1 @@
+Munich
-- 
2.39.5

`;

/** The F0 spec with Patch tags (and comment blocks) after `Source0`. */
function specWithPatches(...tags: string[]): string {
  return BEER_SPEC.replace(
    'Source0:        beerware-%{version}.tar.gz\n',
    `Source0:        beerware-%{version}.tar.gz\n${tags.join('')}`,
  );
}

describe('updateSourceGit', () => {
  it('brings dist-git commits into .distro/ with their author, date and the From-dist-git-commit trailer (docs/converter-behaviour.md V10)', async () => {
    const { sg, dg } = await createBeerPair();
    const bump = await dg.commit('Bump release\n\nRebuilt for mass rebuild.\n', {
      files: { 'beer.spec': BEER_SPEC.replace('Release:        1%{?dist}', 'Release:        2%{?dist}') },
      author: { name: 'Mass Rebuilder', email: 'releng@example.com' },
      date: '2024-01-05T10:00:00+01:00',
    });
    const addTest = await dg.commit('Add test', {
      files: { 'tests/run.sh': { content: '#!/bin/sh\ntrue\n', executable: true } },
    });
    expect(await status(sg, dg)).toBe('dist-git-ahead');

    const result = await sync(sg, dg);

    expect(result.outcome).toBe('updated');
    expect(
      result.commits.map((commit) => [
        commit.distGitCommit,
        commit.sourceGitCommits.map((made) => made.kind),
      ]),
    ).toEqual([
      [bump, ['distro']],
      [addTest, ['distro']],
    ]);
    const log = await sg.git(['log', '-2', '--format=%an <%ae> %aI%n%B%x00']);
    expect(log.split('\0\n')).toEqual([
      `A U Thor <author@example.com> 2024-01-01T12:02:00+00:00\nAdd test\n\nFrom-dist-git-commit: ${addTest}\n`,
      `Mass Rebuilder <releng@example.com> 2024-01-05T10:00:00+01:00\nBump release\n\nRebuilt for mass rebuild.\n\nFrom-dist-git-commit: ${bump}\n`,
      '',
    ]);
    expect(await sg.git(['diff', '--stat', 'HEAD~2', 'HEAD'])).toContain('.distro/beer.spec');
    expect(await show(sg, 'HEAD', '.distro/beer.spec')).toContain('Release:        2%{?dist}');
    expect(await sg.git(['ls-tree', 'HEAD', '.distro/tests/run.sh'])).toMatch(/^100755 blob /);
    expect(await status(sg, dg)).toBe('in-sync');
    expect(await sg.git(['status', '--porcelain'])).toBe('');
  });

  it('refuses a change of the sources file and changes nothing (V11a)', async () => {
    const { sg, dg } = await createBeerPair();
    const head = await sg.revParse('HEAD');
    await dg.commit('Harmless', { files: { 'README.md': 'hi\n' } });
    const newSources = await dg.commit('New upstream archive', {
      files: { sources: 'SHA512 (beerware-0.2.0.tar.gz) = 4567\n' },
    });
    const failure = sync(sg, dg);
    await expect(failure).rejects.toMatchObject({
      code: 'UNSUPPORTED_CHANGE',
      data: { commit: newSources, file: 'sources' },
    });
    await expect(failure).rejects.toThrow(
      `Cannot bring dist-git commit ${newSources} ("New upstream archive") into source-git: sources: the commit changes the lookaside sources file;`,
    );
    await expectUntouched(sg, head);
  });

  it('brings a .patch file the spec does not apply over as a plain .distro file (V11b, fixed)', async () => {
    const { sg, dg } = await createBeerPair();
    const add = await dg.commit('Keep a patch for later', { files: { 'foo.patch': HOPS_PATCH } });
    const result = await sync(sg, dg);
    expect(
      result.commits.map((commit) => [
        commit.distGitCommit,
        commit.sourceGitCommits.map((made) => made.kind),
      ]),
    ).toEqual([[add, ['distro']]]);
    expect(await show(sg, 'HEAD', '.distro/foo.patch')).toBe(HOPS_PATCH);
    expect(await show(sg, 'HEAD', 'hops')).toBe('Cascade\n');
  });

  it('refuses diverged histories with the status text and absolute paths (V12)', async () => {
    const { sg, dg } = await createBeerPair();
    const dgChange = await dg.commit('dg change', { files: { 'a.txt': 'a\n' } });
    const sgChange = await sg.commit('sg change', { files: { '.distro/b.txt': 'b\n' } });
    const failure = sync(sg, dg);
    await expect(failure).rejects.toMatchObject({ code: 'OUT_OF_SYNC', data: { state: 'diverged' } });
    await expect(failure).rejects.toThrow(
      [
        `'${sg.dir}' and '${dg.dir}' have diverged.`,
        `The first source-git commit to be synced is '${sgChange.slice(0, 8)}'.`,
        `The first dist-git commit to be synced is '${dgChange.slice(0, 8)}'.`,
        'Sync status needs to be reestablished manually, see',
        'https://packit.dev/source-git/work-with-source-git/fix-diverged-history',
      ].join('\n'),
    );
    await expectUntouched(sg, sgChange);
  });

  it('keeps dist-git-only files out and directories of renamed files in place (V11c–e, Q24–Q26)', async () => {
    const { sg, dg } = await createBeerPair({
      'tests/run.sh': 'echo run\n',
      'notes.txt': 'one\ntwo\nthree\nfour\nfive\n',
    });
    await dg.commit('Ignore and add', {
      files: { '.gitignore': '/beerware-*.tar.gz\n/build/\n', 'z.txt': 'z\n' },
    });
    await dg.commit('Rename test', { files: { 'tests/run.sh': null, 'tests/run2.sh': 'echo run\n' } });
    await dg.commit('Rename and edit notes', {
      files: { 'notes.txt': null, 'notes2.txt': 'one\ntwo\nthree\nfour\nFIVE\n' },
    });
    await dg.commit('Doc that quotes diff paths', { files: { 'doc.txt': 'see a/doc.txt and b/doc.txt\n' } });

    await sync(sg, dg);

    const files = await sg.git(['ls-tree', '-r', '--name-only', 'HEAD', '.distro']);
    expect(files.split('\n').filter(Boolean)).toEqual([
      '.distro/.gitignore',
      '.distro/beer.spec',
      '.distro/doc.txt',
      '.distro/notes2.txt',
      '.distro/source-git.yaml',
      '.distro/tests/run2.sh',
      '.distro/z.txt',
    ]);
    expect(await show(sg, 'HEAD', '.distro/.gitignore')).toBe('# Reset gitignore rules\n!*\n');
    expect(await show(sg, 'HEAD', '.distro/notes2.txt')).toBe('one\ntwo\nthree\nfour\nFIVE\n');
    expect(await show(sg, 'HEAD', '.distro/doc.txt')).toBe('see a/doc.txt and b/doc.txt\n');
    expect(await status(sg, dg)).toBe('in-sync');
  });

  it('copies binary files, symlinks and modes byte for byte (Q27)', async () => {
    const { sg, dg } = await createBeerPair();
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x00, 0x0a, 0x1a, 0x0a, 0xfe]);
    await dg.commit('Add logo', { files: { 'logo.png': image, 'latest.spec': { symlink: 'beer.spec' } } });
    await dg.commit('Change logo', { files: { 'logo.png': Buffer.concat([image, image]) } });
    await sync(sg, dg);
    const blob = await sg.git(['rev-parse', 'HEAD:.distro/logo.png']);
    expect(blob).toBe(await dg.git(['rev-parse', 'HEAD:logo.png']));
    expect(await sg.git(['diff', '--binary', 'HEAD~2', 'HEAD', '--', '.distro/logo.png'])).toContain(
      'GIT binary patch',
    );
    expect(await sg.git(['ls-tree', 'HEAD', '.distro/latest.spec'])).toMatch(/^120000 blob /);
  });

  it('merges a dist-git change into a .distro file that source-git changed meanwhile (--force)', async () => {
    const { sg, dg } = await createBeerPair({ 'notes.txt': 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n' });
    await sg.commit('Local note', {
      files: { '.distro/notes.txt': 'ONE\ntwo\nthree\nfour\nfive\nsix\nseven\n' },
    });
    const change = await dg.commit('Dist-git note', {
      files: { 'notes.txt': 'one\ntwo\nthree\nfour\nfive\nsix\nSEVEN\n' },
    });
    expect(await status(sg, dg)).toBe('diverged');
    await expect(sync(sg, dg)).rejects.toMatchObject({ code: 'OUT_OF_SYNC' });
    await sync(sg, dg, { force: true, range: `${change}~..` });
    expect(await show(sg, 'HEAD', '.distro/notes.txt')).toBe('ONE\ntwo\nthree\nfour\nfive\nsix\nSEVEN\n');
  });

  it('requires a range with --force', async () => {
    const { sg, dg } = await createBeerPair();
    await expect(sync(sg, dg, { force: true })).rejects.toMatchObject({ code: 'RANGE_INVALID' });
  });

  it('refuses a dirty source-git work tree', async () => {
    const { sg, dg } = await createBeerPair();
    await dg.commit('Add test', { files: { 'tests/run.sh': 'true\n' } });
    await sg.write({ 'scratch.txt': 'wip\n' });
    await expect(sync(sg, dg)).rejects.toMatchObject({
      code: 'SOURCE_GIT_DIRTY',
      data: { paths: ['scratch.txt'] },
    });
  });

  it('does nothing when both are in sync', async () => {
    const { sg, dg, sgInit } = await createBeerPair();
    const result = await sync(sg, dg);
    expect(result).toMatchObject({ outcome: 'up-to-date', head: sgInit, commits: [] });
  });

  it('records an empty sync when the last dist-git commit changes nothing source-git holds', async () => {
    const { sg, dg } = await createBeerPair();
    const onlyIgnore = await dg.commit('Ignore build', {
      files: { '.gitignore': '/beerware-*.tar.gz\n/build/\n' },
    });
    const result = await sync(sg, dg);
    expect(result.commits[0]?.sourceGitCommits.map((made) => made.kind)).toEqual(['marker']);
    expect(await sg.git(['log', '-1', '--format=%B'])).toBe(
      `Ignore build\n\nFrom-dist-git-commit: ${onlyIgnore}\n\n`,
    );
    expect(await sg.git(['diff', 'HEAD~', 'HEAD'])).toBe('');
    expect(await status(sg, dg)).toBe('in-sync');
  });

  describe('patch-aware back-sync', () => {
    it('applies an added patch as a code commit with Patch-name, Patch-id and Patch-status', async () => {
      const { sg, dg } = await createBeerPair();
      const add = await dg.commit('Use Amarillo hops\n\nDownstream request.\n', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'beer.spec': specWithPatches(
            '# Switch to Amarillo hops\n# Downstream only\nPatch1:         amarillo.patch\n',
          ),
        },
        author: { name: 'Packa Ger', email: 'packager@example.com' },
      });
      const result = await sync(sg, dg);
      expect(result.commits[0]?.sourceGitCommits.map((made) => [made.kind, made.subject])).toEqual([
        ['patch-added', 'Apply patch amarillo.patch'],
      ]);
      expect(await sg.git(['log', '-1', '--format=%an <%ae>%n%B'])).toBe(
        [
          'Packa Ger <packager@example.com>',
          'Apply patch amarillo.patch',
          '',
          'Patch-name: amarillo.patch',
          'Patch-id: 1',
          'Patch-status: |',
          '    # Switch to Amarillo hops',
          '    # Downstream only',
          `From-dist-git-commit: ${add}`,
          '',
          '',
        ].join('\n'),
      );
      expect(await show(sg, 'HEAD', 'hops')).toBe('Amarillo\n');
      expect(await show(sg, 'HEAD', '.distro/beer.spec')).toBe(BEER_SPEC);
      expect(await show(sg, 'HEAD', '.distro/amarillo.patch')).toBeUndefined();
      expect(await status(sg, dg)).toBe('in-sync');
    });

    it('keeps the author, date and message of a mail patch, and syncs the spec changes next to it', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add malt', {
        files: {
          'malt.patch': MALT_PATCH,
          'beer.spec': specWithPatches('Patch1:         malt.patch\n').replace(
            'Release:        1',
            'Release:        2',
          ),
        },
      });
      const result = await sync(sg, dg);
      expect(result.commits[0]?.sourceGitCommits.map((made) => made.kind)).toEqual(['distro', 'patch-added']);
      expect(await sg.git(['log', '-1', '--format=%an <%ae> %aI%n%B'])).toBe(
        [
          'Malt Ster <malt@example.com> 2021-09-08T09:45:13+02:00',
          'Add malt',
          '',
          'Munich malt makes it sweeter.',
          '',
          'Signed-off-by: Malt Ster <malt@example.com>',
          'Patch-name: malt.patch',
          'Patch-id: 1',
          `From-dist-git-commit: ${await dg.revParse('HEAD')}`,
          '',
          '',
        ].join('\n'),
      );
      expect(await show(sg, 'HEAD', 'malt')).toBe('Munich\n');
      expect(await show(sg, 'HEAD~', '.distro/beer.spec')).toBe(
        BEER_SPEC.replace('Release:        1', 'Release:        2'),
      );
    });

    it('turns an updated last patch into a fix-up commit with the same Patch-name', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add patch', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'beer.spec': specWithPatches('Patch1:         amarillo.patch\n'),
        },
      });
      await sync(sg, dg);
      const update = await dg.commit('Citra instead', {
        files: { 'amarillo.patch': HOPS_PATCH.replace('+Amarillo', '+Citra') },
      });
      const result = await sync(sg, dg);
      expect(result.commits[0]?.sourceGitCommits.map((made) => [made.kind, made.subject])).toEqual([
        ['patch-updated', 'Update patch amarillo.patch'],
      ]);
      expect(await sg.git(['log', '-1', '--format=%B'])).toBe(
        `Update patch amarillo.patch\n\nCitra instead\n\nPatch-name: amarillo.patch\nFrom-dist-git-commit: ${update}\n\n`,
      );
      expect(await show(sg, 'HEAD', 'hops')).toBe('Citra\n');
    });

    it('reverts a removed patch', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add patch', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'beer.spec': specWithPatches('Patch1:         amarillo.patch\n'),
        },
      });
      await sync(sg, dg);
      const patchCommit = await sg.revParse('HEAD');
      const remove = await dg.commit('Drop Amarillo', {
        files: { 'amarillo.patch': null, 'beer.spec': BEER_SPEC },
      });
      const result = await sync(sg, dg);
      expect(result.commits[0]?.sourceGitCommits.map((made) => made.kind)).toEqual(['patch-reverted']);
      expect(await sg.git(['log', '-1', '--format=%B'])).toBe(
        `Revert "Apply patch amarillo.patch"\n\nThis reverts commit ${patchCommit}.\n\nFrom-dist-git-commit: ${remove}\n\n`,
      );
      expect(await show(sg, 'HEAD', 'hops')).toBe('Cascade\n');
      expect(await show(sg, 'HEAD', '.distro/beer.spec')).toBe(BEER_SPEC);
    });

    it('reverts every source-git commit of a removed patch, newest first, as git revert words it', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add patch', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'beer.spec': specWithPatches('Patch1:         amarillo.patch\n'),
        },
      });
      await dg.commit('Citra instead', {
        files: { 'amarillo.patch': HOPS_PATCH.replace('+Amarillo', '+Citra') },
      });
      const first = await sync(sg, dg);
      const [added, updated] = first.commits.flatMap((commit) => commit.sourceGitCommits);
      await dg.commit('Drop hops patch', { files: { 'amarillo.patch': null, 'beer.spec': BEER_SPEC } });
      const result = await sync(sg, dg);
      expect(result.commits[0]?.sourceGitCommits.map((made) => made.subject)).toEqual([
        'Revert "Update patch amarillo.patch"',
        'Revert "Apply patch amarillo.patch"',
      ]);
      expect(await sg.git(['log', '-2', '--format=%b'])).toContain(
        `This reverts commit ${added?.sha ?? ''}.`,
      );
      expect(await sg.git(['log', '-2', '--format=%b'])).toContain(
        `This reverts commit ${updated?.sha ?? ''}.`,
      );
      expect(await show(sg, 'HEAD', 'hops')).toBe('Cascade\n');
      expect(await status(sg, dg)).toBe('in-sync');
    });

    it('keeps a conditional patch as a .distro file with its tag', async () => {
      const { sg, dg } = await createBeerPair();
      const spec = specWithPatches('%if 0%{?fedora}\nPatch1:         amarillo.patch\n%endif\n');
      await dg.commit('Fedora-only hops', { files: { 'amarillo.patch': HOPS_PATCH, 'beer.spec': spec } });
      await sync(sg, dg);
      expect(await show(sg, 'HEAD', 'hops')).toBe('Cascade\n');
      expect(await show(sg, 'HEAD', '.distro/amarillo.patch')).toBe(HOPS_PATCH);
      expect(await show(sg, 'HEAD', '.distro/beer.spec')).toBe(spec);
    });

    it('refuses a patch that does not apply, naming the commit and the file', async () => {
      const { sg, dg } = await createBeerPair();
      const head = await sg.revParse('HEAD');
      await dg.commit('Fine change', { files: { 'tests/run.sh': 'true\n' } });
      const bad = await dg.commit('Bad patch', {
        files: {
          'bad.patch': HOPS_PATCH.replace('-Cascade', '-Saaz'),
          'beer.spec': specWithPatches('Patch1:         bad.patch\n'),
        },
      });
      const failure = sync(sg, dg);
      await expect(failure).rejects.toMatchObject({
        code: 'PATCH_APPLY_FAILED',
        data: { commit: bad, file: 'bad.patch' },
      });
      await expect(failure).rejects.toThrow(
        /the new patch does not apply to source-git: error: patch failed: hops:1/,
      );
      await expectUntouched(sg, head);
    });

    it('updates a patch that is not the last one with a fix-up commit at the end of source-git', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add patches', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'malt.patch': MALT_PATCH,
          'beer.spec': specWithPatches('Patch1:         amarillo.patch\nPatch2:         malt.patch\n'),
        },
      });
      await sync(sg, dg);
      const update = await dg.commit('Citra', {
        files: { 'amarillo.patch': HOPS_PATCH.replace('+Amarillo', '+Citra') },
      });
      const result = await sync(sg, dg);
      expect(result.commits[0]?.sourceGitCommits.map((made) => [made.kind, made.patchName])).toEqual([
        ['patch-updated', 'amarillo.patch'],
      ]);
      expect(await show(sg, 'HEAD', 'hops')).toBe('Citra\n');
      expect(await show(sg, 'HEAD', 'malt')).toBe('Munich\n');
      const message = await sg.git(['log', '-1', '--format=%B']);
      expect(message).toContain('Patch-name: amarillo.patch\n');
      expect(message).toContain(`From-dist-git-commit: ${update}\n`);
      expect(await status(sg, dg)).toBe('in-sync');
    });

    it('refuses a new patch that %prep applies before patches source-git holds', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add malt', {
        files: { 'malt.patch': MALT_PATCH, 'beer.spec': specWithPatches('Patch5:         malt.patch\n') },
      });
      await sync(sg, dg);
      const early = await dg.commit('Early hops', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'beer.spec': specWithPatches('Patch1:         amarillo.patch\nPatch5:         malt.patch\n'),
        },
      });
      await expect(sync(sg, dg)).rejects.toMatchObject({
        code: 'UNSUPPORTED_CHANGE',
        data: { commit: early, file: 'amarillo.patch' },
      });
    });

    it('refuses renumbering a patch and changing its comment', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Add patch', {
        files: {
          'amarillo.patch': HOPS_PATCH,
          'beer.spec': specWithPatches('# Hops\nPatch1:         amarillo.patch\n'),
        },
      });
      await sync(sg, dg);
      const renumber = await dg.commit('Renumber', {
        files: { 'beer.spec': specWithPatches('# Hops\nPatch7:         amarillo.patch\n') },
      });
      await expect(sync(sg, dg)).rejects.toThrow(
        /amarillo.patch: the commit renumbers the patch from 1 to 7/,
      );
      await dg.git(['reset', '--hard', `${renumber}~`]);
      await dg.commit('Recomment', {
        files: { 'beer.spec': specWithPatches('# Better hops\nPatch1:         amarillo.patch\n') },
      });
      await expect(sync(sg, dg)).rejects.toThrow(
        /amarillo.patch: the commit changes the comment above the patch tag/,
      );
    });
  });
});

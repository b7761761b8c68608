import {
  createCurlLikeFixture,
  createGitRepo,
  createGlibcLikeRepositories,
  createHelloFixture,
  createTempDir,
  HELLO_MAIL_PATCH,
  HELLO_SPEC,
  runGit,
  type GitRepo,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

/** Every tracked and untracked file of a work tree with its bytes, plus HEAD and the index. */
async function snapshot(repo: GitRepo): Promise<string> {
  const files = await repo.git(['ls-files', '-s', '--others', '--exclude-standard']);
  const status = await repo.git(['status', '--porcelain', '--ignored', '--untracked-files=all']);
  const head = await repo.revParse('HEAD');
  const tree = await repo.git(['ls-tree', '-r', 'HEAD']);
  return [head, tree, files, status].join('\n---\n');
}

/** The confirmed status (trailers, then converting source-git must give exactly dist-git). */
async function confirmedState(sourceGit: GitRepo, distGit: GitRepo): Promise<string> {
  const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
  expect(report.confirmation.differingPaths).toEqual([]);
  return report.state;
}

/**
 * After init: a source-git commit goes to dist-git with update-dist-git, then a dist-git commit
 * comes back with update-source-git; status is confirmed in sync after each direction.
 */
async function syncBothWays(
  sourceGit: GitRepo,
  distGit: GitRepo,
  specName: string,
  codeFile: string,
): Promise<void> {
  const code = await sourceGit.git(['show', `HEAD:${codeFile}`]);
  await sourceGit.commit('Downstream fix\n\nPatch-name: downstream-fix.patch\n', {
    files: { [codeFile]: `${code}/* downstream fix */\n` },
  });
  expect((await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git })).state).toBe(
    'source-git-ahead',
  );
  const toDistGit = await updateDistGit({
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    message: 'Update from source-git',
    checkSyncStatus,
  });
  expect(toDistGit.outcome).toBe('committed');
  expect(await distGit.git(['show', 'HEAD:downstream-fix.patch'])).toContain('+/* downstream fix */');
  expect(await confirmedState(sourceGit, distGit)).toBe('in-sync');

  const spec = await distGit.git(['show', `HEAD:${specName}`]);
  await distGit.commit('Bump release\n\nRebuilt.\n', {
    files: {
      [specName]: spec.replace(
        /^(Release:[ \t]*)(\d+)/m,
        (_, tag: string, number: string) => `${tag}${Number(number) + 1}`,
      ),
      'tests/smoke.sh': { content: '#!/bin/sh\nexit 0\n', executable: true },
    },
  });
  expect((await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git })).state).toBe(
    'dist-git-ahead',
  );
  const toSourceGit = await updateSourceGit({
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    clock: TEST_CLOCK,
  });
  expect(toSourceGit.outcome).toBe('updated');
  expect(await confirmedState(sourceGit, distGit)).toBe('in-sync');
}

describe('init → update-dist-git round trip', () => {
  it('leaves the hello dist-git byte-identical, and status is confirmed in sync (docs/converter-behaviour.md V14)', async () => {
    const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello').path);
    const before = await snapshot(distGit);
    await initSourceGit({
      upstreamRef: '1.0.1',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });

    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(report.state).toBe('in-sync');

    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(result.outcome).toBe('nothing-to-do');
    expect(await snapshot(distGit)).toBe(before);
  });

  it('leaves a curl-like dist-git byte-identical (32 commented patches, %bcond, %ifarch in %prep)', async () => {
    const { sourceGit, distGit, upstreamRef, patchNames } = await createCurlLikeFixture(
      createTempDir('curl').path,
    );
    const before = await snapshot(distGit);
    const init = await initSourceGit({
      upstreamRef,
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    expect(init.patches.map((patch) => patch.fileName)).toEqual(patchNames);
    expect(init.keptPatches).toEqual([]);
    expect(init.warnings).toEqual([]);

    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(report.state).toBe('in-sync');

    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(await snapshot(distGit)).toBe(before);
  });

  it('round-trips conditional, unapplied and -p0 patches of a spec without %autosetup', async () => {
    const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-prep').path);
    const spec = HELLO_SPEC.replace(
      /# Say hello to Fedora\n[\s\S]*0017-Patch-This\.\.patch\n/,
      [
        '# Say hello to Fedora',
        'Patch1: turn-into-fedora.patch',
        '%ifarch s390x',
        '# Big endian',
        'Patch2: s390.patch',
        '%endif',
        'Patch3: unused.patch',
        '# Optimise',
        'Patch4: optimise.patch',
        '',
      ].join('\n'),
    ).replace(
      '%autosetup -p1',
      '%setup -q\n%patch1 -p1\n%ifarch s390x\n%patch2 -p1\n%endif\n%patch -P 4 -p0',
    );
    await distGit.commit('Explicit %patch lines', {
      files: {
        'hello.spec': spec,
        'from-git.patch': null,
        '0017-Patch-This..patch': null,
        's390.patch': HELLO_MAIL_PATCH,
        'unused.patch': 'not applied\n',
        'optimise.patch':
          '--- Makefile\n+++ Makefile\n@@ -1,2 +1,2 @@\n hello: hello.rs\n-\trustc hello.rs\n+\trustc -O hello.rs\n',
      },
    });
    const before = await snapshot(distGit);
    const init = await initSourceGit({
      upstreamRef: '1.0.1',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    expect(init.patches.map((patch) => [patch.fileName, patch.strip])).toEqual([
      ['turn-into-fedora.patch', 1],
      ['optimise.patch', 0],
    ]);
    expect(init.keptPatches).toEqual([
      { fileName: 's390.patch', number: 2, reason: 'conditional' },
      { fileName: 'unused.patch', number: 3, reason: 'not-applied' },
    ]);
    expect(init.distroFiles).toEqual([
      '.distro/.gitignore',
      '.distro/hello.spec',
      '.distro/s390.patch',
      '.distro/source-git.yaml',
      '.distro/unused.patch',
    ]);
    expect(await sourceGit.git(['log', '-1', '--format=%B'])).toContain(
      'Patch-name: optimise.patch\nPatch-id: 4\nPatch-status: |\n    # Optimise\nNo-prefix: true\n',
    );
    expect(await sourceGit.git(['show', 'HEAD:Makefile'])).toBe('hello: hello.rs\n\trustc -O hello.rs\n');
    const distroSpec = await sourceGit.git(['show', 'HEAD:.distro/hello.spec']);
    expect(distroSpec).toContain(
      'Source: hello-1.0.1.tar.gz\n\n%ifarch s390x\n# Big endian\nPatch2: s390.patch\n%endif\nPatch3: unused.patch\n\nProvides: hello\n',
    );

    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(await snapshot(distGit)).toBe(before);
  });

  it('leaves a glibc-like dist-git byte-identical, and stays in sync both ways', async () => {
    const root = createTempDir('glibc').path;
    const generated = await createGlibcLikeRepositories({
      dir: root,
      files: 300,
      upstreamCommits: 40,
      patches: 14,
      squashedPatches: 2,
    });
    // The dist-git a glibc packager has: every downstream patch synced.
    const distGit = await createGitRepo({ dir: `${root}/rpms/glibc` });
    await runGit(['pull', '--quiet', generated.distGitDir, 'HEAD'], { cwd: distGit.dir });
    await updateDistGit({
      sourceGitDir: generated.sourceGitDir,
      distGitDir: distGit.dir,
      git,
      message: 'Sync',
    });
    const patchFiles = (await distGit.git(['ls-files', '*.patch'])).split('\n').filter(Boolean);
    expect(patchFiles).toHaveLength(14);
    const before = await snapshot(distGit);
    // A fresh upstream clone at the release becomes source-git.
    const sourceGit = await createGitRepo({ dir: `${root}/src/glibc` });
    await runGit(['fetch', '--quiet', '--tags', generated.sourceGitDir], { cwd: sourceGit.dir });
    await sourceGit.git(['reset', '--hard', '--quiet', generated.upstreamRef]);

    const init = await initSourceGit({
      upstreamRef: generated.upstreamRef,
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    expect(init.patches.map((patch) => patch.fileName).sort()).toEqual([...patchFiles].sort());
    expect(init.patches.filter((patch) => patch.commits.length === 2)).toHaveLength(2);
    expect(await confirmedState(sourceGit, distGit)).toBe('in-sync');
    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(await snapshot(distGit)).toBe(before);

    const file = (await sourceGit.git(['ls-files'])).split('\n').find((path) => path.endsWith('.c')) ?? '';
    await syncBothWays(sourceGit, distGit, 'glibc.spec', file);
  });

  it('stays in sync both ways after init of the curl-like dist-git', async () => {
    const { sourceGit, distGit, upstreamRef } = await createCurlLikeFixture(createTempDir('curl-cycle').path);
    await initSourceGit({
      upstreamRef,
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    expect(await confirmedState(sourceGit, distGit)).toBe('in-sync');
    await syncBothWays(sourceGit, distGit, 'curl.spec', 'lib/module0.c');
  });

  it('round-trips patch names written with macros (Q32)', async () => {
    const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-macros').path);
    const spec = HELLO_SPEC.replace(
      /# Say hello to Fedora\n[\s\S]*0017-Patch-This\.\.patch\n/,
      '# Say hello to Fedora\nPatch0001: %{name}-fedora.patch\n\n# Patch from Git\nPatch0002: %{name}-%{version}-git.patch\n',
    );
    await distGit.commit('Macro names', {
      files: {
        'hello.spec': spec,
        'turn-into-fedora.patch': null,
        'from-git.patch': null,
        '0017-Patch-This..patch': null,
        'hello-fedora.patch': await distGit.git(['show', 'HEAD:turn-into-fedora.patch']),
        'hello-1.0.1-git.patch': HELLO_MAIL_PATCH,
      },
    });
    const before = await snapshot(distGit);
    const init = await initSourceGit({
      upstreamRef: '1.0.1',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    expect(init.patches.map((patch) => patch.fileName)).toEqual([
      'hello-fedora.patch',
      'hello-1.0.1-git.patch',
    ]);
    expect(await confirmedState(sourceGit, distGit)).toBe('in-sync');
    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(await snapshot(distGit)).toBe(before);
  });
});

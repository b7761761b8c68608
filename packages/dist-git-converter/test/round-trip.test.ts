import {
  createCurlLikeFixture,
  createHelloFixture,
  createTempDir,
  HELLO_MAIL_PATCH,
  HELLO_SPEC,
  type GitRepo,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
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

describe('init → update-dist-git round trip', () => {
  it('leaves the hello dist-git byte-identical, and status is confirmed in sync (V14 fixed)', async () => {
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
});

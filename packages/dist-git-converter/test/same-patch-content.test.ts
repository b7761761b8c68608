import { createGitRepo, createTempDir, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

const UTIL_C = 'int util(void)\n{\n\treturn 1;\n}\n';
const MAIN_C = '#include <stdio.h>\n\nint main(void)\n{\n\tputs("hello");\n\treturn 0;\n}\n';

/** A Fedora-style gendiff patch: `diff -up` with the `.util` backup as the old name, timestamps. */
const GENDIFF_PATCH = `diff -up hello-1.0/src/util.c.util hello-1.0/src/util.c
--- hello-1.0/src/util.c.util\t2024-01-01 10:00:00.000000000 +0100
+++ hello-1.0/src/util.c\t2024-01-02 11:30:00.123456789 +0100
@@ -1,4 +1,4 @@
 int util(void)
 {
-\treturn 1;
+\treturn 2;
 }
`;

/** `diff -Nrup` between two trees: one changed file and one created (epoch timestamp). */
const DIFF_NRUP_PATCH = `diff -Nrup hello-1.0.orig/src/main.c hello-1.0/src/main.c
--- hello-1.0.orig/src/main.c\t2024-01-01 10:00:00.000000000 +0100
+++ hello-1.0/src/main.c\t2024-01-03 09:00:00.000000000 +0100
@@ -2,6 +2,6 @@
 
 int main(void)
 {
-\tputs("hello");
+\tputs("hello, Fedora");
 \treturn 0;
 }
diff -Nrup hello-1.0.orig/src/extra.h hello-1.0/src/extra.h
--- hello-1.0.orig/src/extra.h\t1970-01-01 01:00:00.000000000 +0100
+++ hello-1.0/src/extra.h\t2024-01-03 09:00:00.000000000 +0100
@@ -0,0 +1 @@
+#define EXTRA 1
`;

/** A description, then a plain git diff (no mail header). */
const DESCRIBED_GIT_DIFF = `Add a README for Fedora.

Upstream refused it, so it stays downstream.

diff --git a/README.fedora b/README.fedora
new file mode 100644
index 0000000..3b18e51
--- /dev/null
+++ b/README.fedora
@@ -0,0 +1 @@
+hello world
`;

const PATCHES: Readonly<Record<string, string>> = {
  'hello-1.0-util.patch': GENDIFF_PATCH,
  'hello-1.0-main.patch': DIFF_NRUP_PATCH,
  'hello-1.0-readme.patch': DESCRIBED_GIT_DIFF,
};

const SPEC = `Name: hello
Version: 1.0
Release: 1%{?dist}
Summary: Hello
License: MIT
Source: hello-1.0.tar.gz

# gendiff
Patch1: hello-1.0-util.patch
# diff -Nrup
Patch2: hello-1.0-main.patch
# description, then a git diff
Patch3: hello-1.0-readme.patch

%description
Hello.

%prep
%autosetup -p1

%changelog
* Mon Jan 01 2024 Engin Eer <eer@example.com> - 1.0-1
- Initial package
`;

interface Pair {
  readonly sourceGit: GitRepo;
  readonly distGit: GitRepo;
}

/** Upstream at tag 1.0, and a dist-git with one patch of each hand-made style, then `srcgit init`. */
async function initFromHandMadePatches(): Promise<Pair> {
  const root = createTempDir('same-patch-content').path;
  const sourceGit = await createGitRepo({ dir: `${root}/src/hello` });
  await sourceGit.commit('hello 1.0', { files: { 'src/util.c': UTIL_C, 'src/main.c': MAIN_C } });
  await sourceGit.git(['tag', '1.0']);
  await sourceGit.git(['remote', 'add', 'origin', 'https://example.com/hello.git']);
  const distGit = await createGitRepo({ dir: `${root}/rpms/hello` });
  await distGit.commit('Initial packaging', {
    files: { 'hello.spec': SPEC, sources: 'SHA512 (hello-1.0.tar.gz) = 00\n', ...PATCHES },
  });
  await initSourceGit({
    upstreamRef: '1.0',
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    clock: TEST_CLOCK,
  });
  return { sourceGit, distGit };
}

async function committedFiles(repo: GitRepo): Promise<Record<string, string>> {
  const names = (await repo.git(['ls-tree', '--name-only', 'HEAD'])).split('\n').filter(Boolean);
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await repo.git(['show', `HEAD:${name}`])] as const)),
  );
}

describe('the same patch content (gendiff, diff -Nrup, a description before a git diff)', () => {
  it('right after init: status in sync, update-dist-git up to date, -f a byte fixed point, a sync changes only the new patch', async () => {
    const { sourceGit, distGit } = await initFromHandMadePatches();
    const before = await committedFiles(distGit);
    const distGitHead = await distGit.revParse('HEAD');

    const status = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(status.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(status.state).toBe('in-sync');

    const checked = await updateDistGit({
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      dryRun: true,
      checkSyncStatus,
      git,
    });
    expect(checked.outcome).toBe('up-to-date');

    // -f: no pre-check; every patch keeps its bytes because its content is the same.
    const forcedPlan = await updateDistGit({
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      dryRun: true,
      git,
    });
    expect(forcedPlan.plan.patches.map((patch) => [patch.fileName, patch.status])).toEqual([
      ['hello-1.0-util.patch', 'unchanged'],
      ['hello-1.0-main.patch', 'unchanged'],
      ['hello-1.0-readme.patch', 'unchanged'],
    ]);
    const forced = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(forced.outcome).toBe('nothing-to-do');
    expect(await committedFiles(distGit)).toEqual(before);
    expect(await distGit.git(['status', '--porcelain', '--ignored'])).toBe('');
    expect(await distGit.revParse('HEAD')).toBe(distGitHead);

    // A real sync after a new commit changes the new patch and the spec, nothing else.
    await sourceGit.commit('Say hello louder', {
      files: { 'src/main.c': MAIN_C.replace('return 0', 'return 0 ') },
    });
    const synced = await updateDistGit({
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      message: 'Sync',
      checkSyncStatus,
      git,
    });
    expect(synced.outcome).toBe('committed');
    expect(synced.plan.files.map((file) => [file.path, file.change])).toEqual([
      ['0004-Say-hello-louder.patch', 'added'],
      ['hello.spec', 'changed'],
    ]);
    const after = await committedFiles(distGit);
    for (const name of Object.keys(PATCHES)) expect(after[name]).toBe(before[name]);
  });

  it('-f rewrites a patch whose change differs, and only that one', async () => {
    const { sourceGit, distGit } = await initFromHandMadePatches();
    // Someone changes what the gendiff patch does in dist-git (keeping its style).
    await distGit.commit('Return 5', {
      files: { 'hello-1.0-util.patch': GENDIFF_PATCH.replace('+\treturn 2;', '+\treturn 5;') },
    });
    const status = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(status.state).toBe('dist-git-ahead');
    const forced = await updateDistGit({
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      dryRun: true,
      git,
    });
    expect(forced.plan.patches.map((patch) => [patch.fileName, patch.status])).toEqual([
      ['hello-1.0-util.patch', 'changed'],
      ['hello-1.0-main.patch', 'unchanged'],
      ['hello-1.0-readme.patch', 'unchanged'],
    ]);
    expect(forced.plan.files.map((file) => file.path)).toEqual(['hello-1.0-util.patch']);
  });
});

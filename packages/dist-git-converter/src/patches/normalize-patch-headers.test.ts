import { createGitRepo, runGitRaw } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { normalizePatchHeaders } from './normalize-patch-headers';

describe('normalizePatchHeaders', () => {
  it('rewrites only header lines, never hunk lines', () => {
    const text =
      'diff -up a/x.sql.orig b/x.sql\n' +
      '--- a/x.sql\t2020-01-01 10:00:00.000000000 +0000\n' +
      '+++ b/x.sql\t2020-01-01 10:00:01.000000000 +0000\n' +
      '@@ -1,2 +1,2 @@\n' +
      '--- a/comment\t2020 stays\n' +
      '+++ b/added\t2021 stays\n' +
      ' context\n' +
      '--- old\n+++ new\n@@ -1 +1 @@\n-a\n+b\n';
    expect(normalizePatchHeaders(text)).toBe(
      'diff --git a/x.sql b/x.sql\n' +
        '--- a/x.sql\n' +
        '+++ b/x.sql\n' +
        '@@ -1,2 +1,2 @@\n' +
        '--- a/comment\t2020 stays\n' +
        '+++ b/added\t2021 stays\n' +
        ' context\n' +
        'diff --git new new\n--- new\n+++ new\n@@ -1 +1 @@\n-a\n+b\n',
    );
  });

  it('gives a gendiff patch the one name git apply uses: the new name, without the .orig-style suffix', () => {
    const gendiff =
      'Fix the util\n\n' +
      'diff -up hello-1.0/src/util.c.util hello-1.0/src/util.c\n' +
      '--- hello-1.0/src/util.c.util\t2024-01-01 00:00:00.000000000 +0100\n' +
      '+++ hello-1.0/src/util.c\t2024-01-02 00:00:00.000000000 +0100\n' +
      '@@ -1 +1 @@\n-a\n+b\n';
    expect(normalizePatchHeaders(gendiff)).toBe(
      'diff --git a/src/util.c b/src/util.c\n--- a/src/util.c\n+++ b/src/util.c\n@@ -1 +1 @@\n-a\n+b\n',
    );
    // The shorter name wins when the other is it with something appended, as in `git apply`.
    expect(normalizePatchHeaders('--- x/f\n+++ y/f~\n@@ -1 +1 @@\n-a\n+b\n')).toBe(
      'diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n',
    );
  });

  it('reads diff -N epoch timestamps (any time zone) as creation and deletion; drops Index: and ==== lines', () => {
    const text =
      'Index: glibc/new.c\n' +
      '===================================================================\n' +
      'diff -Nrup glibc-2.39.orig/new.c glibc-2.39/new.c\n' +
      '--- glibc-2.39.orig/new.c\t1970-01-01 01:00:00.000000000 +0100\n' +
      '+++ glibc-2.39/new.c\t2024-03-01 10:00:00.000000000 +0100\n' +
      '@@ -0,0 +1 @@\n+x\n' +
      'Index: glibc/old.c\n' +
      '===================================================================\n' +
      '--- glibc-2.39.orig/old.c\t2024-03-01 10:00:00.000000000 -0500\n' +
      '+++ glibc-2.39/old.c\t1969-12-31 19:00:00.000000000 -0500\n' +
      '@@ -1 +0,0 @@\n-y\n';
    expect(normalizePatchHeaders(text)).toBe(
      'diff --git a/new.c b/new.c\nnew file\n--- /dev/null\n+++ b/new.c\n@@ -0,0 +1 @@\n+x\n' +
        'diff --git a/old.c b/old.c\ndeleted file\n--- a/old.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-y\n',
    );
  });

  it('leaves the diff of git format-patch output unchanged, except the new/deleted file modes', async () => {
    const repo = await createGitRepo();
    await repo.commit('upstream', { files: { 'a.txt': 'a\n', 'gone.txt': 'g\n' } });
    await repo.commit('change', { files: { 'a.txt': 'b\n' } });
    await repo.commit('add and remove', { files: { 'new.txt': 'n\n', 'gone.txt': null } });
    const format = async (commit: string): Promise<string> =>
      (
        await runGitRaw(['format-patch', '--stdout', `${commit}~1..${commit}`], { cwd: repo.dir })
      ).stdout.toString('latin1');
    const change = await format('HEAD~1');
    const diff = change.slice(change.indexOf('diff --git'), change.lastIndexOf('-- \n'));
    expect(normalizePatchHeaders(change)).toBe(diff);
    const addRemove = normalizePatchHeaders(await format('HEAD'));
    expect(addRemove).toContain('diff --git a/gone.txt b/gone.txt\ndeleted file\nindex ');
    expect(addRemove).toContain('diff --git a/new.txt b/new.txt\nnew file\nindex ');
    expect(addRemove).not.toContain('mode 100644');
  });

  it('keeps one-component paths of a -p0 patch apart from -p1 paths', () => {
    const p0 = normalizePatchHeaders('--- util.c\n+++ util.c\n@@ -1 +1 @@\n-a\n+b\n');
    const p1 = normalizePatchHeaders('--- a/util.c\n+++ b/util.c\n@@ -1 +1 @@\n-a\n+b\n');
    expect(p0).not.toBe(p1);
    expect(normalizePatchHeaders('--- src/util.c\n+++ src/util.c\n@@ -1 +1 @@\n-a\n+b\n')).toBe(p1);
  });

  it('keeps renames, mode changes and binary headers of git diffs', () => {
    const text =
      'diff --git a/old name.c b/new name.c\nsimilarity index 100%\nrename from old name.c\nrename to new name.c\n' +
      'diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n';
    expect(normalizePatchHeaders(text)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { listPatchPaths } from './list-patch-paths';

const paths = (patch: string, strip = 1): string[] => [...listPatchPaths(Buffer.from(patch), strip)].sort();

describe('listPatchPaths', () => {
  it('lists both names of a rename, with or without content change', () => {
    expect(
      paths(
        [
          'diff --git a/sysdeps/x86_64/features-offsets.sym b/sysdeps/x86/features-offsets.sym',
          'similarity index 100%',
          'rename from sysdeps/x86_64/features-offsets.sym',
          'rename to sysdeps/x86/features-offsets.sym',
          'diff --git a/old.c b/new.c',
          'similarity index 90%',
          'rename from old.c',
          'rename to new.c',
          'index 1111111..2222222 100644',
          '--- a/old.c',
          '+++ b/new.c',
          '@@ -1 +1 @@',
          '-a',
          '+b',
          '',
        ].join('\n'),
      ),
    ).toEqual(['new.c', 'old.c', 'sysdeps/x86/features-offsets.sym', 'sysdeps/x86_64/features-offsets.sym']);
  });

  it('lists copies, mode changes, binary patches, deletions and new files', () => {
    expect(
      paths(
        [
          'diff --git a/lib/base.c b/lib/copy.c',
          'similarity index 100%',
          'copy from lib/base.c',
          'copy to lib/copy.c',
          'diff --git a/scripts/build.sh b/scripts/build.sh',
          'old mode 100644',
          'new mode 100755',
          'diff --git a/logo.bin b/logo.bin',
          'index 1111111..2222222 100644',
          'GIT binary patch',
          'literal 3',
          'KcmZQzWMT%f',
          '',
          'literal 3',
          'KcmZQzWMT%f',
          '',
          'diff --git a/gone.txt b/gone.txt',
          'deleted file mode 100644',
          'index 1111111..0000000',
          '--- a/gone.txt',
          '+++ /dev/null',
          '@@ -1 +0,0 @@',
          '-bye',
          'diff --git a/empty b/empty',
          'new file mode 100644',
          'index 0000000..e69de29',
          '',
        ].join('\n'),
      ),
    ).toEqual(['empty', 'gone.txt', 'lib/base.c', 'lib/copy.c', 'logo.bin', 'scripts/build.sh']);
  });

  it('lists both names of gendiff and diff -Nrup headers, without their timestamps', () => {
    expect(
      paths(
        [
          'diff -up glibc-2.39/src/util.c.util glibc-2.39/src/util.c',
          '--- glibc-2.39/src/util.c.util\t2024-01-31 10:00:00.000000000 +0100',
          '+++ glibc-2.39/src/util.c\t2024-02-01 11:00:00.000000000 +0100',
          '@@ -1 +1 @@',
          '-a',
          '+b',
          'diff -Nrup a/src/new.h b/src/new.h',
          '--- a/src/new.h\t1970-01-01 01:00:00.000000000 +0100',
          '+++ b/src/new.h\t2024-02-01 11:00:00.000000000 +0100',
          '@@ -0,0 +1 @@',
          '+x',
          '--- a/space name.c 2024-02-01 11:00:00 +0100',
          '+++ b/space name.c 2024-02-01 11:00:00 +0100',
          '@@ -1 +1 @@',
          '-a',
          '+b',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'space name.c',
      'space name.c 2024-02-01 11:00:00 +0100',
      'src/new.h',
      'src/util.c',
      'src/util.c.util',
    ]);
  });

  it('reads C-quoted names, names with spaces, and strips -p levels as git apply does', () => {
    expect(
      paths(
        [
          'diff --git "a/docs/gr\\303\\266\\303\\237e notes.txt" "b/docs/neu\\tname.txt"',
          'similarity index 100%',
          'rename from "docs/gr\\303\\266\\303\\237e notes.txt"',
          'rename to "docs/neu\\tname.txt"',
          'diff --git a/my file.c b/my file.c',
          'old mode 100644',
          'new mode 100755',
          '',
        ].join('\n'),
      ),
    ).toEqual(['docs/größe notes.txt', 'docs/neu\tname.txt', 'my file.c']);
    expect(paths('diff --git top/a/x.c top/b/x.c\nold mode 100644\nnew mode 100755\n', 2)).toEqual(['x.c']);
    expect(paths('diff --git x.c x.c\nold mode 100644\nnew mode 100755\n', 0)).toEqual(['x.c']);
    expect(
      paths('diff --git a/a/x b/a/x\nsimilarity index 100%\nrename from a/x\nrename to a/y\n', 2),
    ).toEqual(['x', 'y']);
  });

  it('skips the description before a diff and never takes hunk lines for headers', () => {
    expect(
      paths(
        [
          'Fix the frobnicator.',
          '',
          'Upstream-Status: Pending',
          '',
          'diff --git a/README b/README',
          'index 1111111..2222222 100644',
          '--- a/README',
          '+++ b/README',
          '@@ -1,2 +1,2 @@',
          '--- a/not-a-header',
          '+++ b/not-a-header-either',
          '',
        ].join('\n'),
      ),
    ).toEqual(['README']);
  });

  it('ends on hostile diff --git lines (many spaces and slashes)', { timeout: 5000 }, () => {
    const line = `diff --git ${'a '.repeat(200_000)}${'/b'.repeat(200_000)}\n`;
    expect(paths(line)).toEqual([]);
    expect(paths(`diff --git ${'a/ '.repeat(200_000)}\n`)).toEqual([]);
    expect(paths(`--- ${' '.repeat(200_000)}x\n+++ b/y\n`)).toEqual(['y']);
  });
});

import { createGitRepo, runGit, type GitRepo } from '@srcgit/test-fixtures';

/**
 * Patches of every shape git and packagers write (renames, copies, mode changes, deletions,
 * binary, gendiff with `.orig`-style old names, `diff -Nrup` with timestamps, a description
 * before a git diff, one line of context), and a dist-git applying them to an upstream release.
 */
const LOGO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]);
const LOGO_V2 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x03, 0xff, 0x00, 0x00, 0x11, 0x12]);
export const lines = (prefix: string, count: number): string =>
  Array.from({ length: count }, (_, index) => `${prefix} line ${index + 1}\n`).join('');

/** The upstream release every patch applies to. */
export const UPSTREAM = {
  'sysdeps/x86_64/features-offsets.sym': lines('sym', 6),
  'sysdeps/x86_64/cpu-features.c': lines('cpu', 12),
  'lib/base.c': lines('base', 8),
  'scripts/build.sh': '#!/bin/sh\nmake\n',
  'obsolete.txt': 'nobody reads this\n',
  'logo.bin': LOGO,
  'docs/größe notes.txt': lines('notes', 5),
  'src/util.c': lines('util', 10),
  'src/main.c': lines('main', 10),
  README: 'Shapes\n======\n\nA project.\n',
};

/**
 * One patch per shape git and packagers write, made as commits of a scratch clone of upstream
 * (so the tree every patch leads to is known); `kind` says how the patch file is written.
 */
export interface Shape {
  readonly file: string;
  readonly kind: 'format-patch' | 'git-diff' | 'hand';
  readonly change: (clone: GitRepo) => Promise<string | void>;
}

export const SHAPES: readonly Shape[] = [
  {
    file: 'rename-only.patch',
    kind: 'format-patch',
    change: (clone) =>
      clone.write({
        'sysdeps/x86_64/features-offsets.sym': null,
        'sysdeps/x86/features-offsets.sym': lines('sym', 6),
      }),
  },
  {
    file: 'rename-and-edit.patch',
    kind: 'git-diff',
    change: (clone) =>
      clone.write({
        'sysdeps/x86_64/cpu-features.c': null,
        'sysdeps/x86/cpu-features.c': lines('cpu', 12).replace('cpu line 3\n', 'CPU line 3\n'),
      }),
  },
  {
    file: 'edit-renamed.patch',
    kind: 'format-patch',
    change: (clone) => clone.write({ 'sysdeps/x86/features-offsets.sym': `${lines('sym', 6)}sym line 7\n` }),
  },
  {
    file: 'copy.patch',
    kind: 'git-diff',
    change: (clone) => clone.write({ 'lib/copy.c': lines('base', 8) }),
  },
  {
    file: 'mode.patch',
    kind: 'format-patch',
    change: (clone) =>
      clone.write({ 'scripts/build.sh': { content: '#!/bin/sh\nmake\n', executable: true } }),
  },
  {
    file: 'delete.patch',
    kind: 'git-diff',
    change: (clone) => clone.write({ 'obsolete.txt': null }),
  },
  {
    file: 'create.patch',
    kind: 'format-patch',
    change: (clone) => clone.write({ 'include/new.h': '#define NEW 1\n' }),
  },
  {
    file: 'binary.patch',
    kind: 'format-patch',
    change: (clone) => clone.write({ 'logo.bin': LOGO_V2 }),
  },
  {
    file: 'rename-quoted.patch',
    kind: 'format-patch',
    change: (clone) =>
      clone.write({ 'docs/größe notes.txt': null, 'docs/neue notes.txt': lines('notes', 5) }),
  },
  {
    // gendiff: the old side is the `.orig`-style backup, both under the tarball's directory.
    file: 'shapes-1.0-util.patch',
    kind: 'hand',
    change: () =>
      Promise.resolve(
        [
          'diff -up shapes-1.0/src/util.c.util shapes-1.0/src/util.c',
          '--- shapes-1.0/src/util.c.util\t2024-01-31 10:00:00.000000000 +0100',
          '+++ shapes-1.0/src/util.c\t2024-02-01 11:00:00.000000000 +0100',
          '@@ -2,3 +2,3 @@',
          ' util line 2',
          '-util line 3',
          '+util line 3, multilib safe',
          ' util line 4',
          '',
        ].join('\n'),
      ),
  },
  {
    file: 'shapes-nrup.patch',
    kind: 'hand',
    change: () =>
      Promise.resolve(
        [
          'diff -Nrup a/src/main.c b/src/main.c',
          '--- a/src/main.c\t2024-01-02 10:00:00.000000000 +0100',
          '+++ b/src/main.c\t2024-01-03 11:00:00.000000000 +0100',
          '@@ -5,3 +5,4 @@',
          ' main line 5',
          ' main line 6',
          '+main line 6.5',
          ' main line 7',
          'diff -Nrup a/src/extra.h b/src/extra.h',
          '--- a/src/extra.h\t1970-01-01 01:00:00.000000000 +0100',
          '+++ b/src/extra.h\t2024-01-03 11:00:00.000000000 +0100',
          '@@ -0,0 +1,2 @@',
          '+#pragma once',
          '+int extra(void);',
          '',
        ].join('\n'),
      ),
  },
  {
    file: 'described.patch',
    kind: 'hand',
    change: () =>
      Promise.resolve(
        [
          'Say what the project is.',
          '',
          'Upstream-Status: Pending',
          'Author: Pat Cher <pat@example.com>',
          '',
          'diff --git a/README b/README',
          'index 0000000..1111111 100644',
          '--- a/README',
          '+++ b/README',
          '@@ -1,4 +1,4 @@',
          ' Shapes',
          ' ======',
          ' ',
          '-A project.',
          '+A project that draws shapes.',
          '',
        ].join('\n'),
      ),
  },
  {
    // Written by hand with one line of context (`diff -U1`): git's patch has three.
    file: 'one-line-context.patch',
    kind: 'hand',
    change: () =>
      Promise.resolve(
        [
          '--- a/lib/base.c',
          '+++ b/lib/base.c',
          '@@ -4,3 +4,3 @@',
          ' base line 4',
          '-base line 5',
          '+base line 5, checked',
          ' base line 6',
          '',
        ].join('\n'),
      ),
  },
];

/**
 * An upstream clone at tag `1.0`, and a dist-git whose `%autosetup -p1` applies one patch per
 * {@link SHAPES} entry; also returns the tree (as `ls-tree -r`) the patches lead to.
 */
export async function createShapesFixture(
  root: string,
  shapes: readonly Shape[] = SHAPES,
): Promise<{
  sourceGit: GitRepo;
  distGit: GitRepo;
  expectedTree: string;
}> {
  const sourceGit = await createGitRepo({ dir: `${root}/src/shapes` });
  await sourceGit.commit('Shapes 1.0', { files: UPSTREAM });
  await sourceGit.git(['tag', '1.0']);
  await sourceGit.git(['remote', 'add', 'origin', 'https://example.com/shapes.git']);

  const clone = await createGitRepo({ dir: `${root}/scratch` });
  await clone.git(['pull', '--quiet', sourceGit.dir, 'main']);
  const patches: Record<string, string | Uint8Array> = {};
  for (const shape of shapes) {
    const written = await shape.change(clone);
    if (shape.kind === 'hand') {
      await runGit(['apply', '-p1'], { cwd: clone.dir, input: written ?? '' });
    }
    await clone.commit(`Shape ${shape.file}`, { author: { name: 'Pat Cher', email: 'pat@example.com' } });
    const diffOptions = ['-M', '-C', '-C', '--binary', '--full-index'];
    if (shape.kind === 'hand') patches[shape.file] = written ?? '';
    else if (shape.kind === 'git-diff')
      patches[shape.file] = await clone.git(['diff', ...diffOptions, 'HEAD~1', 'HEAD']);
    else patches[shape.file] = await clone.git(['format-patch', '-1', '--stdout', ...diffOptions, 'HEAD']);
  }

  const tags = shapes.map((shape, index) => `Patch${index + 1}: ${shape.file}\n`).join('');
  const spec = `Name: shapes\nVersion: 1.0\nRelease: 1%{?dist}\nSummary: Shapes\nLicense: MIT\n\nSource: shapes-1.0.tar.gz\n${tags}\n%description\nShapes.\n\n%prep\n%autosetup -p1\n`;
  const distGit = await createGitRepo({ dir: `${root}/rpms/shapes` });
  await distGit.commit('Package shapes', {
    author: { name: 'Engin Eer', email: 'eer@example.com' },
    files: { 'shapes.spec': spec, sources: 'SHA512 (shapes-1.0.tar.gz) = 00\n', ...patches },
  });
  return { sourceGit, distGit, expectedTree: await clone.git(['ls-tree', '-r', 'HEAD']) };
}

/**
 * Property: whatever style the dist-git patches are written in (git diff, gendiff, `diff -Nrup`
 * with creations, a description before a git diff, svn `Index:` headers, a bare `---`/`+++`
 * pair), right after `srcgit init` the repositories are in sync and `update-dist-git -f` is a
 * byte fixed point: the one same-content rule treats every patch as equal to its commit.
 */
import { createGitRepo, createTempDir, type GitRepo } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

const STYLES = ['git', 'gendiff', 'nrup', 'nrup-create', 'described', 'svn', 'bare'] as const;
type Style = (typeof STYLES)[number];

interface GeneratedPatch {
  readonly style: Style;
  /** Lines of the file to replace (distinct, so every diff algorithm finds the same hunks). */
  readonly changed: readonly number[];
}

const LINES = 12;
const upstreamText = (file: number): string =>
  Array.from({ length: LINES }, (_, line) => `file ${file} line ${line}`).join('\n') + '\n';

/** The unified hunks replacing `changed` lines (3 lines of context; changes at most 6 unchanged lines apart share a hunk, as in GNU diff and git). */
function hunks(file: number, changed: readonly number[]): string {
  const lines = upstreamText(file).slice(0, -1).split('\n');
  const sorted = [...new Set(changed)].sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const line of sorted) {
    const last = groups.at(-1);
    if (last !== undefined && line - (last.at(-1) as number) <= 7) last.push(line);
    else groups.push([line]);
  }
  return groups
    .map((group) => {
      const start = Math.max(0, (group[0] as number) - 3);
      const end = Math.min(LINES - 1, (group.at(-1) as number) + 3);
      let body = '';
      let added = '';
      for (let line = start; line <= end; line++) {
        // A run of changed lines is all its removals, then all its additions (as diff writes it).
        if (group.includes(line)) {
          body += `-${lines[line]}\n`;
          added += `+${lines[line]} patched\n`;
          continue;
        }
        body += `${added} ${lines[line]}\n`;
        added = '';
      }
      body += added;
      const count = end - start + 1;
      return `@@ -${start + 1},${count} +${start + 1},${count} @@\n${body}`;
    })
    .join('');
}

function renderPatch(index: number, patch: GeneratedPatch): string {
  const path = `src/f${index}.c`;
  const stamp = '2024-01-02 11:30:00.123456789 +0100';
  const body = hunks(index, patch.changed);
  switch (patch.style) {
    case 'git':
      return `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n${body}`;
    case 'gendiff':
      return `diff -up pkg-1.0/${path}.fix pkg-1.0/${path}\n--- pkg-1.0/${path}.fix\t${stamp}\n+++ pkg-1.0/${path}\t${stamp}\n${body}`;
    case 'nrup':
      return `diff -Nrup pkg-1.0.orig/${path} pkg-1.0/${path}\n--- pkg-1.0.orig/${path}\t${stamp}\n+++ pkg-1.0/${path}\t${stamp}\n${body}`;
    case 'nrup-create':
      return (
        `diff -Nrup pkg-1.0.orig/src/new${index}.h pkg-1.0/src/new${index}.h\n` +
        `--- pkg-1.0.orig/src/new${index}.h\t1970-01-01 01:00:00.000000000 +0100\n` +
        `+++ pkg-1.0/src/new${index}.h\t${stamp}\n@@ -0,0 +1 @@\n+#define NEW${index} 1\n` +
        `diff -Nrup pkg-1.0.orig/${path} pkg-1.0/${path}\n--- pkg-1.0.orig/${path}\t${stamp}\n+++ pkg-1.0/${path}\t${stamp}\n${body}`
      );
    case 'described':
      return `Fix f${index}.\n\nIt was broken.\n\ndiff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n${body}`;
    case 'svn':
      return `Index: ${path}\n===================================================================\n--- pkg.orig/${path}\t(revision 12)\n+++ pkg/${path}\t(working copy)\n${body}`;
    case 'bare':
      return `--- a/${path}\n+++ b/${path}\n${body}`;
  }
}

const patchArbitrary = fc.record({
  style: fc.constantFrom(...STYLES),
  changed: fc.uniqueArray(fc.integer({ min: 0, max: LINES - 1 }), { minLength: 1, maxLength: 3 }),
});

async function initFrom(
  patches: readonly GeneratedPatch[],
): Promise<{ sourceGit: GitRepo; distGit: GitRepo }> {
  const root = createTempDir('patch-styles').path;
  const sourceGit = await createGitRepo({ dir: `${root}/src/pkg` });
  await sourceGit.commit('pkg 1.0', {
    files: Object.fromEntries(patches.map((_, index) => [`src/f${index}.c`, upstreamText(index)])),
  });
  await sourceGit.git(['tag', '1.0']);
  await sourceGit.git(['remote', 'add', 'origin', 'https://example.com/pkg.git']);
  const distGit = await createGitRepo({ dir: `${root}/rpms/pkg` });
  const names = patches.map((patch, index) => `pkg-${index}-${patch.style}.patch`);
  const spec =
    'Name: pkg\nVersion: 1.0\nRelease: 1%{?dist}\nSummary: pkg\nLicense: MIT\nSource: pkg-1.0.tar.gz\n\n' +
    names.map((name, index) => `Patch${index + 1}: ${name}\n`).join('') +
    '\n%description\npkg\n\n%prep\n%autosetup -p1\n';
  await distGit.commit('Initial packaging', {
    files: {
      'pkg.spec': spec,
      ...Object.fromEntries(
        patches.map((patch, index) => [names[index] as string, renderPatch(index, patch)]),
      ),
    },
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

describe('patches of every style after init', () => {
  it('are in sync, and update-dist-git -f keeps every byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(patchArbitrary, { minLength: 1, maxLength: 4 }), async (patches) => {
        const { sourceGit, distGit } = await initFrom(patches);
        const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
        expect(report.confirmation.differingPaths).toEqual([]);
        expect(report.state).toBe('in-sync');
        const before = await distGit.git(['ls-tree', '-r', 'HEAD']);
        const forced = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
        expect(forced.outcome).toBe('nothing-to-do');
        expect(await distGit.git(['ls-tree', '-r', 'HEAD'])).toBe(before);
        expect(await distGit.git(['status', '--porcelain', '--ignored'])).toBe('');
      }),
      { numRuns: 20 },
    );
  }, 180_000);
});

/**
 * Property (issue 12, "Done when"): over generated series of every patch style — format-patch
 * with a description, a description before a git diff, git diff, gendiff with `.orig`-style old
 * names, `diff -Nrup` with timestamps, renames, copies, mode changes, deletions —
 * `init` → `status` (in sync) → `update-dist-git -f` (byte fixed point) → edit any patch in
 * dist-git → `update-source-git` → `update-dist-git` reproduces dist-git byte for byte. In a
 * "shared" series the plain edits change one file, so the fix-up of an edited middle patch is
 * folded across later patches of the same file.
 */
import { createGitRepo, createTempDir, type GitRepo, type Tree } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { repositoryState } from './support/dist-git-state';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

const STYLES = [
  'format-patch',
  'described',
  'git-diff',
  'gendiff',
  'nrup',
  'rename',
  'copy',
  'mode',
  'delete',
] as const;
type Style = (typeof STYLES)[number];

interface GeneratedPatch {
  readonly style: Style;
  /** Lines (0-based) of the patch's file it changes. */
  readonly changed: readonly number[];
}

const LINES = 12;
const STAMP = '2024-01-02 11:30:00.123456789 +0100';
const fileOf = (index: number): string => `src/f${index}.c`;
const upstreamText = (index: number): string =>
  Array.from({ length: LINES }, (_, line) => `file ${index} line ${line}`).join('\n') + '\n';

/** The upstream files patch `index` starts from (every patch has its own, so any edit commutes). */
function upstreamFiles(index: number, style: Style): Record<string, string> {
  return {
    [fileOf(index)]: upstreamText(index),
    ...(style === 'delete' ? { [`src/d${index}.txt`]: `obsolete ${index}\n` } : {}),
  };
}

/** The series, and whether its plain edits share one file (at lines far enough apart to commute). */
interface GeneratedSeries {
  readonly patches: readonly GeneratedPatch[];
  readonly shared: boolean;
}

const SHARED = 'src/shared.c';
/** Patch `i` of a shared series changes lines `i * STRIDE + 2 …+ 4`: 7 and more lines from its neighbours' (more than their context). */
const STRIDE = 12;
const SHARED_TEXT =
  Array.from({ length: STRIDE * 4 + 2 }, (_, line) => `shared line ${line}`).join('\n') + '\n';
const PLAIN_EDITS: ReadonlySet<Style> = new Set(['format-patch', 'described', 'git-diff', 'gendiff', 'nrup']);
const inShared = (series: GeneratedSeries, index: number): boolean =>
  series.shared && PLAIN_EDITS.has((series.patches[index] as GeneratedPatch).style);

/** The shared file after patches `0..upTo` (each at v1, or as `last` says for patch `upTo`). */
function sharedAfter(
  series: GeneratedSeries,
  upTo: number,
  last?: { readonly changed: readonly number[]; readonly version: string },
): string {
  const lines = SHARED_TEXT.slice(0, -1).split('\n');
  for (let index = 0; index <= upTo; index++) {
    if (!inShared(series, index)) continue;
    const { changed, version } =
      index === upTo && last !== undefined
        ? last
        : { changed: (series.patches[index] as GeneratedPatch).changed, version: 'v1' };
    for (const line of changed) {
      const at = index * STRIDE + 2 + (line % 3);
      lines[at] = `shared line ${at} patched ${version}`;
    }
  }
  return lines.join('\n') + '\n';
}

/** The files after the patch (null: deleted; `{ executable }`: mode change). */
function patchedFiles(index: number, patch: GeneratedPatch, version: string): Tree {
  const lines = upstreamText(index).slice(0, -1).split('\n');
  const changed = new Set(patch.changed);
  const text =
    lines.map((line, at) => (changed.has(at) ? `${line} patched ${version}` : line)).join('\n') + '\n';
  const path = fileOf(index);
  switch (patch.style) {
    case 'rename':
      return { [path]: null, [`src/g${index}.c`]: text };
    case 'copy':
      return { [`src/c${index}.c`]: text };
    case 'mode':
      return { [path]: { content: text, executable: true } };
    case 'delete':
      return { [`src/d${index}.txt`]: null, [path]: text };
    default:
      return { [path]: text };
  }
}

/**
 * Patch `index` of the series (with `changed` lines, at `version`), written in its style from a
 * scratch repository holding the files it changes as the patches before it left them.
 */
async function renderPatch(
  root: string,
  series: GeneratedSeries,
  index: number,
  changed: readonly number[],
  version: string,
): Promise<string> {
  const patch = { ...(series.patches[index] as GeneratedPatch), changed };
  const shared = inShared(series, index);
  const scratch = await createGitRepo({ dir: `${root}/scratch-${index}-${version}` });
  await scratch.commit('before', {
    files: shared ? { [SHARED]: sharedAfter(series, index - 1) } : upstreamFiles(index, patch.style),
  });
  await scratch.commit(`Fix f${index} (${version})\n\nThe code was wrong in ${patch.style} ways.\n`, {
    files: shared
      ? { [SHARED]: sharedAfter(series, index, { changed, version }) }
      : patchedFiles(index, patch, version),
    author: { name: 'Pat Cher', email: 'pat@example.com' },
  });
  const diff = (...flags: string[]) => scratch.git(['diff', ...flags, 'HEAD~1', 'HEAD']);
  const hunks = async () => (await diff()).replace(/^[\s\S]*?\n(?=@@ )/, '');
  const path = shared ? SHARED : fileOf(index);
  switch (patch.style) {
    case 'format-patch':
      return scratch.git(['format-patch', '-1', '--stdout', 'HEAD']);
    case 'described':
      return `Fix f${index}.\n\nUpstream-Status: Pending\n\n${await diff()}`;
    case 'gendiff':
      return `diff -up pkg-1.0/${path}.orig pkg-1.0/${path}\n--- pkg-1.0/${path}.orig\t${STAMP}\n+++ pkg-1.0/${path}\t${STAMP}\n${await hunks()}`;
    case 'nrup':
      return `diff -Nrup pkg-1.0.orig/${path} pkg-1.0/${path}\n--- pkg-1.0.orig/${path}\t${STAMP}\n+++ pkg-1.0/${path}\t${STAMP}\n${await hunks()}`;
    case 'rename':
      return diff('-M');
    case 'copy':
      return diff('-C', '-C');
    default:
      return diff();
  }
}

const patchArbitrary = fc.record({
  style: fc.constantFrom(...STYLES),
  changed: fc.uniqueArray(fc.integer({ min: 0, max: LINES - 1 }), { minLength: 1, maxLength: 3 }),
});

const seriesArbitrary = fc
  .record({ patches: fc.array(patchArbitrary, { minLength: 1, maxLength: 4 }), shared: fc.boolean() })
  .chain(({ patches, shared }) =>
    fc.record({
      series: fc.constant<GeneratedSeries>({ patches, shared }),
      edited: fc.integer({ min: 0, max: patches.length - 1 }),
      changed: fc.uniqueArray(fc.integer({ min: 0, max: LINES - 1 }), { minLength: 1, maxLength: 3 }),
    }),
  );

const nameOf = (index: number, patch: GeneratedPatch): string => `pkg-${index}-${patch.style}.patch`;

async function initFrom(
  root: string,
  series: GeneratedSeries,
): Promise<{ sourceGit: GitRepo; distGit: GitRepo }> {
  const { patches } = series;
  const sourceGit = await createGitRepo({ dir: `${root}/src/pkg` });
  await sourceGit.commit('pkg 1.0', {
    files: Object.assign(
      { [SHARED]: SHARED_TEXT },
      ...patches.map((patch, index) => upstreamFiles(index, patch.style)),
    ) as Record<string, string>,
  });
  await sourceGit.git(['tag', '1.0']);
  await sourceGit.git(['remote', 'add', 'origin', 'https://example.com/pkg.git']);
  const spec =
    'Name: pkg\nVersion: 1.0\nRelease: 1%{?dist}\nSummary: pkg\nLicense: MIT\nSource: pkg-1.0.tar.gz\n\n' +
    patches.map((patch, index) => `Patch${index + 1}: ${nameOf(index, patch)}\n`).join('') +
    '\n%description\npkg\n\n%prep\n%autosetup -p1\n';
  const files: Record<string, string> = { 'pkg.spec': spec, sources: 'SHA512 (pkg-1.0.tar.gz) = 00\n' };
  for (const [index, patch] of patches.entries()) {
    files[nameOf(index, patch)] = await renderPatch(root, series, index, patch.changed, 'v1');
  }
  const distGit = await createGitRepo({ dir: `${root}/rpms/pkg` });
  await distGit.commit('Initial packaging', { files });
  await initSourceGit({
    upstreamRef: '1.0',
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    clock: TEST_CLOCK,
  });
  return { sourceGit, distGit };
}

/** Status confirmed by conversion says in sync, and a conversion without the pre-check (`-f`) changes no byte. */
async function expectFixedPoint(sourceGit: GitRepo, distGit: GitRepo): Promise<void> {
  const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
  expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
  expect(report.state).toBe('in-sync');
  const before = await repositoryState(distGit.dir);
  const forced = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
  expect(forced.outcome).toBe('nothing-to-do');
  expect(await repositoryState(distGit.dir)).toEqual(before);
}

describe('a series of every patch style', () => {
  it('is a fixed point after init, and after any patch is edited in dist-git and brought back', async () => {
    await fc.assert(
      fc.asyncProperty(seriesArbitrary, async ({ series, edited, changed }) => {
        const root = createTempDir('patch-edit-round-trip').path;
        const { sourceGit, distGit } = await initFrom(root, series);
        await expectFixedPoint(sourceGit, distGit);

        const target = series.patches[edited] as GeneratedPatch;
        await distGit.commit(`Refresh ${nameOf(edited, target)}`, {
          files: { [nameOf(edited, target)]: await renderPatch(root, series, edited, changed, 'v2') },
          author: { name: 'Pack Ager', email: 'packager@example.com' },
        });
        const back = await updateSourceGit({
          sourceGitDir: sourceGit.dir,
          distGitDir: distGit.dir,
          git,
          clock: TEST_CLOCK,
        });
        expect(back.outcome).toBe('updated');
        expect(back.commits[0]?.sourceGitCommits.map((made) => [made.kind, made.patchName])).toEqual([
          ['patch-updated', nameOf(edited, target)],
        ]);
        await expectFixedPoint(sourceGit, distGit);
      }),
      { numRuns: 15 },
    );
  }, 900_000);
});

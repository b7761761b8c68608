/**
 * A patch other than the last one edited in dist-git (issue 12 item 3, docs/converter-behaviour.md
 * §2.7.5 and §3.2): `update-source-git` brings the edit as a fix-up commit at the end of
 * source-git with the patch's `Patch-name`, and `update-dist-git` folds it back into its patch,
 * reproducing dist-git byte for byte; an edit that does not commute with the patches after it is
 * refused naming them.
 */
import { createGitRepo, createTempDir, runGit, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { generatePatchSeries } from '../src/patches/generate-patch-series';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { repositoryState } from './support/dist-git-state';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

const lines = (prefix: string, count: number): string =>
  Array.from({ length: count }, (_, index) => `${prefix} line ${index + 1}\n`).join('');

const UPSTREAM = { 'src/a.c': lines('a', 30), 'src/b.c': lines('b', 10) };

/** `git diff` (or `git format-patch` with a description) from one state of the files to the next. */
async function diffBetween(
  root: string,
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  style: 'git-diff' | 'format-patch',
): Promise<string> {
  const scratch = await createGitRepo({ dir: `${root}/scratch-${Math.random().toString(36).slice(2)}` });
  await scratch.commit('before', { files: before });
  await scratch.commit('Fix the code\n\nA downstream fix.\n', {
    files: after,
    author: { name: 'Pat Cher', email: 'pat@example.com' },
  });
  return style === 'git-diff'
    ? scratch.git(['diff', 'HEAD~1', 'HEAD'])
    : scratch.git(['format-patch', '-1', '--stdout', 'HEAD']);
}

/** The files after applying edits (line replacements) to the upstream files. */
function edited(
  base: Readonly<Record<string, string>>,
  edits: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, string> {
  const files = { ...base };
  for (const [path, replacements] of Object.entries(edits)) {
    let text = files[path] ?? '';
    for (const [from, to] of Object.entries(replacements)) text = text.replace(`${from}\n`, `${to}\n`);
    files[path] = text;
  }
  return files;
}

interface Pair {
  readonly root: string;
  readonly sourceGit: GitRepo;
  readonly distGit: GitRepo;
}

/**
 * Three patches made into source-git by `init`: first.patch (src/a.c line 3), second.patch (the
 * line `first` changes, or a line far from it), third.patch (src/b.c).
 */
async function createPair(secondTouches: 'far' | 'same-line'): Promise<Pair> {
  const root = createTempDir('middle-patch').path;
  const sourceGit = await createGitRepo({ dir: `${root}/src/pkg` });
  await sourceGit.commit('pkg 1.0', { files: UPSTREAM });
  await sourceGit.git(['tag', '1.0']);
  await sourceGit.git(['remote', 'add', 'origin', 'https://example.com/pkg.git']);
  const afterFirst = edited(UPSTREAM, { 'src/a.c': { 'a line 3': 'a line 3 fixed' } });
  const afterSecond = edited(
    afterFirst,
    secondTouches === 'far'
      ? { 'src/a.c': { 'a line 20': 'a line 20 tuned' } }
      : { 'src/a.c': { 'a line 3 fixed': 'a line 3 fixed and tuned' } },
  );
  const afterThird = edited(afterSecond, { 'src/b.c': { 'b line 5': 'b line 5 hardened' } });
  const spec =
    'Name: pkg\nVersion: 1.0\nRelease: 1%{?dist}\nSummary: pkg\nLicense: MIT\nSource: pkg-1.0.tar.gz\n' +
    'Patch1: first.patch\nPatch2: second.patch\nPatch3: third.patch\n\n%description\npkg\n\n%prep\n%autosetup -p1\n';
  const distGit = await createGitRepo({ dir: `${root}/rpms/pkg` });
  await distGit.commit('Initial packaging', {
    files: {
      'pkg.spec': spec,
      sources: 'SHA512 (pkg-1.0.tar.gz) = 00\n',
      'first.patch': await diffBetween(root, UPSTREAM, afterFirst, 'format-patch'),
      'second.patch': await diffBetween(root, afterFirst, afterSecond, 'git-diff'),
      'third.patch': await diffBetween(root, afterSecond, afterThird, 'format-patch'),
    },
  });
  await initSourceGit({
    upstreamRef: '1.0',
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    clock: TEST_CLOCK,
  });
  return { root, sourceGit, distGit };
}

/** A packager's edit of first.patch in dist-git: line 3 gets another fix (written as a fresh git diff). */
async function editFirstPatch(pair: Pair, fix: string, style: 'git-diff' | 'format-patch'): Promise<string> {
  const patch = await diffBetween(
    pair.root,
    UPSTREAM,
    edited(UPSTREAM, { 'src/a.c': { 'a line 3': fix } }),
    style,
  );
  return pair.distGit.commit('Refresh first.patch\n\nThe backport was adjusted.\n', {
    files: { 'first.patch': patch },
    author: { name: 'Pack Ager', email: 'packager@example.com' },
    date: '2024-03-01T10:00:00+01:00',
  });
}

async function backSync(pair: Pair) {
  return updateSourceGit({
    sourceGitDir: pair.sourceGit.dir,
    distGitDir: pair.distGit.dir,
    git,
    clock: TEST_CLOCK,
  });
}

describe('a middle patch edited in dist-git', () => {
  it('comes back as a fix-up commit at the end of source-git, and update-dist-git reproduces dist-git byte for byte', async () => {
    const pair = await createPair('far');
    const edit = await editFirstPatch(pair, 'a line 3 fixed better', 'git-diff');

    const result = await backSync(pair);

    expect(result.commits[0]?.sourceGitCommits.map((made) => [made.kind, made.patchName])).toEqual([
      ['patch-updated', 'first.patch'],
    ]);
    const message = await pair.sourceGit.git(['log', '-1', '--format=%B']);
    expect(message).toContain('Patch-name: first.patch\n');
    expect(message).toContain(`From-dist-git-commit: ${edit}\n`);
    expect(await pair.sourceGit.git(['log', '-1', '--format=%an <%ae>'])).toBe(
      'Pack Ager <packager@example.com>\n',
    );
    expect(await pair.sourceGit.git(['diff', 'HEAD~1', 'HEAD', '--stat=200'])).toContain('src/a.c | 2 +-');
    expect((await pair.sourceGit.git(['show', 'HEAD:src/a.c'])).split('\n').slice(1, 3)).toEqual([
      'a line 2',
      'a line 3 fixed better',
    ]);
    expect(await pair.sourceGit.git(['show', 'HEAD:src/a.c'])).toContain('a line 20 tuned\n');

    // The fix-up folds into first.patch: three patches, the first of two commits.
    const series = await generatePatchSeries({
      sourceGitDir: pair.sourceGit.dir,
      upstreamRef: '1.0',
      excludePaths: ['.distro'],
      patchComments: 'none',
      git,
    });
    expect(series.patches.map((patch) => [patch.fileName, patch.commits.length])).toEqual([
      ['first.patch', 2],
      ['second.patch', 1],
      ['third.patch', 1],
    ]);

    const before = await repositoryState(pair.distGit.dir);
    const status = await syncStatus({ sourceGitDir: pair.sourceGit.dir, distGitDir: pair.distGit.dir, git });
    expect(status.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(status.state).toBe('in-sync');
    const forced = await updateDistGit({
      sourceGitDir: pair.sourceGit.dir,
      distGitDir: pair.distGit.dir,
      git,
    });
    expect(forced.outcome).toBe('nothing-to-do');
    expect(forced.plan.patches.map((patch) => [patch.fileName, patch.status])).toEqual([
      ['first.patch', 'unchanged'],
      ['second.patch', 'unchanged'],
      ['third.patch', 'unchanged'],
    ]);
    expect(await repositoryState(pair.distGit.dir)).toEqual(before);
  });

  it('is reproduced byte for byte when the edited patch is a format-patch file and source-git moved on meanwhile', async () => {
    const pair = await createPair('far');
    await editFirstPatch(pair, 'a line 3 fixed differently', 'format-patch');
    await backSync(pair);
    // A source-git commit after the fix-up: the fold moves the fix-up before second.patch and
    // third.patch and leaves the later commit where it is.
    await pair.sourceGit.commit('Document b\n\nPatch-name: docs.patch\n', {
      files: { 'docs/b.txt': 'b\n' },
    });
    const written = await updateDistGit({
      sourceGitDir: pair.sourceGit.dir,
      distGitDir: pair.distGit.dir,
      git,
      message: 'Add the docs',
      now: TEST_CLOCK,
    });
    expect(written.outcome).toBe('committed');
    expect(written.plan.patches.map((patch) => [patch.fileName, patch.status])).toEqual([
      ['first.patch', 'unchanged'],
      ['second.patch', 'unchanged'],
      ['third.patch', 'unchanged'],
      ['docs.patch', 'new'],
    ]);
    expect(await pair.distGit.git(['diff', '--name-only', 'HEAD~1', 'HEAD'])).toBe('docs.patch\npkg.spec\n');
  });

  it('is refused when it does not commute with a later patch, naming that patch; nothing changes', async () => {
    const pair = await createPair('same-line');
    const head = await pair.sourceGit.revParse('HEAD');
    const edit = await editFirstPatch(pair, 'a line 3 fixed better', 'git-diff');

    const failure = backSync(pair);

    await expect(failure).rejects.toMatchObject({
      code: 'PATCH_APPLY_FAILED',
      data: { commit: edit, file: 'first.patch' },
    });
    await expect(failure).rejects.toThrow(
      /does not commute with the patches source-git applies after it: second\.patch \(src\/a\.c\) change the same files/,
    );
    expect(await pair.sourceGit.revParse('HEAD')).toBe(head);
    expect(await pair.sourceGit.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });
});

describe('a fix-up commit written by hand', () => {
  it('folds into its patch when it commutes with the patches in between', async () => {
    const pair = await createPair('far');
    const before = await generatePatchSeries({
      sourceGitDir: pair.sourceGit.dir,
      upstreamRef: '1.0',
      excludePaths: ['.distro'],
      patchComments: 'none',
      git,
    });
    await pair.sourceGit.commit('Fix first harder\n\nPatch-name: first.patch\n', {
      files: edited(await filesAt(pair.sourceGit, ['src/a.c']), {
        'src/a.c': { 'a line 4': 'a line 4 too' },
      }),
    });
    const headTree = await pair.sourceGit.revParse('HEAD^{tree}');

    const series = await generatePatchSeries({
      sourceGitDir: pair.sourceGit.dir,
      upstreamRef: '1.0',
      excludePaths: ['.distro'],
      patchComments: 'none',
      git,
    });

    expect(series.patches.map((patch) => patch.fileName)).toEqual([
      'first.patch',
      'second.patch',
      'third.patch',
    ]);
    const [first, second, third] = series.patches;
    expect(Buffer.from(first?.content ?? []).toString()).toContain('+a line 4 too');
    // The patches in between keep their diffs (only the commit they were moved onto changed).
    expect(second?.patchIds).toEqual(before.patches[1]?.patchIds);
    expect(third?.patchIds).toEqual(before.patches[2]?.patchIds);
    // Nothing in source-git moved: HEAD is where it was, and the folded commits exist only as objects.
    expect(await pair.sourceGit.revParse('HEAD^{tree}')).toBe(headTree);
    expect(series.headSha).toBe(await pair.sourceGit.revParse('HEAD'));
    expect(await pair.sourceGit.git(['status', '--porcelain'])).toBe('');
    const folded = first?.commits.at(-1)?.sha ?? '';
    expect(await runGit(['rev-parse', `${folded}^`], { cwd: pair.sourceGit.dir })).toBe(
      `${first?.commits[0]?.sha ?? ''}\n`,
    );
  });

  it('is refused when it does not commute, naming the patches in the way', async () => {
    const pair = await createPair('same-line');
    const fixup = await pair.sourceGit.commit('Fix first harder\n\nPatch-name: first.patch\n', {
      files: edited(await filesAt(pair.sourceGit, ['src/a.c']), {
        'src/a.c': { 'a line 3 fixed and tuned': 'a line 3 fixed, tuned and checked' },
      }),
    });

    const failure = generatePatchSeries({
      sourceGitDir: pair.sourceGit.dir,
      upstreamRef: '1.0',
      excludePaths: ['.distro'],
      patchComments: 'none',
      git,
    });

    await expect(failure).rejects.toMatchObject({
      code: 'PATCH_NAME_CONFLICT',
      data: { name: 'first.patch', sha: fixup, inTheWay: ['second.patch'] },
    });
    await expect(failure).rejects.toThrow(
      /is a fix-up of the earlier patch first\.patch \(same Patch-name\), but it does not commute with the patches between them: second\.patch \(it changes src\/a\.c too\)/,
    );
  });
});

async function filesAt(repo: GitRepo, paths: readonly string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of paths) files[path] = await repo.git(['show', `HEAD:${path}`]);
  return files;
}

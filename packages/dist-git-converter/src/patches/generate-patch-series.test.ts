import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRepo, createTempDir, runGit, runGitRaw, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../converter-error';
import { createGitRunner } from '../git/git-runner';
import { computePatchIds } from './compute-patch-ids';
import {
  generatePatchSeries,
  type GeneratePatchSeriesOptions,
  type PatchSeriesProgress,
} from './generate-patch-series';
import type { PatchSeries } from './patch-series';

const git = createGitRunner();

/** F0 of docs/converter-behaviour.md §7: an upstream release tagged 0.1.0 and the init commit. */
async function sourceGit(): Promise<GitRepo> {
  const repo = await createGitRepo();
  await repo.commit('upstream release 0.1.0', {
    files: { README: 'Best upstream project ever!\n', hops: 'Cascade\n', 'src/main.c': 'int main() {}\n' },
  });
  await repo.git(['tag', '0.1.0']);
  await repo.commit(
    'Initialize as a source-git repository\n\nFrom-dist-git-commit: 0123456789abcdef0123456789abcdef01234567\n',
    {
      files: {
        '.distro/beer.spec': 'Name: beer\n',
        '.distro/.gitignore': '# Reset gitignore rules\n!*\n',
        '.distro/source-git.yaml': 'downstream_package_name: beer\nupstream_ref: 0.1.0\n',
      },
    },
  );
  return repo;
}

function generate(repo: GitRepo, extra: Partial<GeneratePatchSeriesOptions> = {}): Promise<PatchSeries> {
  return generatePatchSeries({
    sourceGitDir: repo.dir,
    upstreamRef: '0.1.0',
    excludePaths: ['.distro'],
    patchComments: 'subject',
    git,
    ...extra,
  });
}

/** What `git format-patch -o <dir> <range> -- <pathspec>` writes: file name → bytes, in order. */
async function gitFormatPatch(
  repo: GitRepo,
  range: string,
  pathspec: readonly string[] = ['.', ':(exclude).distro'],
  extra: readonly string[] = [],
): Promise<Map<string, Buffer>> {
  const out = createTempDir('format-patch').path;
  await runGitRaw(['format-patch', ...extra, '-o', out, range, '--', ...pathspec], { cwd: repo.dir });
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(out)).sort()) files.set(name, await readFile(join(out, name)));
  return files;
}

function text(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
}

function expectBytes(actual: Uint8Array | undefined, expected: Uint8Array | undefined): void {
  expect(text(actual)).toBe(text(expected));
  expect(Buffer.from(actual ?? []).equals(Buffer.from(expected ?? []))).toBe(true);
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isConverterError(error)) throw new Error(`expected a ConverterError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('generatePatchSeries', () => {
  it('produces exactly the files git format-patch writes (V1, V2, E1, E2)', async () => {
    const repo = await sourceGit();
    await repo.commit('Switch to Amarillo hops\n\nExplain why.\n', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Bump release', { files: { '.distro/beer.spec': 'Name: beer\nRelease: 2\n' } });
    await repo.commit('Add malt and bump', {
      files: { malt: 'Munich\n', '.distro/beer.spec': 'Name: beer\nRelease: 3\n' },
    });

    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');

    expect(series.patches.map((patch) => patch.fileName)).toEqual([
      '0001-Switch-to-Amarillo-hops.patch',
      '0002-Add-malt-and-bump.patch',
    ]);
    expect(series.patches.map((patch) => patch.fileName)).toEqual([...expected.keys()]);
    for (const patch of series.patches) expectBytes(patch.content, expected.get(patch.fileName));
    expect(text(series.patches[0]?.content)).toContain('Subject: [PATCH 1/2] Switch to Amarillo hops');
    expect(text(series.patches[1]?.content)).not.toContain('.distro');
    expect(series.upstreamRef).toBe('0.1.0');
    expect(series.upstreamSha).toBe(await repo.revParse('0.1.0'));
    expect(series.headSha).toBe(await repo.revParse('HEAD'));
    expect(series.metadataDialect).toBe('yaml');
    expect(series.skipped.map((commit) => [commit.subject, commit.reason])).toEqual([
      ['Initialize as a source-git repository', 'only-ignored-paths'],
      ['Bump release', 'only-ignored-paths'],
    ]);
    expect(
      series.patches.map((patch) => [patch.comment, patch.commentIsExplicit, patch.id, patch.presentInSpec]),
    ).toEqual([
      ['Switch to Amarillo hops', false, undefined, false],
      ['Add malt and bump', false, undefined, false],
    ]);
    expect(series.patches[1]?.commits).toEqual([
      {
        sha: await repo.revParse('HEAD'),
        subject: 'Add malt and bump',
        authorName: 'A U Thor',
        authorEmail: 'author@example.com',
      },
    ]);
    // the ids are those of the content, computed as for old dist-git files
    const ids = await computePatchIds(
      series.patches.map((patch) => patch.content),
      git,
    );
    expect(series.patches.map((patch) => patch.patchIds)).toEqual(ids);
    expect(ids.every((list) => list.length === 1 && /^[0-9a-f]{40}$/.test(list[0] ?? ''))).toBe(true);
  });

  it('is byte-identical for renames, binaries, deletions, modes, symlinks and unusual messages', async () => {
    const repo = await sourceGit();
    const binary = Uint8Array.from({ length: 600 }, (_, index) => (index * 7919) % 251);
    await repo.commit('Rename README', {
      files: { README: null, 'README.md': 'Best upstream project ever!\n' },
    });
    await repo.commit('Rename and edit main.c', {
      files: { 'src/main.c': null, 'src/beer.c': 'int main() {}\n/* brewed */\n' },
    });
    await repo.commit('Add a binary logo', { files: { 'logo.png': binary } });
    await repo.commit('Change the binary logo', { files: { 'logo.png': binary.map((byte) => byte ^ 0x5a) } });
    await repo.commit('Make hops executable', {
      files: { hops: { content: 'Cascade\n', executable: true } },
    });
    await repo.commit('Add a symlink and an empty file', {
      files: { 'link-to-hops': { symlink: 'hops' }, empty: '' },
    });
    await repo.commit('Delete the symlink', { files: { 'link-to-hops': null } });
    await repo.commit('No newline at end', { files: { 'no-eol': 'one\ntwo' } });
    await repo.commit('Weißbier! Summer is coming — with ümlauts', { files: { malt: 'Munich\n' } });
    await repo.commit(
      'This is a very long subject line that goes on and on and on beyond seventy-eight characters for sure\n\nBody.\n',
      { files: { malt: 'Pilsner\n' } },
    );
    await repo.commit('Author with accents', {
      files: { malt: 'Vienna\n' },
      author: { name: 'Jöhn Dœ', email: 'john@example.com' },
    });
    await repo.commit('Quoted path', { files: { 'dir with space/ä.txt': 'x\n' } });
    await repo.commit('Only an ignored file', { files: { 'ignored_file.txt': 'x\n' } });
    await repo.commit('An empty commit', { allowEmpty: true });

    const excludePaths = ['.distro', 'ignored_file.txt'];
    const series = await generate(repo, { excludePaths });
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD', [
      '.',
      ...excludePaths.map((p) => `:(exclude)${p}`),
    ]);
    expect(series.patches.map((patch) => patch.fileName)).toEqual([...expected.keys()]);
    expect(series.patches).toHaveLength(12);
    for (const patch of series.patches) expectBytes(patch.content, expected.get(patch.fileName));

    const byName = new Map(series.patches.map((patch) => [patch.fileName, patch]));
    expect(text(byName.get('0003-Add-a-binary-logo.patch')?.content)).toContain('GIT binary patch');
    expect(text(byName.get('0001-Rename-README.patch')?.content)).toContain('rename from README');
    // Q12/Q13 fixed: the comment is the decoded, unfolded subject without [PATCH n/m]
    const umlauts = byName.get('0009-Wei-bier-Summer-is-coming-with-mlauts.patch');
    expect(text(umlauts?.content)).toContain('Subject: [PATCH 09/12] =?UTF-8?q?Wei=C3=9Fbier!');
    expect(umlauts?.comment).toBe('Weißbier! Summer is coming — with ümlauts');
    const long = byName.get('0010-This-is-a-very-long-subject-line-that-goes-on-and-on.patch');
    expect(long?.comment).toBe(
      'This is a very long subject line that goes on and on and on beyond seventy-eight characters for sure',
    );
    expect(byName.get('0011-Author-with-accents.patch')?.commits[0]?.authorName).toBe('Jöhn Dœ');
    expect(series.skipped.map((commit) => [commit.subject, commit.reason])).toEqual([
      ['Initialize as a source-git repository', 'only-ignored-paths'],
      ['Only an ignored file', 'only-ignored-paths'],
      ['An empty commit', 'empty'],
    ]);
  });

  it('ignores the repository’s own configuration (Q16)', async () => {
    const repo = await sourceGit();
    await repo.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Add malt', { files: { malt: 'Munich\n' } });
    await repo.git(['notes', 'add', '-m', 'a note', 'HEAD']);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');
    for (const [key, value] of [
      ['format.signature', 'my signature'],
      ['format.headers', 'X-Custom: yes'],
      ['format.from', 'true'],
      ['format.notes', 'true'],
      ['format.attach', 'true'],
      ['format.to', 'list@example.com'],
      ['format.cc', 'someone@example.com'],
      ['format.subjectPrefix', 'RFC'],
      ['format.numbered', 'true'],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.algorithm', 'patience'],
      ['diff.context', '5'],
      ['core.abbrev', '12'],
      ['core.quotePath', 'false'],
    ] as const) {
      await repo.git(['config', key, value]);
    }
    const series = await generate(repo);
    expect(series.patches.map((patch) => patch.fileName)).toEqual([...expected.keys()]);
    for (const patch of series.patches) expectBytes(patch.content, expected.get(patch.fileName));
  });

  it('stays byte-identical when the output streams in many chunks', async () => {
    const repo = await sourceGit();
    for (let index = 0; index < 12; index++) {
      const lines = Array.from(
        { length: 1500 },
        (_, line) => `line ${line} of file ${index} ${'x'.repeat(line % 40)}`,
      );
      await repo.commit(
        `Add big file ${index}\n\n${index % 4 === 1 ? `Patch-name: big-${index}.patch\n` : 'Body.\n'}`,
        {
          files: { [`big/${index}.txt`]: `${lines.join('\n')}\n` },
        },
      );
    }
    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');
    expect([...expected.values()].reduce((size, bytes) => size + bytes.length, 0)).toBeGreaterThan(400_000);
    const files = [...expected.values()];
    expect(series.patches).toHaveLength(12);
    series.patches.forEach((patch, index) => expectBytes(patch.content, files[index]));
    expect(series.patches.map((patch) => patch.patchIds)).toEqual(
      await computePatchIds(
        series.patches.map((patch) => patch.content),
        git,
      ),
    );
  });

  it('formats merged branches as git does and skips the merge commits (E6)', async () => {
    const repo = await sourceGit();
    await repo.git(['checkout', '--quiet', '-b', 'feature']);
    await repo.commit('Feature one', { files: { f1: '1\n' } });
    await repo.commit('Feature two', { files: { f2: '2\n' } });
    await repo.git(['checkout', '--quiet', 'main']);
    await repo.commit('Main work', { files: { m: 'm\n' } });
    await repo.git(['merge', '--quiet', '--no-ff', '-m', 'Merge feature', 'feature']);
    await repo.commit('After the merge', { files: { after: 'a\n' } });

    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');
    expect(series.patches.map((patch) => patch.fileName)).toEqual([...expected.keys()]);
    for (const patch of series.patches) expectBytes(patch.content, expected.get(patch.fileName));
    expect(series.patches).toHaveLength(4);
    expect(
      series.skipped.filter((commit) => commit.reason === 'merge').map((commit) => commit.subject),
    ).toEqual(['Merge feature']);
  });

  it('linearises a merge of a branch forked before upstream_ref in memory (E7), leaving no refs behind', async () => {
    const repo = await createGitRepo();
    await repo.commit('base', { files: { a: 'a\n' } });
    await repo.git(['branch', 'old-side']);
    await repo.commit('upstream release', { files: { b: 'b\n' } });
    await repo.git(['tag', 'v1']);
    await repo.commit('downstream one', { files: { c: 'c\n' } });
    await repo.git(['checkout', '--quiet', 'old-side']);
    await repo.commit('old side work', { files: { side: 's\n' } });
    await repo.git(['checkout', '--quiet', 'main']);
    await repo.git(['merge', '--quiet', '--no-ff', '-m', 'MERGE COMMIT', 'old-side']);
    await repo.commit('downstream two', { files: { d: 'd\n' } });
    const refsBefore = await repo.git(['for-each-ref']);
    const statusBefore = await repo.git(['status', '--porcelain', '--ignored']);

    const series = await generate(repo, { upstreamRef: 'v1', excludePaths: [] });

    expect(series.patches.map((patch) => patch.fileName)).toEqual([
      '0001-downstream-one.patch',
      '0002-MERGE-COMMIT.patch',
      '0003-downstream-two.patch',
    ]);
    expect(text(series.patches[1]?.content)).toContain('Subject: [PATCH 2/3] MERGE COMMIT');
    expect(text(series.patches[1]?.content)).toContain('+++ b/side');
    expect(series.patches[1]?.commits[0]?.sha).toBe(await repo.revParse('HEAD~1'));
    expect(series.skipped.map((commit) => [commit.subject, commit.reason])).toEqual([
      ['old side work', 'merge'],
    ]);
    expect(await repo.git(['for-each-ref'])).toBe(refsBefore);
    expect(await repo.git(['status', '--porcelain', '--ignored'])).toBe(statusBefore);
    expect(await repo.revParse('HEAD')).toBe(series.headSha);

    // the same bytes as packit's filter-branch linearisation followed by format-patch
    const clone = createTempDir('linear').path;
    await runGit(['clone', '--quiet', repo.dir, clone], { cwd: clone });
    await runGit(['filter-branch', '-f', '--parent-filter', 'cut -f 2,3 -d " "', 'v1..HEAD'], {
      cwd: clone,
      env: { FILTER_BRANCH_SQUELCH_WARNING: '1' },
    });
    const out = createTempDir('linear-patches').path;
    await runGit(['format-patch', '-o', out, 'v1..HEAD', '--', '.'], { cwd: clone });
    const names = (await readdir(out)).sort();
    expect(names).toEqual(series.patches.map((patch) => patch.fileName));
    for (const [index, name] of names.entries()) {
      expectBytes(series.patches[index]?.content, await readFile(join(out, name)));
    }
  });

  it('reads metadata trailers: names, ids, status, present-in-spec (V2, Q9)', async () => {
    const repo = await sourceGit();
    await repo.commit(
      'Switch to Amarillo hops\n\nExplain why.\n\nPatch-name: amarillo.patch\nPatch-id: 010\nPatch-status: |\n    # Downstream only\n',
      { files: { hops: 'Amarillo\n' } },
    );
    await repo.commit('Bump release', { files: { '.distro/beer.spec': 'Name: beer\nRelease: 2\n' } });
    await repo.commit('Add malt\n\nPatch-name: 1.0\nPatch-present-in-specfile: TRUE\n', {
      files: { malt: 'Munich\n' },
    });
    await repo.commit('Add yeast', { files: { yeast: 'US-05\n' } });

    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');
    expect(series.metadataDialect).toBe('trailers');
    expect(
      series.patches.map((patch) => [
        patch.fileName,
        patch.id,
        patch.comment,
        patch.commentIsExplicit,
        patch.presentInSpec,
      ]),
    ).toEqual([
      ['amarillo.patch', 10, '# Downstream only', true, false],
      ['1.0', undefined, 'Add malt', false, true],
      ['0003-Add-yeast.patch', undefined, 'Add yeast', false, false],
    ]);
    expectBytes(series.patches[0]?.content, expected.get('0001-Switch-to-Amarillo-hops.patch'));
    expectBytes(series.patches[1]?.content, expected.get('0002-Add-malt.patch'));
    expect(text(series.patches[0]?.content)).toContain('Patch-name: amarillo.patch\nPatch-id: 010\n');
  });

  it('leaves out comments with patch_comments: none, but keeps Patch-status', async () => {
    const repo = await sourceGit();
    await repo.commit('One\n\nPatch-status: Backported from upstream\n', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Two', { files: { malt: 'Munich\n' } });
    const series = await generate(repo, { patchComments: 'none' });
    expect(series.patches.map((patch) => [patch.comment, patch.commentIsExplicit])).toEqual([
      ['Backported from upstream', true],
      [undefined, false],
    ]);
  });

  it('drops Ignore-patch commits without a file, keeping git’s numbering (V5, Q10)', async () => {
    const repo = await sourceGit();
    await repo.commit('Ignored change\n\nIgnore-patch: true\n', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Kept change', { files: { malt: 'Munich\n' } });
    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');
    expect(series.patches.map((patch) => patch.fileName)).toEqual(['0002-Kept-change.patch']);
    expectBytes(series.patches[0]?.content, expected.get('0002-Kept-change.patch'));
    expect(text(series.patches[0]?.content)).toContain('[PATCH 2/2]');
    expect(series.skipped.map((commit) => [commit.subject, commit.reason])).toContainEqual([
      'Ignored change',
      'ignore-patch',
    ]);
  });

  it('squashes adjacent commits with the same Patch-name by byte concatenation (V3, E11, E22)', async () => {
    const repo = await sourceGit();
    await repo.commit('First part\n\nPatch-name: combined.patch\nPatch-id: 5\n', {
      files: { hops: Buffer.from('Amarillo \xe9t\xe9\n', 'latin1') },
    });
    await repo.commit('Second part\n\nPatch-name: combined.patch\nPatch-id: 9\n', {
      files: { malt: Buffer.from('M\xfcnchen\n', 'latin1') },
    });
    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');
    expect(series.patches).toHaveLength(1);
    const [patch] = series.patches;
    expect(patch?.fileName).toBe('combined.patch');
    expect(patch?.id).toBe(5);
    expect(patch?.comment).toBe('First part');
    expect(patch?.commits.map((commit) => commit.subject)).toEqual(['First part', 'Second part']);
    expect(Buffer.from(patch?.content ?? []).equals(Buffer.concat([...expected.values()]))).toBe(true);
    expect(patch?.patchIds).toHaveLength(2);
    expect(patch?.patchIds).toEqual((await computePatchIds([patch?.content ?? new Uint8Array()], git))[0]);
  });

  it('gives the same patches without their ids, and runs no git patch-id, with patchIds: false', async () => {
    const repo = await sourceGit();
    await repo.commit('First part\n\nPatch-name: combined.patch\n', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Second part\n\nPatch-name: combined.patch\n', { files: { malt: 'Munich\n' } });
    await repo.commit('Minus zero\n\nNo-prefix: true\n', { files: { hops: 'Citra\n' } });
    await repo.commit('Plain', { files: { yeast: 'Ale\n' } });
    const commands: string[] = [];
    const counting = {
      run: (args: readonly string[], options: Parameters<typeof git.run>[1]) => {
        commands.push(args.join(' '));
        return git.run(args, options);
      },
      text: (args: readonly string[], options: Parameters<typeof git.text>[1]) => {
        commands.push(args.join(' '));
        return git.text(args, options);
      },
    };
    const withIds = await generate(repo);
    const withoutIds = await generate(repo, { git: counting, patchIds: false });
    expect(commands.filter((command) => command.includes('patch-id'))).toEqual([]);
    expect(withIds.patches.every((patch) => patch.patchIds.length > 0)).toBe(true);
    expect(withoutIds.patches.map((patch) => patch.patchIds)).toEqual(withIds.patches.map(() => []));
    expect(withoutIds.patches.map((patch) => ({ ...patch, patchIds: [] }))).toEqual(
      withIds.patches.map((patch) => ({ ...patch, patchIds: [] })),
    );
  });

  it('folds a later commit with the name of a non-adjacent patch into it when they commute (V4a)', async () => {
    const repo = await sourceGit();
    const one = await repo.commit('One\n\nPatch-name: same.patch\n', { files: { a1: '1\n' } });
    await repo.commit('Two', { files: { a2: '2\n' } });
    await repo.commit('Three\n\nPatch-name: same.patch\n', { files: { a3: '3\n' } });
    const series = await generate(repo);
    expect(
      series.patches.map((patch) => [patch.fileName, patch.commits.map((commit) => commit.subject)]),
    ).toEqual([
      ['same.patch', ['One', 'Three']],
      ['0002-Two.patch', ['Two']],
    ]);
    expect(series.patches[0]?.commits[0]?.sha).toBe(one);
    expect(Buffer.from(series.patches[0]?.content ?? []).toString()).toContain('+++ b/a3\n');
    expect(Buffer.from(series.patches[1]?.content ?? []).toString()).not.toContain('a3');
  });

  it('refuses the same name on non-adjacent patches that do not commute, naming the patch in the way (V4b)', async () => {
    const repo = await sourceGit();
    await repo.commit('One\n\nPatch-name: same.patch\n', { files: { a1: '1\n' } });
    await repo.commit('Two\n\nPatch-name: two.patch\n', { files: { a1: '2\n' } });
    const three = await repo.commit('Three\n\nPatch-name: same.patch\n', { files: { a1: '3\n' } });
    expect(await rejection(generate(repo))).toEqual({
      code: 'PATCH_NAME_CONFLICT',
      message: `commit ${three.slice(0, 12)} ("Three") is a fix-up of the earlier patch same.patch (same Patch-name), but it does not commute with the patches between them: two.patch (it changes a1 too). srcgit folds a fix-up into its patch only when moving it right after the patch changes nothing else; rebase source-git so that the fix-up follows the patch's commits (or squash it into them), then run "srcgit update-dist-git" again.`,
    });
  });

  it('refuses a Patch-name that is not a plain file name (E10, Q6)', async () => {
    for (const name of ['patches/x.patch', '../x.patch', '..', '.']) {
      const repo = await sourceGit();
      const sha = await repo.commit(`Sub\n\nPatch-name: ${name}\n`, { files: { a1: '1\n' } });
      expect(await rejection(generate(repo))).toEqual({
        code: 'PATCH_NAME_INVALID',
        message: `commit ${sha.slice(0, 12)} ("Sub"): Patch-name ${JSON.stringify(name)} is not a valid patch file name: it must be a plain file name in the dist-git root (no "/", not "." or "..", not empty)`,
      });
    }
  });

  it('accepts names with dots, as real dist-git patches have them', async () => {
    const repo = await sourceGit();
    await repo.commit('Funky\n\nPatch-name: 0017-Patch-This..patch\n', { files: { a1: '1\n' } });
    expect((await generate(repo)).patches.map((patch) => patch.fileName)).toEqual(['0017-Patch-This..patch']);
  });

  it('refuses metadata values of the wrong type (E41)', async () => {
    const repo = await sourceGit();
    const sha = await repo.commit('Sub\n\nPatch-id: ten\n', { files: { a1: '1\n' } });
    expect(await rejection(generate(repo))).toEqual({
      code: 'PATCH_METADATA_INVALID',
      message: `commit ${sha.slice(0, 12)} ("Sub"): Patch-id must be a whole number (decimal, e.g. 10), found "ten"`,
    });
    const other = await sourceGit();
    const sha2 = await other.commit('Sub\n\nIgnore-patch: yes\n', { files: { a1: '1\n' } });
    expect(await rejection(generate(other))).toEqual({
      code: 'PATCH_METADATA_INVALID',
      message: `commit ${sha2.slice(0, 12)} ("Sub"): Ignore-patch must be true or false, found "yes"`,
    });
  });

  it('strips a/ and b/ for No-prefix, as git format-patch --no-prefix prints (Q11)', async () => {
    const repo = await sourceGit();
    await repo.commit('Plain', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Minus zero\n\nNo-prefix: true\n', {
      files: {
        // a removed line reading "-- a/x" appears as "--- a/x" inside the hunk: it must stay
        README: null,
        malt: '-- a/x\n++ b/y\n',
        'renamed.c': 'int main() {}\n',
        'src/main.c': null,
        'logo.bin': Uint8Array.from([0, 1, 2, 3, 255]),
        'ä file': 'x\n',
      },
    });
    await repo.commit('Remove dashes', { files: { malt: 'plain\n' } });
    await repo.commit('Minus zero again\n\nNo-prefix: true\n', { files: { malt: '-- a/x\n' } });
    const series = await generate(repo);
    const plain = await gitFormatPatch(repo, '0.1.0..HEAD');
    const noPrefix = await gitFormatPatch(repo, '0.1.0..HEAD', undefined, ['--no-prefix']);
    expect(series.patches.map((patch) => patch.fileName)).toEqual([...plain.keys()]);
    expectBytes(series.patches[0]?.content, plain.get('0001-Plain.patch'));
    expectBytes(series.patches[1]?.content, noPrefix.get('0002-Minus-zero.patch'));
    expectBytes(series.patches[2]?.content, plain.get('0003-Remove-dashes.patch'));
    expectBytes(series.patches[3]?.content, noPrefix.get('0004-Minus-zero-again.patch'));
  });

  it('writes an empty file for an empty commit with Patch-present-in-specfile (E4)', async () => {
    const repo = await sourceGit();
    await repo.commit('Real change', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Placeholder\n\nPatch-name: in-spec.patch\nPatch-present-in-specfile: true\n', {
      allowEmpty: true,
    });
    await repo.commit('Another change', { files: { malt: 'Munich\n' } });
    const series = await generate(repo);
    expect(
      series.patches.map((patch) => [patch.fileName, patch.content.length, patch.presentInSpec]),
    ).toEqual([
      ['0001-Real-change.patch', expect.any(Number), false],
      ['in-spec.patch', 0, true],
      ['0002-Another-change.patch', expect.any(Number), false],
    ]);
    expect(series.patches[1]?.patchIds).toEqual([]);

    const unnamed = await sourceGit();
    const sha = await unnamed.commit('Placeholder\n\nPatch-present-in-specfile: true\n', {
      allowEmpty: true,
    });
    expect(await rejection(generate(unnamed))).toEqual({
      code: 'PATCH_NAME_INVALID',
      message: `Empty commit ${sha} is referencing a patch which is present in spec file but the name is not defined in the commit metadata - please define it.`,
    });
  });

  it('reads legacy YAML metadata when no commit has trailers (V8, fixed profile)', async () => {
    const repo = await sourceGit();
    await repo.commit(
      'switching to amarillo hops\n\npatch_name: amarillo.patch\ndescription: Use Amarillo hops.\n',
      {
        files: { hops: 'Amarillo\n' },
      },
    );
    await repo.commit("actually, let's do citra", { files: { hops: 'Citra\n' } });
    await repo.commit('add malt\n\nignore: true\n', { files: { malt: 'Munich\n' } });
    await repo.commit('readme\n\nno_prefix: true\npatch_id: 10\n', { files: { README: 'Better\n' } });
    await repo.commit('pilsen\n\npatch_name: pils.patch\npresent_in_specfile: true\n', {
      files: { malt: 'Pilsen\n' },
    });

    const series = await generate(repo);
    const plain = await gitFormatPatch(repo, '0.1.0..HEAD');
    const noPrefix = await gitFormatPatch(repo, '0.1.0..HEAD', undefined, ['--no-prefix']);
    expect(series.metadataDialect).toBe('yaml');
    expect(
      series.patches.map((patch) => [
        patch.fileName,
        patch.id,
        patch.comment,
        patch.commentIsExplicit,
        patch.presentInSpec,
      ]),
    ).toEqual([
      ['amarillo.patch', undefined, 'Use Amarillo hops.', true, false],
      ['0002-actually-let-s-do-citra.patch', undefined, "actually, let's do citra", false, false],
      ['0004-readme.patch', 10, 'readme', false, false],
      ['pils.patch', undefined, 'pilsen', false, true],
    ]);
    expectBytes(series.patches[0]?.content, plain.get('0001-switching-to-amarillo-hops.patch'));
    expectBytes(series.patches[2]?.content, noPrefix.get('0004-readme.patch'));
    expect(text(series.patches[2]?.content)).toContain('diff --git README README\n');
  });

  it('writes an empty file for an empty YAML present_in_specfile commit (E5, Q14)', async () => {
    const repo = await sourceGit();
    await repo.commit('placeholder\n\npatch_name: old.patch\npresent_in_specfile: true\n', {
      allowEmpty: true,
    });
    await repo.commit('change', { files: { hops: 'Amarillo\n' } });
    const series = await generate(repo);
    expect(series.metadataDialect).toBe('yaml');
    expect(
      series.patches.map((patch) => [patch.fileName, patch.content.length, patch.presentInSpec]),
    ).toEqual([
      ['old.patch', 0, true],
      ['0001-change.patch', expect.any(Number), false],
    ]);
  });

  it('ignores YAML metadata once any commit has a trailer (§2.7.1)', async () => {
    const repo = await sourceGit();
    await repo.commit('one\n\npatch_name: yaml.patch\n', { files: { a1: '1\n' } });
    await repo.commit('two\n\nPatch-name: two.patch\n', { files: { a2: '2\n' } });
    const series = await generate(repo);
    expect(series.metadataDialect).toBe('trailers');
    expect(series.patches.map((patch) => patch.fileName)).toEqual(['0001-one.patch', 'two.patch']);
  });

  it('chooses the dialect from the commits that make patches only (§2.7.1, E4)', async () => {
    const repo = await sourceGit();
    // a trailer on a .distro-only commit does not count: YAML metadata stays in force
    await repo.commit('Packaging\n\nPatch-name: packaging.patch\n', {
      files: { '.distro/beer.spec': 'Name: beer\nRelease: 2\n' },
    });
    await repo.commit('readme\n\nno_prefix: true\n', { files: { README: 'Better\n' } });
    const series = await generate(repo);
    const noPrefix = await gitFormatPatch(repo, '0.1.0..HEAD', undefined, ['--no-prefix']);
    expect(series.metadataDialect).toBe('yaml');
    expect(series.patches.map((patch) => patch.fileName)).toEqual(['0001-readme.patch']);
    expectBytes(series.patches[0]?.content, noPrefix.get('0001-readme.patch'));
    expect(series.patches[0]?.patchIds).toEqual(
      (await computePatchIds([series.patches[0]?.content ?? new Uint8Array()], git))[0],
    );
  });

  it('stops at once when the caller aborts', async () => {
    const repo = await sourceGit();
    await repo.commit('Change', { files: { hops: 'Amarillo\n' } });
    const controller = new AbortController();
    controller.abort();
    const error: unknown = await generate(repo, { signal: controller.signal }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
  });

  it('groups legacy squash_commits commits like packit (§2.7.5)', async () => {
    const repo = await sourceGit();
    const commit = (message: string, file: string) =>
      repo.commit(message, { files: { [file]: `${message}\n` } });
    await commit('amarillo', 'f1');
    await commit('citra\n\nsquash_commits: true\npatch_id: 10\n', 'f2');
    await commit('malt\n\nsquash_commits: true\n', 'f3');
    await commit('Pilsen', 'f4');
    await commit('Vienna', 'f5');
    await commit('m04r\n\nsquash_commits: true\npatch_id: 100\npatch_name: m04r.patch\n', 'f6');
    await commit('Munich', 'f7');
    await commit('Saaz', 'f8');
    const series = await generate(repo);
    const files = [...(await gitFormatPatch(repo, '0.1.0..HEAD')).values()];
    expect(
      series.patches.map((patch) => [patch.fileName, patch.id, patch.commits.map((c) => c.subject)]),
    ).toEqual([
      ['0002-citra.patch', 10, ['amarillo', 'citra']],
      ['0003-malt.patch', undefined, ['malt']],
      ['m04r.patch', 100, ['Pilsen', 'Vienna', 'm04r', 'Munich', 'Saaz']],
    ]);
    expect(Buffer.from(series.patches[2]?.content ?? []).equals(Buffer.concat(files.slice(3)))).toBe(true);
  });

  it('expands a glob upstream_ref like git describe --tags --match (Q2) and falls back to origin/<ref>', async () => {
    const repo = await sourceGit();
    await repo.commit('Change', { files: { hops: 'Amarillo\n' } });
    const series = await generate(repo, { upstreamRef: '0.1.*' });
    expect(series.upstreamRef).toBe('0.1.0');
    expect(series.patches).toHaveLength(1);

    await repo.git(['update-ref', 'refs/remotes/origin/release', '0.1.0']);
    expect((await generate(repo, { upstreamRef: 'release' })).upstreamSha).toBe(await repo.revParse('0.1.0'));

    expect(await rejection(generate(repo, { upstreamRef: '9.*' }))).toEqual({
      code: 'UPSTREAM_REF_UNKNOWN',
      message: `upstream_ref "9.*" matches no tag reachable from HEAD in ${repo.dir}`,
    });
  });

  it('rejects an unknown upstream_ref, and one that is not an ancestor of HEAD', async () => {
    const repo = await sourceGit();
    expect(await rejection(generate(repo, { upstreamRef: '9.9.9' }))).toEqual({
      code: 'UPSTREAM_REF_UNKNOWN',
      message: `upstream_ref "9.9.9" is not a tag, branch or commit of ${repo.dir} (nor is origin/9.9.9); fetch the upstream tags or fix upstream_ref`,
    });
    await repo.git(['checkout', '--quiet', '--orphan', 'other']);
    await repo.commit('unrelated root', { files: { z: 'z\n' } });
    await repo.git(['tag', 'unrelated']);
    await repo.git(['checkout', '--quiet', 'main']);
    const unrelated = await repo.revParse('unrelated');
    expect(await rejection(generate(repo, { upstreamRef: 'unrelated' }))).toEqual({
      code: 'UPSTREAM_REF_UNKNOWN',
      message: `upstream_ref "unrelated" (${unrelated.slice(0, 12)}) is not an ancestor of HEAD in ${repo.dir}: the downstream commits must be based on it`,
    });
  });

  it('returns an empty series when HEAD is the upstream ref', async () => {
    const repo = await sourceGit();
    await repo.git(['checkout', '--quiet', '0.1.0']);
    const series = await generate(repo);
    expect(series.patches).toEqual([]);
    expect(series.skipped).toEqual([]);
  });

  it('limits patches to a monorepo package directory', async () => {
    const repo = await sourceGit();
    await repo.commit('Change both packages', { files: { 'ale/x': '1\n', 'lager/y': '2\n' } });
    await repo.commit('Change lager only', { files: { 'lager/y': '3\n' } });
    const series = await generate(repo, { packagePath: 'ale' });
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD', ['ale', ':(exclude).distro']);
    expect(series.patches.map((patch) => patch.fileName)).toEqual([...expected.keys()]);
    for (const patch of series.patches) expectBytes(patch.content, expected.get(patch.fileName));
    expect(series.skipped.map((commit) => commit.subject)).toContain('Change lager only');
  });

  it('reports progress up to the total', async () => {
    const repo = await sourceGit();
    for (let index = 0; index < 5; index++)
      await repo.commit(`Change ${index}`, { files: { [`f${index}`]: 'x\n' } });
    const progress: PatchSeriesProgress[] = [];
    await generate(repo, { onProgress: (event) => progress.push(event) });
    // every downstream commit counts (the init commit too), even those that make no patch
    expect(progress.at(-1)).toEqual({ done: 6, total: 6 });
    for (const [index, event] of progress.entries()) {
      expect(event.done).toBeLessThanOrEqual(event.total);
      if (index > 0) expect(event.done).toBeGreaterThanOrEqual(progress[index - 1]?.done ?? 0);
    }
  });
});

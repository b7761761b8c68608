import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRepo, createTempDir, runGitRaw, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../converter-error';
import { createGitRunner } from '../git/git-runner';
import { computePatchIds } from './compute-patch-ids';
import { generatePatchSeries, type GeneratePatchSeriesOptions } from './generate-patch-series';

const git = createGitRunner();

/** F0 of converter-spec §7: an upstream release tagged 0.1.0 and the init commit. */
async function sourceGit(): Promise<GitRepo> {
  const repo = await createGitRepo();
  await repo.commit('upstream release 0.1.0', {
    files: { README: 'Best upstream project ever!\n', hops: 'Cascade\n' },
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

function generate(repo: GitRepo, extra: Partial<GeneratePatchSeriesOptions> = {}) {
  return generatePatchSeries({
    sourceGitDir: repo.dir,
    upstreamRef: '0.1.0',
    excludePaths: ['.distro'],
    patchComments: 'subject',
    git,
    ...extra,
  });
}

/** What `git format-patch -o <dir> <range> -- . :(exclude)…` writes, file name → bytes. */
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

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

describe('generatePatchSeries', () => {
  it('produces exactly the files git format-patch writes (V1, V2)', async () => {
    const repo = await sourceGit();
    await repo.commit('Switch to Amarillo hops\n\nExplain why.\n', { files: { hops: 'Amarillo\n' } });
    await repo.commit('Bump release', { files: { '.distro/beer.spec': 'Name: beer\nRelease: 2\n' } });
    await repo.commit('Add malt', { files: { malt: 'Munich\n' } });

    const series = await generate(repo);
    const expected = await gitFormatPatch(repo, '0.1.0..HEAD');

    expect(series.patches.map((patch) => patch.fileName)).toEqual([...expected.keys()]);
    expect(series.patches.map((patch) => patch.fileName)).toEqual([
      '0001-Switch-to-Amarillo-hops.patch',
      '0002-Add-malt.patch',
    ]);
    for (const patch of series.patches) {
      expect(text(patch.content)).toBe(text(expected.get(patch.fileName) ?? Buffer.alloc(0)));
      expect(Buffer.from(patch.content).equals(expected.get(patch.fileName) as Buffer)).toBe(true);
    }
    expect(text(series.patches[0]?.content ?? new Uint8Array())).toContain(
      'Subject: [PATCH 1/2] Switch to Amarillo hops',
    );
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
      ['Add malt', false, undefined, false],
    ]);
    expect(series.patches[1]?.commits).toEqual([
      {
        sha: await repo.revParse('HEAD'),
        subject: 'Add malt',
        authorName: 'A U Thor',
        authorEmail: 'author@example.com',
      },
    ]);
    // patch ids are those of the file content, computed the same way as for old dist-git files
    const ids = await computePatchIds(
      series.patches.map((patch) => patch.content),
      git,
    );
    expect(series.patches.map((patch) => patch.patchIds)).toEqual(ids);
    expect(ids.every((list) => list.length === 1 && /^[0-9a-f]{40}$/.test(list[0] ?? ''))).toBe(true);
  });

  it('rejects an unknown upstream_ref naming the ref and the repository', async () => {
    const repo = await sourceGit();
    const error: unknown = await generate(repo, { upstreamRef: '9.9.9' }).catch((caught: unknown) => caught);
    expect(isConverterError(error) && error.code).toBe('UPSTREAM_REF_UNKNOWN');
    expect((error as Error).message).toContain('"9.9.9"');
    expect((error as Error).message).toContain(repo.dir);
  });
});

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createHelloFixture, createTempDir, runGit } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { BEER_SPEC, createBeerPair, TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();
const exec = promisify(execFile);

type CopyMethod = 'cp -a' | 'tar';

/**
 * Copies a checkout as people do (`cp -a`, or `tar c | tar x` into another directory): file
 * contents and mtimes are kept, inodes and ctimes are not, so every index entry's stat
 * information is stale. Asserts that it is (`git diff-files` does not refresh) before returning
 * the copy's path; nothing here runs a git command that would refresh and write the index.
 */
async function copyCheckout(dir: string, method: CopyMethod): Promise<string> {
  const target = createTempDir('copy').path;
  if (method === 'cp -a') {
    await exec('cp', ['-a', dir, join(target, basename(dir))]);
  } else {
    await exec('sh', [
      '-c',
      'tar -C "$1" -cf - "$2" | tar -C "$3" -xf -',
      'sh',
      dirname(dir),
      basename(dir),
      target,
    ]);
  }
  const copy = join(target, basename(dir));
  await expect(runGit(['diff-files', '--quiet'], { cwd: copy })).rejects.toThrow(/exited with 1/);
  return copy;
}

async function head(dir: string): Promise<string> {
  return (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim();
}

describe.each<CopyMethod>(['cp -a', 'tar'])(
  'a checkout copied with %s (stale stat information)',
  (method) => {
    it('init works on it, moving HEAD and the work tree', async () => {
      const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-stale').path);
      const copy = await copyCheckout(sourceGit.dir, method);

      const result = await initSourceGit({
        upstreamRef: '1.0.1',
        sourceGitDir: copy,
        distGitDir: distGit.dir,
        git,
      });

      expect(await head(copy)).toBe(result.head);
      expect(await runGit(['status', '--porcelain', '--untracked-files=all'], { cwd: copy })).toBe('');
      expect(await runGit(['show', 'HEAD:hello.rs'], { cwd: copy })).toContain('Hello Fedora Linux!');
    });

    it('init with a branch to create works on it', async () => {
      const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-stale-branch').path);
      const copy = await copyCheckout(sourceGit.dir, method);

      const result = await initSourceGit({
        upstreamRef: '1.0.1',
        sourceGitDir: copy,
        sourceGitBranch: 'fedora',
        distGitDir: distGit.dir,
        git,
      });

      expect(await head(copy)).toBe(result.head);
      expect(await runGit(['status', '--porcelain', '--untracked-files=all'], { cwd: copy })).toBe('');
    });

    it('update-source-git works on it', async () => {
      const { sg, dg } = await createBeerPair();
      await dg.commit('Bump release', {
        files: { 'beer.spec': BEER_SPEC.replace('Release:        1%{?dist}', 'Release:        2%{?dist}') },
      });
      const copy = await copyCheckout(sg.dir, method);

      const result = await updateSourceGit({
        sourceGitDir: copy,
        distGitDir: dg.dir,
        git,
        clock: TEST_CLOCK,
      });

      expect(result.outcome).toBe('updated');
      expect(await head(copy)).toBe(result.head);
      expect(await runGit(['show', 'HEAD:.distro/beer.spec'], { cwd: copy })).toContain(
        'Release:        2%{?dist}',
      );
      expect(await runGit(['status', '--porcelain', '--untracked-files=all'], { cwd: copy })).toBe('');
    });

    it('update-dist-git and status work on copies of both repositories', async () => {
      const { sg, dg } = await createBeerPair();
      await sg.commit('Bump release', {
        files: {
          '.distro/beer.spec': BEER_SPEC.replace('Release:        1%{?dist}', 'Release:        2%{?dist}'),
        },
      });
      const sourceGitCopy = await copyCheckout(sg.dir, method);
      const distGitCopy = await copyCheckout(dg.dir, method);

      expect((await syncStatus({ sourceGitDir: sourceGitCopy, distGitDir: distGitCopy, git })).state).toBe(
        'source-git-ahead',
      );
      const result = await updateDistGit({
        sourceGitDir: sourceGitCopy,
        distGitDir: distGitCopy,
        message: 'Sync from source-git',
        git,
        now: TEST_CLOCK,
      });

      expect(result.outcome).toBe('committed');
      expect(await runGit(['show', 'HEAD:beer.spec'], { cwd: distGitCopy })).toContain(
        'Release:        2%{?dist}',
      );
      expect(await runGit(['status', '--porcelain', '--untracked-files=all'], { cwd: distGitCopy })).toBe('');
      expect((await syncStatus({ sourceGitDir: sourceGitCopy, distGitDir: distGitCopy, git })).state).toBe(
        'in-sync',
      );
    });
  },
);

describe('a copied checkout with a real change', () => {
  it('is still refused: the refresh updates stat information, never contents', async () => {
    const { sg, dg } = await createBeerPair();
    await dg.commit('Bump release', {
      files: { 'beer.spec': BEER_SPEC.replace('Release:        1%{?dist}', 'Release:        2%{?dist}') },
    });
    const copy = await copyCheckout(sg.dir, 'cp -a');
    await writeFile(join(copy, 'hops'), 'Saaz\n');
    const before = await head(copy);

    await expect(
      updateSourceGit({ sourceGitDir: copy, distGitDir: dg.dir, git, clock: TEST_CLOCK }),
    ).rejects.toMatchObject({ code: 'SOURCE_GIT_DIRTY', data: { paths: ['hops'] } });
    expect(await head(copy)).toBe(before);
    expect(await readFile(join(copy, 'hops'), 'utf8')).toBe('Saaz\n');
  });
});

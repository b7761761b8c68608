/**
 * `updateDistGit` on a small glibc-like package (the generator `pnpm bench` uses at full size):
 * Patch-name/Patch-status trailers, squashed pairs, `.distro`-only commits, a spec with
 * conditionals and sub-packages, and executable `.distro` files.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGlibcLikeRepositories, createTempDir, runGit } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { fixedClock, fixedGitRunner, repositoryState } from './support/dist-git-state';

const execFileAsync = promisify(execFile);

describe('updateDistGit on a glibc-like package', () => {
  it('syncs every patch, keeps the spec valid, and is a no-op the second time (the pre-check agrees)', async () => {
    const repos = await createGlibcLikeRepositories({
      dir: createTempDir('glibc').path,
      files: 300,
      upstreamCommits: 30,
      patches: 12,
      squashedPatches: 2,
      distroCommits: 1,
    });
    const options = {
      sourceGitDir: repos.sourceGitDir,
      distGitDir: repos.distGitDir,
      git: fixedGitRunner(),
      now: fixedClock,
      message: 'Update from source-git',
    };
    const result = await updateDistGit(options);

    expect(result.outcome).toBe('committed');
    expect(result.plan.patches).toHaveLength(12);
    expect(result.plan.commits.filter((commit) => commit.status === 'squashed')).toHaveLength(2);
    expect(result.plan.commits.filter((commit) => commit.status === 'ignored').map((c) => c.reason)).toEqual([
      'only-ignored-paths',
      'only-ignored-paths',
    ]);
    const { stdout } = await execFileAsync('rpmspec', ['-P', join(repos.distGitDir, 'glibc.spec')]);
    const tags = [...stdout.matchAll(/^Patch\d+:\s*(\S+)$/gm)].map((match) => match[1]);
    expect(tags).toEqual(result.plan.patches.map((patch) => patch.fileName));
    expect(await readFile(join(repos.distGitDir, 'glibc.spec'), 'utf8')).toContain('# Upstream: RHBZ#');
    expect(
      await runGit(['ls-tree', 'HEAD', 'tests/Sanity/basic/runtest.sh'], { cwd: repos.distGitDir }),
    ).toMatch(/^100755 /);

    const before = await repositoryState(repos.distGitDir);
    const again = await updateDistGit(options).then(
      () => 'committed',
      (error: unknown) => (isConverterError(error) ? error.code : String(error)),
    );
    expect(again).toBe('NOTHING_TO_COMMIT');
    expect(await repositoryState(repos.distGitDir)).toEqual(before);
    // The sync trailers agree: the pre-check finds nothing to sync.
    expect((await updateDistGit({ ...options, checkSyncStatus })).outcome).toBe('up-to-date');
  });

  it('generates the same repositories on every run', async () => {
    const build = async () => {
      const repos = await createGlibcLikeRepositories({
        dir: createTempDir('glibc').path,
        files: 50,
        upstreamCommits: 5,
        patches: 3,
      });
      return Promise.all([
        runGit(['rev-parse', 'HEAD', 'glibc-2.39'], { cwd: repos.sourceGitDir }),
        runGit(['rev-parse', 'HEAD'], { cwd: repos.distGitDir }),
      ]);
    };
    expect(await build()).toEqual(await build());
  });
});

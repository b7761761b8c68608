import {
  createCurlLikeFixture,
  createHelloFixture,
  createTempDir,
  type GitRepo,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

/** Every tracked and untracked file of a work tree with its bytes, plus HEAD and the index. */
async function snapshot(repo: GitRepo): Promise<string> {
  const files = await repo.git(['ls-files', '-s', '--others', '--exclude-standard']);
  const status = await repo.git(['status', '--porcelain', '--ignored', '--untracked-files=all']);
  const head = await repo.revParse('HEAD');
  const tree = await repo.git(['ls-tree', '-r', 'HEAD']);
  return [head, tree, files, status].join('\n---\n');
}

describe('init → update-dist-git round trip', () => {
  it('leaves the hello dist-git byte-identical, and status is confirmed in sync (V14 fixed)', async () => {
    const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello').path);
    const before = await snapshot(distGit);
    await initSourceGit({
      upstreamRef: '1.0.1',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });

    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(report.state).toBe('in-sync');

    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(result.outcome).toBe('nothing-to-do');
    expect(await snapshot(distGit)).toBe(before);
  });

  it('leaves a curl-like dist-git byte-identical (32 commented patches, %bcond, %ifarch in %prep)', async () => {
    const { sourceGit, distGit, upstreamRef, patchNames } = await createCurlLikeFixture(
      createTempDir('curl').path,
    );
    const before = await snapshot(distGit);
    const init = await initSourceGit({
      upstreamRef,
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
      clock: TEST_CLOCK,
    });
    expect(init.patches.map((patch) => patch.fileName)).toEqual(patchNames);
    expect(init.keptPatches).toEqual([]);
    expect(init.warnings).toEqual([]);

    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    expect(report.state).toBe('in-sync');

    const result = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(result.plan.files).toEqual([]);
    expect(await snapshot(distGit)).toBe(before);
  });
});

import { createGitRepo, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../converter-error';
import { createGitRunner, type GitRunner } from '../git/git-runner';
import { readRangeCommits, type RangeCommit } from '../git/read-range-commits';
import { foldFixupCommits, fixupRole } from './fold-fixup-commits';
import { readTrailerMetadata } from './patch-metadata';

const git = createGitRunner();

/** A runner that counts the git processes it starts (and starts them for real). */
function countingRunner(): { runner: GitRunner; count: () => number } {
  let started = 0;
  return {
    runner: {
      run: (args, options) => {
        started += 1;
        return git.run(args, options);
      },
      text: (args, options) => {
        started += 1;
        return git.text(args, options);
      },
    },
    count: () => started,
  };
}

async function upstream(): Promise<GitRepo> {
  const repo = await createGitRepo();
  await repo.commit('Upstream', { files: { a: 'a1\na2\na3\na4\na5\na6\na7\na8\na9\na10\n', b: 'b\n' } });
  await repo.git(['tag', 'v1']);
  return repo;
}

async function chain(repo: GitRepo): Promise<{ commits: RangeCommit[]; baseTree: string }> {
  return {
    commits: await readRangeCommits({ repoDir: repo.dir, range: 'v1..HEAD', git }),
    baseTree: await repo.revParse('v1^{tree}'),
  };
}

async function fold(repo: GitRepo, runner: GitRunner = git, maxDiffBytes = 1024 * 1024) {
  const { commits, baseTree } = await chain(repo);
  return foldFixupCommits({
    repoDir: repo.dir,
    git: runner,
    commits,
    baseTree,
    roleOf: (commit) => fixupRole({ metadata: readTrailerMetadata(commit) }),
    pathspec: ['--', '.', ':(exclude).distro'],
    maxDiffBytes,
  });
}

describe('foldFixupCommits', () => {
  it('runs no git process when no commit repeats the name of an earlier, non-adjacent patch', async () => {
    const repo = await upstream();
    await repo.commit('One\n\nPatch-name: one.patch\n', {
      files: { a: 'a1 one\na2\na3\na4\na5\na6\na7\na8\na9\na10\n' },
    });
    await repo.commit('One more\n\nPatch-name: one.patch\n', { files: { b: 'b one\n' } });
    await repo.commit('Two\n\nPatch-name: two.patch\n', { files: { c: 'c\n' } });
    const counting = countingRunner();

    expect(await fold(repo, counting.runner)).toBeUndefined();
    expect(counting.count()).toBe(0);
  });

  it('leaves a fix-up alone when only .distro commits are between (already adjacent as patches)', async () => {
    const repo = await upstream();
    await repo.commit('One\n\nPatch-name: one.patch\n', { files: { b: 'b one\n' } });
    await repo.commit('Packaging', { files: { '.distro/pkg.spec': 'Name: pkg\n' } });
    await repo.commit('Fix one\n\nPatch-name: one.patch\n', { files: { b: 'b one fixed\n' } });

    expect(await fold(repo)).toBeUndefined();
  });

  it('moves a commuting fix-up after its patch in new objects: same messages, same final tree, original positions', async () => {
    const repo = await upstream();
    const one = await repo.commit('One\n\nPatch-name: one.patch\n', {
      files: { a: 'a1 one\na2\na3\na4\na5\na6\na7\na8\na9\na10\n' },
    });
    const two = await repo.commit('Two\n\nPatch-name: two.patch\n', {
      files: { a: 'a1 one\na2\na3\na4\na5\na6\na7\na8\na9 two\na10\n' },
    });
    const fixup = await repo.commit('Fix one\n\nPatch-name: one.patch\n', {
      files: { a: 'a1 one, fixed\na2\na3\na4\na5\na6\na7\na8\na9 two\na10\n' },
    });
    const head = await repo.revParse('HEAD');

    const folded = await fold(repo);

    expect(folded?.folded).toEqual(new Map([[fixup, 'one.patch']]));
    const commits = folded?.commits ?? [];
    expect(commits.map((commit) => commit.subject)).toEqual(['One', 'Fix one', 'Two']);
    expect(commits[0]?.sha).toBe(one);
    expect(commits[1]?.parents).toEqual([one]);
    expect(commits[2]?.parents).toEqual([commits[1]?.sha]);
    expect(folded?.tipSha).toBe(commits[2]?.sha);
    expect(await repo.revParse(`${folded?.tipSha ?? ''}^{tree}`)).toBe(await repo.revParse('HEAD^{tree}'));
    expect(await repo.git(['show', `${commits[1]?.sha ?? ''}:a`])).toBe(
      'a1 one, fixed\na2\na3\na4\na5\na6\na7\na8\na9\na10\n',
    );
    expect(await repo.git(['log', '-1', '--format=%B%an%ad', commits[2]?.sha ?? ''])).toBe(
      await repo.git(['log', '-1', '--format=%B%an%ad', two]),
    );
    expect([...(folded?.positionOf.values() ?? [])]).toEqual([0, 2, 1]);
    // Nothing moved in the repository.
    expect(await repo.revParse('HEAD')).toBe(head);
    expect(await repo.git(['status', '--porcelain'])).toBe('');
  });

  it('refuses a fix-up that does not commute, naming the patches in the way and the files they share', async () => {
    const repo = await upstream();
    await repo.commit('One\n\nPatch-name: one.patch\n', {
      files: { a: 'a1 one\na2\na3\na4\na5\na6\na7\na8\na9\na10\n' },
    });
    await repo.commit('Two\n\nPatch-name: two.patch\n', {
      files: { a: 'a1 one\na2 two\na3\na4\na5\na6\na7\na8\na9\na10\n' },
    });
    await repo.commit('Three\n\nPatch-name: three.patch\n', { files: { b: 'b three\n' } });
    const fixup = await repo.commit('Fix one\n\nPatch-name: one.patch\n', {
      files: { a: 'a1 one, fixed\na2 two\na3\na4\na5\na6\na7\na8\na9\na10\n' },
    });

    const error: unknown = await fold(repo).catch((caught: unknown) => caught);

    expect(isConverterError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'PATCH_NAME_CONFLICT',
      data: { name: 'one.patch', sha: fixup, inTheWay: ['two.patch'] },
    });
    expect((error as Error).message).toContain('the patches between them: two.patch (it changes a too)');
  });

  it('stops a diff larger than the patch limit while git prints it', async () => {
    const repo = await upstream();
    await repo.commit('One\n\nPatch-name: one.patch\n', { files: { b: 'b one\n' } });
    await repo.commit('Big', { files: { big: 'x'.repeat(200_000) } });
    await repo.commit('Fix one\n\nPatch-name: one.patch\n', { files: { b: 'b one fixed\n' } });

    await expect(fold(repo, git, 10_000)).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      data: { limit: 'maxPatchBytes', value: 10_000 },
    });
  });
});

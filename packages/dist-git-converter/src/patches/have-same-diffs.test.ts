import { createGitRepo, runGitRaw, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createGitRunner } from '../git/git-runner';
import { computePatchIds, isSamePatch } from './compute-patch-ids';
import { haveSameDiffs } from './have-same-diffs';

const git = createGitRunner();

/** `git format-patch --stdout` of `range` (with extra options), as one patch file. */
async function formatPatch(repo: GitRepo, range: string, ...extra: string[]): Promise<Buffer> {
  return (await runGitRaw(['format-patch', '--stdout', ...extra, range], { cwd: repo.dir })).stdout;
}

async function repository(): Promise<GitRepo> {
  const repo = await createGitRepo();
  await repo.commit('base', { files: { a: '1\n2\n3\n', b: 'x\n' } });
  await repo.commit('Change a', { files: { a: '1\ntwo\n3\n' } });
  await repo.commit('Change b', { files: { b: 'y\n' } });
  return repo;
}

describe('haveSameDiffs', () => {
  it('sees through renumbered subjects, other commit ids and reworded messages', async () => {
    const repo = await repository();
    const numbered = await formatPatch(repo, 'HEAD~2..HEAD', '--numbered');
    const plain = await formatPatch(repo, 'HEAD~2..HEAD', '--no-numbered');
    await repo.git(['commit', '--quiet', '--amend', '-m', 'Change b, reworded\n\nWith a body.']);
    const reworded = await formatPatch(repo, 'HEAD~2..HEAD');
    for (const [a, b] of [
      [numbered, plain],
      [plain, reworded],
    ] as const) {
      expect(haveSameDiffs(a, b)).toBe(true);
      const [idsA, idsB] = await computePatchIds([a, b], git);
      expect(isSamePatch(idsA ?? [], idsB ?? [])).toBe(true);
    }
  });

  it('is false for another diff, another order, a missing message or text without a diff', async () => {
    const repo = await repository();
    const both = await formatPatch(repo, 'HEAD~2..HEAD');
    const first = await formatPatch(repo, 'HEAD~2..HEAD~1');
    const second = await formatPatch(repo, 'HEAD~1..HEAD');
    expect(haveSameDiffs(both, first)).toBe(false);
    expect(haveSameDiffs(both, Buffer.concat([second, first]))).toBe(false);
    expect(haveSameDiffs(both, Buffer.concat([first, second]))).toBe(true);
    await repo.commit('Change b differently', { files: { b: 'z\n' } });
    const other = await formatPatch(repo, 'HEAD~1..HEAD');
    expect(haveSameDiffs(second, other)).toBe(false);
    expect(haveSameDiffs(Buffer.from('--- a/b\n+++ b/b\n'), Buffer.from('--- a/b\n+++ b/b\n'))).toBe(false);
  });
});

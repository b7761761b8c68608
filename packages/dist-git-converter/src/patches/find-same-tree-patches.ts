import { createScratchIndex } from '../back-sync/scratch-index';
import type { GitRunner } from '../git/git-runner';
import type { PlannedPatch } from './patch-series';

/** A generated patch and the committed file its bytes and patch-ids differ from. */
export interface SameTreeCandidate {
  readonly patch: PlannedPatch;
  readonly committed: Uint8Array;
}

export interface FindSameTreePatchesOptions {
  readonly candidates: readonly SameTreeCandidate[];
  /** The source-git repository and the pathspec of patch generation (`--` first). */
  readonly repoDir: string;
  readonly pathspec: readonly string[];
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * The last step of the same-content rule (docs/converter-behaviour.md §2.7.7): the file names of
 * the candidates whose committed file produces the very tree the patch's commits produce. The
 * committed file is applied (`-p1`, else `-p0`) to the commit the patch starts from, in a private
 * index; the result is compared with the patch's last commit on the paths patches cover. So a
 * `git diff -C` copy, a hand-written patch with one line of context, or any other spelling of the
 * same change is the same content as the `git format-patch` message of its commit. Sequential,
 * four git processes per candidate; only patches the cheaper steps could not match get here.
 */
export async function findSameTreePatches(options: FindSameTreePatchesOptions): Promise<Set<string>> {
  const same = new Set<string>();
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  for (const { patch, committed } of options.candidates) {
    const first = patch.commits[0]?.sha;
    const last = patch.commits.at(-1)?.sha;
    if (first === undefined || last === undefined || committed.length === 0) continue;
    const base = `${first}^`;
    const index = await createScratchIndex({ git: options.git, repoDir: options.repoDir, base, ...signal });
    try {
      let applied = await index.tryApply(committed, ['-p1']);
      if (!applied.ok) {
        await index.readTree(base);
        applied = await index.tryApply(committed, ['-p0']);
      }
      if (!applied.ok) continue;
      const tree = await index.writeTree();
      const compared = await options.git.run(
        ['diff-tree', '--quiet', '-r', tree, last, ...options.pathspec],
        {
          cwd: options.repoDir,
          isolated: true,
          okExitCodes: [0, 1],
          ...signal,
        },
      );
      if (compared.exitCode === 0) same.add(patch.fileName);
    } finally {
      await index.dispose();
    }
  }
  return same;
}

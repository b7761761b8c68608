import type { GitRunner } from '../git/git-runner';
import type { RangeCommit } from '../git/read-range-commits';
import { computeDiffPatchIds, type DiffRange } from './compute-diff-patch-ids';
import { isSamePatch } from './compute-patch-ids';

/** A downstream commit that may revert, or be reverted by, another one. */
export interface RevertCandidate {
  readonly commit: RangeCommit;
  /** Whether the commit's patch has any content (an empty `Patch-present-in-specfile` one has none). */
  readonly hasChanges: boolean;
}

export interface FindRevertPairsOptions {
  readonly repoDir: string;
  /** The pathspec of patch generation, `--` first. */
  readonly pathspec: readonly string[];
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/** A commit and the later commit that reverts it exactly. */
export interface RevertPair {
  readonly reverted: string;
  readonly revert: string;
}

/** git revert's wording, also used by the patch-aware back-sync. */
const REVERTS = /(?:^|\n)This reverts commit ([0-9a-f]{40}(?:[0-9a-f]{24})?)\./g;

/** The commits a message says it reverts (`This reverts commit <sha>.`, git revert's wording). */
export function revertedShas(message: string): string[] {
  return [...message.matchAll(REVERTS)].map((match) => match[1] as string);
}

/**
 * Commits that cancel out: a commit R whose message says `This reverts commit <A>.` (as
 * `git revert` writes it) for an earlier commit A of the list, and whose diff is exactly the
 * inverse of A's: the patch-id of `git diff R R^` equals the patch-id of `git diff A^ A` (both
 * with the pathspec of patch generation). Each commit is in at most one pair; pairs are taken in
 * the order of the reverting commits, so a revert of a revert stays (it re-applies the change).
 * Only messages naming an earlier commit of the list cost git processes (two `git diff` per
 * candidate pair, one `git patch-id` for all).
 *
 * @example
 * ```ts
 * const pairs = await findRevertPairs(candidates, { repoDir, pathspec: ['--', '.'], git });
 * // [{ reverted: 'a1b2…', revert: 'c3d4…' }]
 * ```
 */
export async function findRevertPairs(
  candidates: readonly RevertCandidate[],
  options: FindRevertPairsOptions,
): Promise<RevertPair[]> {
  const earlier = new Map<string, RevertCandidate>();
  const proposed: { reverted: RevertCandidate; revert: RevertCandidate }[] = [];
  for (const candidate of candidates) {
    if (candidate.hasChanges && candidate.commit.parents[0] !== undefined) {
      for (const match of candidate.commit.message.matchAll(REVERTS)) {
        const reverted = earlier.get(match[1] as string);
        if (reverted !== undefined) proposed.push({ reverted, revert: candidate });
      }
      earlier.set(candidate.commit.sha, candidate);
    }
  }
  if (proposed.length === 0) return [];
  const ranges = proposed.flatMap(({ reverted, revert }): DiffRange[] => [
    { from: reverted.commit.parents[0] as string, to: reverted.commit.sha },
    { from: revert.commit.sha, to: revert.commit.parents[0] as string },
  ]);
  const ids = await computeDiffPatchIds(ranges, options);
  const taken = new Set<string>();
  const pairs: RevertPair[] = [];
  for (const [index, { reverted, revert }] of proposed.entries()) {
    if (taken.has(reverted.commit.sha) || taken.has(revert.commit.sha)) continue;
    if (!isSamePatch(ids[2 * index] ?? [], ids[2 * index + 1] ?? [])) continue;
    taken.add(reverted.commit.sha);
    taken.add(revert.commit.sha);
    pairs.push({ reverted: reverted.commit.sha, revert: revert.commit.sha });
  }
  return pairs;
}

import type { GitRunner } from '../git/git-runner';
import { computePatchIds, isSamePatch } from './compute-patch-ids';
import { haveSameDiffs } from './have-same-diffs';

/** A committed dist-git patch file and the file generated for the same commits. */
export interface PatchContentPair {
  readonly committed: Uint8Array;
  readonly generated: Uint8Array;
}

/** The answer of {@link compareSamePatchContent} for one pair. */
export interface PatchContentComparison {
  /** The files carry the same changes: the committed bytes stay. */
  readonly same: boolean;
  /**
   * The committed file's patch-ids (one per message), when they had to be computed; `[]` when the
   * diffs were equal byte for byte.
   */
  readonly committedIds: readonly string[];
}

export interface SamePatchContentOptions {
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * THE rule for "the same patch content", used by every decision that a committed patch is
 * unchanged — the identical check of `updateDistGit` (so also `-f`, which only skips the
 * sync-status pre-check) and the confirmation of `syncStatus` (a dry run of it):
 *
 * 1. the same diffs, message by message ({@link haveSameDiffs}, no git process), else
 * 2. the same `git patch-id --stable` for every message in order ({@link isSamePatch}), each
 *    message first put into the canonical form of `normalizePatchHeaders`: `a/`/`b/` or any other
 *    first path component, gendiff's suffix on the old name (`util.c.util` → `util.c`),
 *    `diff -Nrup` lines and timestamps, `Index:`/`====` lines and a description before the
 *    first diff do not count.
 *
 * A hand-made patch is thus the same as the `git format-patch` message of the commit `srcgit
 * init` made from it. ONE `git patch-id` process serves all pairs that step 1 did not decide.
 * For a patch of a series (where the commits are known), `findIdenticalPatches` completes the
 * rule with the net change of a squashed patch and, last, the same tree: the committed file
 * applied where the patch starts gives the tree of its last commit (a `git diff -C` copy, one line
 * of context).
 */
export async function compareSamePatchContent(
  pairs: readonly PatchContentPair[],
  options: SamePatchContentOptions,
): Promise<PatchContentComparison[]> {
  const results: PatchContentComparison[] = pairs.map(({ committed, generated }) => ({
    same: haveSameDiffs(committed, generated),
    committedIds: [],
  }));
  const compared = pairs.flatMap((pair, index) => (results[index]?.same === true ? [] : [{ pair, index }]));
  if (compared.length === 0) return results;
  const ids = await computePatchIds(
    [...compared.map(({ pair }) => pair.committed), ...compared.map(({ pair }) => pair.generated)],
    options.git,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  for (const [position, { index }] of compared.entries()) {
    const committedIds = ids[position] ?? [];
    results[index] = {
      same: isSamePatch(committedIds, ids[compared.length + position] ?? []),
      committedIds,
    };
  }
  return results;
}

/**
 * Whether a committed patch file and a generated one carry the same changes
 * ({@link compareSamePatchContent} for one pair).
 *
 * @example
 * ```ts
 * if (await isSamePatchContent(committedBytes, patch.content, { git })) keepCommittedBytes();
 * ```
 */
export async function isSamePatchContent(
  committed: Uint8Array,
  generated: Uint8Array,
  options: SamePatchContentOptions,
): Promise<boolean> {
  const [result] = await compareSamePatchContent([{ committed, generated }], options);
  return result?.same === true;
}

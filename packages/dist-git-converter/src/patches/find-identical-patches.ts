import type { GitRunner } from '../git/git-runner';
import { computeDiffPatchIds } from './compute-diff-patch-ids';
import { isSamePatch } from './compute-patch-ids';
import type { PlannedPatch } from './patch-series';
import { compareSamePatchContent } from './same-patch-content';
import { findSameTreePatches } from './find-same-tree-patches';

/** A generated patch whose committed file has other bytes. */
export interface DifferingPatch {
  readonly patch: PlannedPatch;
  /** The committed file's bytes. */
  readonly committed: Uint8Array;
}

export interface FindIdenticalPatchesOptions {
  readonly differing: readonly DifferingPatch[];
  /** The source-git repository and the pathspec of patch generation (for net changes). */
  readonly repoDir: string;
  readonly pathspec: readonly string[] | undefined;
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * The identical check of docs/converter-behaviour.md §2.7.7 (fixed Q18) for generated patches whose bytes
 * differ from their committed file: the file names whose committed bytes stay, because the
 * changes are the same —
 *
 * 1. the same patch content ({@link compareSamePatchContent}, the one rule `syncStatus` and `-f`
 *    share): the same diffs, else the same patch-ids of every message in order after the
 *    headers are normalised (a gendiff or `diff -Nrup` patch is the same as its regenerated
 *    `git format-patch` message);
 * 2. else, for a squashed patch against a one-message file, the patch-id of the group's net change
 *    (e.g. a back-synced patch update: the patch commit plus its fix-up);
 * 3. else the same tree: the committed file applied to the commit the patch starts from gives
 *    the tree of its last commit ({@link findSameTreePatches}: a `git diff -C` copy, a patch
 *    with one line of context).
 */
export async function findIdenticalPatches(options: FindIdenticalPatchesOptions): Promise<Set<string>> {
  const same = new Set<string>();
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const comparisons = await compareSamePatchContent(
    options.differing.map(({ patch, committed }) => ({ committed, generated: patch.content })),
    { git: options.git, ...signalOption },
  );
  const byNetChange: { patch: PlannedPatch; committedIds: readonly string[] }[] = [];
  for (const [index, { patch }] of options.differing.entries()) {
    const { same: isSame, committedIds } = comparisons[index] ?? { same: false, committedIds: [] };
    if (isSame) same.add(patch.fileName);
    else if (patch.netChange !== undefined && committedIds.length === 1)
      byNetChange.push({ patch, committedIds });
  }
  if (options.pathspec === undefined) return same;
  const netIds = await computeDiffPatchIds(
    byNetChange.map(({ patch }) => patch.netChange as NonNullable<PlannedPatch['netChange']>),
    { repoDir: options.repoDir, pathspec: options.pathspec, git: options.git, ...signalOption },
  );
  for (const [position, { patch, committedIds }] of byNetChange.entries()) {
    if (isSamePatch(committedIds, netIds[position] ?? [])) same.add(patch.fileName);
  }
  const sameTree = await findSameTreePatches({
    candidates: options.differing.filter(({ patch }) => !same.has(patch.fileName)),
    repoDir: options.repoDir,
    pathspec: options.pathspec,
    git: options.git,
    ...signalOption,
  });
  for (const fileName of sameTree) same.add(fileName);
  return same;
}

import type { GitRunner } from '../git/git-runner';
import { computeDiffPatchIds } from './compute-diff-patch-ids';
import { computePatchIds, isSamePatch } from './compute-patch-ids';
import { haveSameDiffs } from './have-same-diffs';
import type { PlannedPatch } from './patch-series';

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
 * The identical check of converter-spec §2.7.7 (fixed Q18) for generated patches whose bytes
 * differ from their committed file: the file names whose committed bytes stay, because the
 * changes are the same —
 *
 * 1. the same diffs, message by message ({@link haveSameDiffs}: no git process; the usual case
 *    after a new commit renumbers `[PATCH n/m]`, or after `srcgit init`);
 * 2. else the same patch-ids, every message in order (one `git patch-id` for both sides);
 * 3. else, for a squashed patch against a one-message file, the patch-id of the group's net change
 *    (e.g. a back-synced patch update: the patch commit plus its fix-up).
 */
export async function findIdenticalPatches(options: FindIdenticalPatchesOptions): Promise<Set<string>> {
  const same = new Set<string>();
  const compared = options.differing.filter(({ patch, committed }) => {
    if (!haveSameDiffs(committed, patch.content)) return true;
    same.add(patch.fileName);
    return false;
  });
  if (compared.length === 0) return same;
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const ids = await computePatchIds(
    [...compared.map(({ committed }) => committed), ...compared.map(({ patch }) => patch.content)],
    options.git,
    signalOption,
  );
  const byNetChange: { patch: PlannedPatch; committedIds: readonly string[] }[] = [];
  for (const [index, { patch }] of compared.entries()) {
    const committedIds = ids[index] ?? [];
    if (isSamePatch(committedIds, ids[compared.length + index] ?? [])) same.add(patch.fileName);
    else if (patch.netChange !== undefined && committedIds.length === 1)
      byNetChange.push({ patch, committedIds });
  }
  if (byNetChange.length === 0 || options.pathspec === undefined) return same;
  const netIds = await computeDiffPatchIds(
    byNetChange.map(({ patch }) => patch.netChange as NonNullable<PlannedPatch['netChange']>),
    { repoDir: options.repoDir, pathspec: options.pathspec, git: options.git, ...signalOption },
  );
  for (const [position, { patch, committedIds }] of byNetChange.entries()) {
    if (isSamePatch(committedIds, netIds[position] ?? [])) same.add(patch.fileName);
  }
  return same;
}

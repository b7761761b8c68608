import type { GitRunner } from '../git/git-runner';
import { createScratchIndex } from './scratch-index';

export interface PatchUpdateDiffInput {
  readonly git: GitRunner;
  readonly repoDir: string;
  /** The commit the patch applies to in source-git: the parent of its first commit. */
  readonly base: string;
  /** The patch before and after the dist-git commit, with the `-p` levels `%prep` applies them with. */
  readonly before: Uint8Array;
  readonly beforeStrip: number;
  readonly after: Uint8Array;
  readonly afterStrip: number;
  readonly signal?: AbortSignal;
}

/** The diff, or why the old or the new patch does not apply to the base. */
export type PatchUpdateDiff =
  | { readonly ok: true; readonly diff: Buffer; readonly paths: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * What editing a patch in dist-git changes in source-git, whichever patch it is: the difference
 * between the tree the old patch produces and the tree the new one produces, both applied to the
 * commit the patch applies to, in a private index (`git apply --cached`, then `git diff-tree`
 * of the two trees; no working tree). The diff is what the fix-up commit carries at the end of
 * source-git; `generatePatchSeries` folds that commit back into the patch.
 */
export async function patchUpdateDiff(input: PatchUpdateDiffInput): Promise<PatchUpdateDiff> {
  const signal = input.signal === undefined ? {} : { signal: input.signal };
  const index = await createScratchIndex({
    git: input.git,
    repoDir: input.repoDir,
    base: input.base,
    ...signal,
  });
  try {
    const before = await index.tryApply(input.before, [`-p${input.beforeStrip}`]);
    if (!before.ok) return { ok: false, message: `the patch before the commit: ${before.message}` };
    const oldTree = await index.writeTree();
    await index.readTree(input.base);
    const after = await index.tryApply(input.after, [`-p${input.afterStrip}`]);
    if (!after.ok) return { ok: false, message: `the updated patch: ${after.message}` };
    const newTree = await index.writeTree();
    const options = { cwd: input.repoDir, isolated: true, ...signal };
    const [{ stdout }, names] = await Promise.all([
      input.git.run(
        [
          'diff-tree',
          '-p',
          '--binary',
          '--full-index',
          '--no-color',
          '--no-ext-diff',
          '-r',
          oldTree,
          newTree,
        ],
        options,
      ),
      input.git.text(['diff-tree', '-r', '--name-only', '-z', oldTree, newTree], options),
    ]);
    return { ok: true, diff: stdout, paths: names.split('\0').filter((path) => path !== '') };
  } finally {
    await index.dispose();
  }
}

import { createScratchIndex, type ScratchIndex } from '../back-sync/scratch-index';
import { ConverterError } from '../converter-error';
import {
  commitObjectId,
  readCommitObjects,
  rewriteCommitObject,
  writeCommitObjects,
} from '../git/commit-objects';
import type { GitRunner } from '../git/git-runner';
import type { RangeCommit } from '../git/read-range-commits';
import { conversionLimitError } from '../limits/conversion-limits';
import { commitName, type PatchMetadata } from './patch-metadata';

/**
 * What a commit contributes to the patch series, as far as folding is concerned: a patch with an
 * explicit `Patch-name`, a patch named by git's numbering (`unnamed`, if its diff touches what
 * the patches cover), or nothing (`ignored`: `Ignore-patch`).
 */
export type FixupRole = { readonly name: string } | 'unnamed' | 'ignored';

/** The role of a commit from its metadata (a commit whose metadata is invalid counts as unnamed). */
export function fixupRole(
  known: { readonly metadata: PatchMetadata } | { readonly error: unknown },
): FixupRole {
  if (!('metadata' in known)) return 'unnamed';
  if (known.metadata.ignore) return 'ignored';
  return known.metadata.name === undefined ? 'unnamed' : { name: known.metadata.name };
}

export interface FoldFixupCommitsInput {
  readonly repoDir: string;
  readonly git: GitRunner;
  /**
   * The downstream commits, oldest first, as one chain: each commit's parent is the one before
   * it, the first one's is the upstream commit.
   */
  readonly commits: readonly RangeCommit[];
  /** The tree of the first commit's parent (the upstream tree). */
  readonly baseTree: string;
  readonly roleOf: (commit: RangeCommit) => FixupRole;
  /** The pathspec of patch generation, `--` first: an unnamed commit makes a patch when its diff has a path in it. */
  readonly pathspec: readonly string[];
  /**
   * The most bytes one commit's diff may have (`limits.maxPatchBytes`): a larger one is
   * `LIMIT_EXCEEDED`, stopped while git prints it (it could not become a patch anyway).
   */
  readonly maxDiffBytes: number;
  readonly signal?: AbortSignal;
}

/** The chain with every fix-up moved next to its patch; only new, unreferenced objects. */
export interface FoldedHistory {
  /** The new tip: format `<upstream>..<tipSha>` to get the folded series. */
  readonly tipSha: string;
  /** The commits of the new chain, oldest first (the unchanged start keeps its commits). */
  readonly commits: readonly RangeCommit[];
  /** The fix-up commits that were folded, by their original sha, with the patch they fold into. */
  readonly folded: ReadonlyMap<string, string>;
  /**
   * Where each commit of the new chain stood in the original one (0 = oldest): git's numbered
   * patch names follow the original order, so a fold renames no `NNNN-subject.patch` file.
   */
  readonly positionOf: ReadonlyMap<string, number>;
}

/** One commit of the chain being folded. */
interface ChainItem {
  readonly commit: RangeCommit;
  /** The original commit its message, author and committer come from. */
  readonly original: string;
  /** Its position in the original chain. */
  readonly position: number;
  readonly parentTree: string;
  readonly tree: string;
  readonly role: FixupRole;
}

/**
 * Folds fix-up commits into their patches (docs/converter-behaviour.md §2.7.5), as
 * `git rebase --autosquash` would, without touching a working tree, index or ref: a commit whose
 * `Patch-name` is that of an earlier patch with other patches in between (what `updateSourceGit`
 * makes for a patch edited in dist-git) is moved right after that patch's commits when it
 * commutes with the patches in between — its diff applies to the patch's last commit, each
 * commit in between still applies after it, and the chain ends with the very tree it ended with.
 * The moved commits are rewritten in the object store (same author, committer, dates and
 * message; new tree and parent), so the adjacent equal names then squash into one patch file.
 *
 * Returns undefined when no commit needs folding (no git process runs then).
 *
 * @throws ConverterError `PATCH_NAME_CONFLICT` naming the patches in the way when a fix-up does
 *   not commute with them.
 */
export async function foldFixupCommits(input: FoldFixupCommitsInput): Promise<FoldedHistory | undefined> {
  const roles = input.commits.map((commit) => input.roleOf(commit));
  if (!hasCandidate(roles)) return undefined;
  const signal = input.signal === undefined ? {} : { signal: input.signal };
  let items: ChainItem[] = input.commits.map((commit, index) => ({
    commit,
    original: commit.sha,
    position: index,
    parentTree: index === 0 ? input.baseTree : (input.commits[index - 1] as RangeCommit).treeSha,
    tree: commit.treeSha,
    role: roles[index] as FixupRole,
  }));
  const folded = new Map<string, string>();
  let firstMoved: number | undefined;
  const index = await createScratchIndex({
    git: input.git,
    repoDir: input.repoDir,
    base: undefined,
    ...signal,
  });
  try {
    for (let position = 0; position < items.length; position++) {
      const fixup = items[position] as ChainItem;
      if (typeof fixup.role !== 'object') continue;
      const target = lastIndexNamed(items, fixup.role.name, position);
      if (target === undefined || target === position - 1) continue;
      const between = items.slice(target + 1, position);
      if (!(await anyMakesPatch(between, input))) continue;
      const moved = await moveAfter(index, items[target] as ChainItem, fixup, between, input);
      items = [...items.slice(0, target + 1), ...moved, ...items.slice(position + 1)];
      folded.set(fixup.original, fixup.role.name);
      firstMoved = Math.min(firstMoved ?? target + 1, target + 1);
    }
  } finally {
    await index.dispose();
  }
  if (firstMoved === undefined) return undefined;
  return writeChain(items, firstMoved, folded, input);
}

/** True when some named commit has the name of an earlier, non-adjacent one (a cheap first look). */
function hasCandidate(roles: readonly FixupRole[]): boolean {
  const lastSeen = new Map<string, number>();
  for (const [position, role] of roles.entries()) {
    if (typeof role !== 'object') continue;
    const previous = lastSeen.get(role.name);
    if (previous !== undefined && previous < position - 1) return true;
    lastSeen.set(role.name, position);
  }
  return false;
}

function lastIndexNamed(items: readonly ChainItem[], name: string, before: number): number | undefined {
  for (let position = before - 1; position >= 0; position--) {
    const role = (items[position] as ChainItem).role;
    if (typeof role === 'object' && role.name === name) return position;
  }
  return undefined;
}

/** Whether a commit between the patch and its fix-up makes a patch of its own (so they are not adjacent). */
async function anyMakesPatch(between: readonly ChainItem[], input: FoldFixupCommitsInput): Promise<boolean> {
  if (between.some((item) => typeof item.role === 'object')) return true;
  for (const item of between) {
    if (item.role !== 'unnamed') continue;
    const result = await input.git.run(
      ['diff-tree', '--quiet', '-r', item.parentTree, item.tree, ...input.pathspec],
      { cwd: input.repoDir, isolated: true, okExitCodes: [0, 1], ...signalOf(input) },
    );
    if (result.exitCode === 1) return true;
  }
  return false;
}

/**
 * The fix-up applied right after its patch, then every commit in between applied after it, in
 * the scratch index; the trees of the moved commits (the fix-up first). Refuses when a diff does
 * not apply or the chain does not end with the fix-up's tree.
 */
async function moveAfter(
  index: ScratchIndex,
  target: ChainItem,
  fixup: ChainItem,
  between: readonly ChainItem[],
  input: FoldFixupCommitsInput,
): Promise<ChainItem[]> {
  await index.readTree(target.tree);
  const moved: ChainItem[] = [];
  let parentTree = target.tree;
  for (const item of [fixup, ...between]) {
    const diff = await treeDiff(item, input);
    if (diff.length > 0 && !(await index.tryApply(diff)).ok) {
      throw await notCommuting(fixup, between, input);
    }
    const tree = await index.writeTree();
    moved.push({ ...item, parentTree, tree });
    parentTree = tree;
  }
  if (parentTree !== fixup.tree) throw await notCommuting(fixup, between, input);
  return moved;
}

async function treeDiff(item: ChainItem, input: FoldFixupCommitsInput): Promise<Buffer> {
  const tooLarge = new AbortController();
  let bytes = 0;
  const signal =
    input.signal === undefined ? tooLarge.signal : AbortSignal.any([input.signal, tooLarge.signal]);
  try {
    const { stdout } = await input.git.run(
      [
        'diff-tree',
        '-p',
        '--binary',
        '--full-index',
        '--no-color',
        '--no-ext-diff',
        '-r',
        item.parentTree,
        item.tree,
      ],
      {
        cwd: input.repoDir,
        isolated: true,
        signal,
        onStdout: (chunk) => {
          bytes += chunk.length;
          if (bytes > input.maxDiffBytes) tooLarge.abort();
        },
      },
    );
    return stdout;
  } catch (error) {
    if (!tooLarge.signal.aborted || input.signal?.aborted === true) throw error;
    throw conversionLimitError(
      'maxPatchBytes',
      input.maxDiffBytes,
      `the diff of ${commitName(item.commit)}, a commit srcgit moves to fold a fix-up, is larger`,
      { sha: item.original },
    );
  }
}

async function changedPaths(item: ChainItem, input: FoldFixupCommitsInput): Promise<Set<string>> {
  const out = await input.git.text(['diff-tree', '-r', '--name-only', '-z', item.parentTree, item.tree], {
    cwd: input.repoDir,
    isolated: true,
    ...signalOf(input),
  });
  return new Set(out.split('\0').filter((path) => path !== ''));
}

/** The refusal: the patches between the fix-up and its patch that change the files the fix-up changes. */
async function notCommuting(
  fixup: ChainItem,
  between: readonly ChainItem[],
  input: FoldFixupCommitsInput,
): Promise<ConverterError> {
  const name = typeof fixup.role === 'object' ? fixup.role.name : '';
  const paths = await changedPaths(fixup, input);
  const inTheWay: string[] = [];
  const shared = new Set<string>();
  for (const item of between) {
    if (item.role === 'ignored') continue;
    const touched = [...(await changedPaths(item, input))].filter((path) => paths.has(path));
    if (touched.length === 0) continue;
    for (const path of touched) shared.add(path);
    const label = typeof item.role === 'object' ? item.role.name : commitName(item.commit);
    if (!inTheWay.includes(label)) inTheWay.push(label);
  }
  const where =
    inTheWay.length === 0
      ? 'the commits between them'
      : `${inTheWay.join(', ')} (${inTheWay.length === 1 ? 'it changes' : 'they change'} ${[...shared].sort().join(', ')} too)`;
  return new ConverterError(
    'PATCH_NAME_CONFLICT',
    `${commitName(fixup.commit)} is a fix-up of the earlier patch ${name} (same Patch-name), but it does not commute with the patches between them: ${where}. srcgit folds a fix-up into its patch only when moving it right after the patch changes nothing else; rebase source-git so that the fix-up follows the patch's commits (or squash it into them), then run "srcgit update-dist-git" again.`,
    { data: { name, sha: fixup.original, inTheWay } },
  );
}

/** Writes the commits from `from` on with their new trees and parents; returns the new chain. */
async function writeChain(
  items: readonly ChainItem[],
  from: number,
  folded: ReadonlyMap<string, string>,
  input: FoldFixupCommitsInput,
): Promise<FoldedHistory> {
  const signal = signalOf(input);
  const rewrite = items.slice(from);
  const raw = await readCommitObjects(
    input.repoDir,
    input.git,
    rewrite.map((item) => item.original),
    signal,
  );
  const first = rewrite[0] as ChainItem;
  const algorithm = first.original.length === 64 ? 'sha256' : 'sha1';
  let parent = from === 0 ? first.commit.parents[0] : (items[from - 1] as ChainItem).commit.sha;
  const objects: Buffer[] = [];
  const commits: RangeCommit[] = items.slice(0, from).map((item) => item.commit);
  for (const item of rewrite) {
    const object = raw.get(item.original);
    if (object === undefined) {
      throw new ConverterError('GIT_FAILED', `commit ${item.original} vanished from ${input.repoDir}`);
    }
    const parents = parent === undefined ? [] : [parent];
    const rewritten = rewriteCommitObject(object, { parents, tree: item.tree });
    const sha = commitObjectId(rewritten, algorithm);
    objects.push(rewritten);
    commits.push({ ...item.commit, sha, parents, treeSha: item.tree });
    parent = sha;
  }
  await writeCommitObjects(
    input.repoDir,
    input.git,
    objects,
    commits.slice(from).map((commit) => commit.sha),
    signal,
  );
  return {
    tipSha: parent ?? '',
    commits,
    folded,
    positionOf: new Map(
      commits.map((commit, position) => [commit.sha, (items[position] as ChainItem).position]),
    ),
  };
}

function signalOf(input: FoldFixupCommitsInput): { signal?: AbortSignal } {
  return input.signal === undefined ? {} : { signal: input.signal };
}

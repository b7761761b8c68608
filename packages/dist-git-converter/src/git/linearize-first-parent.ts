import { ConverterError } from '../converter-error';
import {
  commitObjectId,
  firstParentOf,
  readCommitObjects,
  rewriteCommitObject,
  writeCommitObjects,
} from './commit-objects';
import type { GitRunner } from './git-runner';

export interface LinearizeFirstParentOptions {
  readonly repoDir: string;
  readonly git: GitRunner;
  /** The commit to start from (HEAD). */
  readonly tipSha: string;
  /** The commits of the range; the first-parent chain stops at the first commit outside it. */
  readonly rangeShas: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

export interface LinearizedHistory {
  /** The rewritten tip: format `<upstream>..<tipSha>` to get one patch per chain commit. */
  readonly tipSha: string;
  /** The original commits of the first-parent chain, oldest first. */
  readonly chain: readonly string[];
  /** Rewritten commit → the original commit it stands for. */
  readonly originalOf: ReadonlyMap<string, string>;
}

/**
 * Linearises a history in the object store only (docs/converter-behaviour.md E7, fixed profile): each commit
 * of the first-parent chain from `tipSha` back to the range start is rewritten with only its
 * (rewritten) first parent, keeping author, committer, dates and message byte for byte. A merge
 * thus becomes an ordinary commit whose diff is the merge result against its first parent; the
 * side-branch commits disappear. No ref, branch or working-tree file is created or changed; the
 * new commit objects are unreferenced and git's gc prunes them in time.
 */
export async function linearizeFirstParent(options: LinearizeFirstParentOptions): Promise<LinearizedHistory> {
  const { repoDir, git, rangeShas } = options;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const parentsOf = new Map<string, string | undefined>();

  const raw = await readCommitObjects(repoDir, git, [...rangeShas], signal);
  for (const [sha, object] of raw) parentsOf.set(sha, firstParentOf(object));

  const chain: string[] = [];
  for (
    let sha: string | undefined = options.tipSha;
    sha !== undefined && rangeShas.has(sha);
    sha = parentsOf.get(sha)
  ) {
    chain.push(sha);
  }
  chain.reverse();

  const algorithm = options.tipSha.length === 64 ? 'sha256' : 'sha1';
  const originalOf = new Map<string, string>();
  const objects: Buffer[] = [];
  let newParent: string | undefined;
  for (const [index, sha] of chain.entries()) {
    const object = raw.get(sha);
    if (object === undefined)
      throw new ConverterError('GIT_FAILED', `commit ${sha} vanished from ${repoDir}`);
    const parent = index === 0 ? firstParentOf(object) : newParent;
    const rewritten = rewriteCommitObject(object, { parents: parent === undefined ? [] : [parent] });
    const newSha = commitObjectId(rewritten, algorithm);
    objects.push(rewritten);
    originalOf.set(newSha, sha);
    newParent = newSha;
  }
  if (newParent === undefined) {
    return { tipSha: options.tipSha, chain, originalOf };
  }
  await writeCommitObjects(repoDir, git, objects, [...originalOf.keys()], signal);
  return { tipSha: newParent, chain, originalOf };
}

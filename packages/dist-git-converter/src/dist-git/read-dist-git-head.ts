import git from 'isomorphic-git';
import { ConverterError } from '../converter-error';
import type { GitFileMode, TreeFile } from '../sync/tree-file';
import type { DistGitRepository } from './dist-git-repository';

/** What dist-git's `HEAD` holds. */
export interface DistGitHead {
  /** The commit `HEAD` points at; undefined in a repository without commits. */
  readonly sha: string | undefined;
  /** The checked-out branch (`main`); undefined when `HEAD` is detached. */
  readonly branch: string | undefined;
  /** Every file of the commit's tree, with its bytes. Submodules are not listed. */
  readonly tree: ReadonlyMap<string, TreeFile>;
}

/**
 * Reads the commit at dist-git's `HEAD` and all of its files into memory with isomorphic-git
 * (dist-git repositories are small: a spec, patches, a few files).
 *
 * @throws ConverterError `GIT_FAILED` when the directory is not a git repository.
 */
export async function readDistGitHead(repository: DistGitRepository): Promise<DistGitHead> {
  const { fs, dir, cache } = repository;
  let sha: string | undefined;
  try {
    await git.findRoot({ fs, filepath: dir }).then((root) => {
      if (root !== dir) throw new Error(`the repository's root is ${root}`);
    });
  } catch (cause) {
    throw new ConverterError(
      'GIT_FAILED',
      `${dir} is not the root of a git repository (the dist-git working tree)`,
      {
        cause,
        data: { dir },
      },
    );
  }
  try {
    sha = await git.resolveRef({ fs, dir, ref: 'HEAD' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'NotFoundError') throw error;
    sha = undefined;
  }
  const branch = (await git.currentBranch({ fs, dir, test: true })) ?? undefined;
  const tree = new Map<string, TreeFile>();
  if (sha !== undefined) {
    const { commit } = await git.readCommit({ fs, dir, oid: sha, cache });
    await readTreeInto(repository, commit.tree, '', tree);
  }
  return { sha, branch, tree };
}

async function readTreeInto(
  repository: DistGitRepository,
  oid: string,
  prefix: string,
  into: Map<string, TreeFile>,
): Promise<void> {
  const { fs, dir, cache } = repository;
  const { tree } = await git.readTree({ fs, dir, oid, cache });
  for (const entry of tree) {
    const path = prefix === '' ? entry.path : `${prefix}/${entry.path}`;
    if (entry.type === 'tree') {
      await readTreeInto(repository, entry.oid, path, into);
    } else if (entry.type === 'blob') {
      const { blob } = await git.readBlob({ fs, dir, oid: entry.oid, cache });
      into.set(path, { mode: fileMode(entry.mode), content: blob });
    }
  }
}

function fileMode(mode: string): GitFileMode {
  if (mode === '120000') return '120000';
  if (mode === '100755') return '100755';
  return '100644';
}

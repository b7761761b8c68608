import { loadIsomorphicGit } from './load-isomorphic-git';
import { ConverterError } from '../converter-error';
import type { CommittedFile, GitFileMode } from '../sync/tree-file';
import type { DistGitRepository } from './dist-git-repository';

/** What dist-git's `HEAD` holds. */
export interface DistGitHead {
  /** The commit `HEAD` points at; undefined in a repository without commits. */
  readonly sha: string | undefined;
  /** The checked-out branch (`main`); undefined when `HEAD` is detached. */
  readonly branch: string | undefined;
  /** Every file of the commit's tree (mode and blob id). Submodules are not listed. */
  readonly tree: ReadonlyMap<string, CommittedFile>;
  /** Reads the bytes of a file of {@link tree}. */
  read(path: string): Promise<Uint8Array>;
}

/**
 * Lists the commit at dist-git's `HEAD` with isomorphic-git: every file's mode and blob id; bytes
 * are read on demand (a conversion needs the spec and the patches it regenerates, not every file).
 *
 * @throws ConverterError `GIT_FAILED` when the directory is not a git repository.
 */
export async function readDistGitHead(repository: DistGitRepository): Promise<DistGitHead> {
  const git = loadIsomorphicGit();
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
  const tree = new Map<string, CommittedFile>();
  if (sha !== undefined) {
    const { commit } = await git.readCommit({ fs, dir, oid: sha, cache });
    await readTreeInto(repository, commit.tree, '', tree);
  }
  return {
    sha,
    branch,
    tree,
    async read(path) {
      const file = tree.get(path);
      if (file === undefined) throw new Error(`${path} is not in dist-git HEAD`);
      return (await git.readBlob({ fs, dir, oid: file.oid, cache })).blob;
    },
  };
}

async function readTreeInto(
  repository: DistGitRepository,
  oid: string,
  prefix: string,
  into: Map<string, CommittedFile>,
): Promise<void> {
  const git = loadIsomorphicGit();
  const { fs, dir, cache } = repository;
  const { tree } = await git.readTree({ fs, dir, oid, cache });
  for (const entry of tree) {
    const path = prefix === '' ? entry.path : `${prefix}/${entry.path}`;
    if (entry.type === 'tree') {
      await readTreeInto(repository, entry.oid, path, into);
    } else if (entry.type === 'blob') {
      into.set(path, { mode: fileMode(entry.mode), oid: entry.oid });
    }
  }
}

function fileMode(mode: string): GitFileMode {
  if (mode === '120000') return '120000';
  if (mode === '100755') return '100755';
  return '100644';
}

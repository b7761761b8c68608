import { join } from 'node:path';
import { loadIsomorphicGit } from './load-isomorphic-git';
import type { TreeChange } from './apply-tree-changes';
import type { DistGitRepository } from './dist-git-repository';
import type { GitIdentity } from './git-identity';

/**
 * Stages `changes` (already in the working tree) and commits them with isomorphic-git. If
 * anything fails, the index is restored byte for byte before the error is rethrown; the branch
 * only moves when the commit object is complete.
 */
export async function commitDistGit(options: {
  readonly repository: DistGitRepository;
  readonly gitDir: string;
  readonly changes: readonly TreeChange[];
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}): Promise<string> {
  const { repository, changes } = options;
  const git = loadIsomorphicGit();
  const { fs, dir, cache } = repository;
  const indexPath = join(options.gitDir, 'index');
  const savedIndex = await fs.promises.readFile(indexPath).catch(() => undefined);
  try {
    for (const change of changes) {
      if (change.after === undefined) await git.remove({ fs, dir, filepath: change.path, cache });
    }
    const added = changes.filter((change) => change.after !== undefined).map((change) => change.path);
    // One call stages every file: the index is read and written once.
    if (added.length > 0) await git.add({ fs, dir, filepath: added, cache, force: true, parallel: true });
    return await git.commit({
      fs,
      dir,
      cache,
      message: options.message,
      author: options.author,
      committer: options.committer,
    });
  } catch (error) {
    if (savedIndex === undefined) await fs.promises.rm(indexPath, { force: true });
    else await fs.promises.writeFile(indexPath, savedIndex);
    throw error;
  }
}

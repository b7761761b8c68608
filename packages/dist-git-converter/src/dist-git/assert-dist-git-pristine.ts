import { loadIsomorphicGit } from './load-isomorphic-git';
import { ConverterError } from '../converter-error';
import type { DistGitRepository } from './dist-git-repository';

/**
 * The pristine check of converter-spec §2.2 step 2: no staged or unstaged change and no
 * untracked file, ignored files included (`git clean -xdn` must be empty). Read-only: the index's
 * stat cache is not refreshed.
 *
 * @throws ConverterError `DIST_GIT_DIRTY` naming every offending path.
 */
export async function assertDistGitPristine(repository: DistGitRepository): Promise<void> {
  const git = loadIsomorphicGit();
  const { fs, dir, cache } = repository;
  const rows = await git.statusMatrix({
    fs,
    dir,
    cache,
    ignored: true,
    refresh: false,
    // With `ignored`, isomorphic-git also lists the files inside `.git` itself.
    filter: (path) => path !== '.git' && !path.startsWith('.git/'),
  });
  const modified: string[] = [];
  const untracked: string[] = [];
  for (const [path, head, workdir, stage] of rows) {
    if (head === 1 && workdir === 1 && stage === 1) continue;
    if (head === 0 && stage === 0) untracked.push(path);
    else modified.push(path);
  }
  if (modified.length === 0 && untracked.length === 0) return;
  const parts = [
    modified.length > 0 ? `changed: ${list(modified)}` : undefined,
    untracked.length > 0 ? `untracked or ignored: ${list(untracked)}` : undefined,
  ].filter((part) => part !== undefined);
  throw new ConverterError(
    'DIST_GIT_DIRTY',
    `cannot update the dist-git repository ${dir}: it is not pristine (${parts.join('; ')}). Use 'git reset --hard HEAD' to reset changed files and 'git clean -xdff' to delete untracked and ignored files`,
    { data: { dir, modified, untracked } },
  );
}

function list(paths: readonly string[]): string {
  const shown = paths.slice(0, 10).join(', ');
  return paths.length > 10 ? `${shown} and ${paths.length - 10} more` : shown;
}

import { ConverterError } from '../converter-error';
import type { DistGitHead } from './read-dist-git-head';

/**
 * The pristine check of docs/converter-behaviour.md §2.2 step 2: no staged or unstaged change and no
 * untracked file, ignored files included (`git clean -xdn` must be empty), as `git status` saw them
 * when `head` was read with `listUntracked`.
 *
 * @throws ConverterError `DIST_GIT_DIRTY` naming every offending path.
 */
export function assertDistGitPristine(dir: string, head: DistGitHead): void {
  const { modified, untracked } = head;
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

import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';

/**
 * Refuses a source-git work tree with staged or unstaged changes to tracked files, or untracked
 * files (ignored files do not count): srcgit moves the branch and updates the work tree, and must
 * never mix its commits with the user's unfinished work.
 *
 * @throws {ConverterError} `SOURCE_GIT_DIRTY` naming the first paths.
 */
export async function assertSourceGitPristine(
  git: GitRunner,
  sourceGitDir: string,
  operation: string,
  signal?: AbortSignal,
): Promise<void> {
  const out = await git.text(['status', '--porcelain=v1', '-z', '--untracked-files=all'], {
    cwd: sourceGitDir,
    ...(signal === undefined ? {} : { signal }),
  });
  const paths = out
    .split('\0')
    .filter((record) => /^.. /.test(record))
    .map((record) => record.slice(3));
  if (paths.length === 0) return;
  const shown = paths.slice(0, 10).join(', ') + (paths.length > 10 ? `, … (${paths.length} paths)` : '');
  throw new ConverterError(
    'SOURCE_GIT_DIRTY',
    `Cannot ${operation}: the source-git repository ${sourceGitDir} has uncommitted changes or untracked files (${shown}). Commit or remove them first.`,
    { data: { sourceGitDir, paths } },
  );
}

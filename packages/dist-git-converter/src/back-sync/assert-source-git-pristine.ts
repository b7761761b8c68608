import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';

/**
 * Refuses a source-git work tree with staged or unstaged changes to tracked files, or untracked
 * files (ignored files do not count): srcgit moves the branch and updates the work tree, and must
 * never mix its commits with the user's unfinished work.
 *
 * The index's stat information is refreshed and written first (`update-index -q --refresh`, what
 * a plain `git status` does when it may take the index lock): in a checkout copied with `cp -a` or
 * restored from tar every entry looks changed until then, and `git status` under the runner's
 * `GIT_OPTIONAL_LOCKS=0` would re-read every file without keeping what it learnt. Contents are
 * never changed; a file that really differs stays a change.
 *
 * @throws {ConverterError} `SOURCE_GIT_DIRTY` naming the first paths.
 */
export async function assertSourceGitPristine(
  git: GitRunner,
  sourceGitDir: string,
  operation: string,
  signal?: AbortSignal,
): Promise<void> {
  const options = { cwd: sourceGitDir, ...(signal === undefined ? {} : { signal }) };
  await git.run(['update-index', '-q', '--refresh'], { ...options, okExitCodes: [0, 1] });
  const out = await git.text(['status', '--porcelain=v1', '-z', '--untracked-files=all'], options);
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

import type { GitRunner } from '../git/git-runner';

/**
 * Fast-forwards the checked-out branch (or detached HEAD) of `repoDir` from `from` to `to`, and
 * updates its index and work tree with git's two-tree merge (`read-tree -m -u`), which refuses
 * to overwrite local changes. `update-ref` checks that HEAD still is `from`.
 *
 * The index's stat information is refreshed first (`update-index -q --refresh`): in a checkout
 * copied with `cp -a` or restored from tar every entry looks modified until it is, and the merge
 * would refuse with "Entry … not uptodate". (`git status` refreshes only in memory: the runner's
 * `GIT_OPTIONAL_LOCKS=0` keeps it from writing the index.) A file that really differs still stops
 * the merge.
 */
export async function moveBranch(
  git: GitRunner,
  repoDir: string,
  from: string,
  to: string,
  reason: string,
  signal?: AbortSignal,
): Promise<void> {
  const options = { cwd: repoDir, ...(signal === undefined ? {} : { signal }) };
  await git.run(['update-index', '-q', '--refresh'], { ...options, okExitCodes: [0, 1] });
  await git.run(['read-tree', '-m', '-u', from, to], options);
  try {
    await git.run(['update-ref', '-m', reason, 'HEAD', to, from], options);
  } catch (error) {
    // HEAD moved meanwhile: put the work tree back where HEAD is, then report the failure.
    await git.run(['read-tree', '-m', '-u', to, from], options).catch(() => undefined);
    throw error;
  }
}

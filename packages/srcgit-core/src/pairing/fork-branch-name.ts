/**
 * @module
 * The bot's dist-git fork branch of a source-git MR.
 */

/**
 * The fork branch name from the template (default `{dgBranch}-src-{sgIid}`, service-spec §1.A
 * idempotency rule 3): version-independent, so a spec version bump keeps the same branch and MR.
 *
 * @example
 * forkBranchName('{dgBranch}-src-{sgIid}', 'c9s', 15); // 'c9s-src-15'
 */
export function forkBranchName(template: string, distGitBranch: string, sourceGitIid: number): string {
  return template.replaceAll('{dgBranch}', distGitBranch).replaceAll('{sgIid}', String(sourceGitIid));
}

/**
 * Whether `branch` is a fork branch of source-git MR `sourceGitIid` in the original's form
 * `{version}-{dgBranch}-src-{iid}` or the current `{dgBranch}-src-{iid}` (the `-src-<iid>` tail
 * that older tooling matches with `.+-src-(\d+)`).
 */
export function isLegacyForkBranch(branch: string, sourceGitIid: number): boolean {
  return branch.endsWith(`-src-${sourceGitIid}`);
}

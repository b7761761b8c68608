/**
 * @module
 * The bot's dist-git fork branch of a source-git MR.
 */

/**
 * The fork branch name from the template (default `{dgBranch}-src-{sgIid}`, docs/bot-behaviour.md §1.A
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

/**
 * Whether `branch` is a fork branch the bot makes for source-git MR `sourceGitIid`: the template
 * with `{sgIid}` filled in and any non-empty dist-git branch name for each `{dgBranch}` (a
 * dist-git MR keeps its branch when its target branch changes), or a legacy fork branch (see
 * {@link isLegacyForkBranch}). Linear in the length of `branch`: the template's literal parts are
 * matched left to right, each at its first possible place.
 *
 * @example
 * isForkBranchOf('{dgBranch}-src-{sgIid}', 'c9s-src-15', 15); // true
 * isForkBranchOf('{dgBranch}-src-{sgIid}', 'c9s-src-16', 15); // false
 */
export function isForkBranchOf(template: string, branch: string, sourceGitIid: number): boolean {
  if (isLegacyForkBranch(branch, sourceGitIid)) return true;
  const parts = template.replaceAll('{sgIid}', String(sourceGitIid)).split('{dgBranch}');
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  if (parts.length === 1) return branch === first;
  if (!branch.startsWith(first) || !branch.endsWith(last)) return false;
  // Each `{dgBranch}` takes at least one character; the last literal part ends the branch.
  let position = first.length;
  for (const middle of parts.slice(1, -1)) {
    const at = branch.indexOf(middle, position + 1);
    if (at < 0) return false;
    position = at + middle.length;
  }
  return branch.length - last.length >= position + 1;
}

import type { SyncStatusReport } from './sync-status-report';

export interface FormatSyncStatusOptions {
  /** How to name source-git in the text (default: the path in the report). */
  readonly sourceGitLabel?: string;
  /** How to name dist-git in the text (default: the path in the report). */
  readonly distGitLabel?: string;
  /** The command that runs srcgit, used in the advice (default `srcgit`). */
  readonly command?: string;
}

const DIVERGED_HELP =
  'Sync status needs to be reestablished manually, see\nhttps://packit.dev/source-git/work-with-source-git/fix-diverged-history';

/**
 * The human text of a sync status (the layout of packit's `source-git status`,
 * docs/converter-behaviour.md §4.3, with correct grammar and srcgit's commands): what the state is, and which
 * command to run next. Ends without a newline.
 */
export function formatSyncStatus(report: SyncStatusReport, options: FormatSyncStatusOptions = {}): string {
  const sg = options.sourceGitLabel ?? report.sourceGit.path;
  const dg = options.distGitLabel ?? report.distGit.path;
  const srcgit = options.command ?? 'srcgit';
  const firstSourceGit = short(report.sourceGit.commitsToSync[0]?.sha);
  const firstDistGit = short(report.distGit.commitsToSync[0]?.sha);
  const lines: string[] = [];
  switch (report.state) {
    case 'in-sync':
      lines.push(`'${sg}' is up to date with '${dg}'.`);
      if (report.reason === 'same-tree') {
        lines.push(
          `The dist-git commit '${short(report.distGit.head)}' has no From-source-git-commit trailer, but its files are exactly what converting '${short(report.sourceGit.head)}' gives.`,
        );
      }
      break;
    case 'source-git-ahead':
      lines.push(
        `'${sg}' is ahead of '${dg}' by ${commits(report.sourceGit.ahead)}.`,
        `Use "${srcgit} update-dist-git ${sg} ${dg}"`,
        `to transform changes from '${sg}' to '${dg}'.`,
        `The first source-git commit to be synced is '${firstSourceGit}'.`,
      );
      break;
    case 'dist-git-ahead':
      lines.push(
        `'${sg}' is behind '${dg}' by ${commits(report.distGit.ahead)}.`,
        `Use "${srcgit} update-source-git ${dg} ${sg}"`,
        `to transform changes from '${dg}' to '${sg}'.`,
        `The first dist-git commit to be synced is '${firstDistGit}'.`,
      );
      break;
    case 'diverged':
      if (report.reason === 'content-differs') {
        lines.push(
          `'${sg}' and '${dg}' have diverged: the sync trailers say they are in sync, but converting '${sg}' does not give '${dg}'.`,
          `Files that differ: ${report.confirmation.differingPaths.join(', ')}.`,
          `Use "${srcgit} update-dist-git --dry-run ${sg} ${dg}" to see the difference.`,
        );
      } else {
        lines.push(
          `'${sg}' and '${dg}' have diverged.`,
          `The first source-git commit to be synced is '${firstSourceGit}'.`,
          `The first dist-git commit to be synced is '${firstDistGit}'.`,
        );
      }
      lines.push(DIVERGED_HELP);
      break;
  }
  for (const [side, name] of [
    [report.sourceGit, 'source-git'],
    [report.distGit, 'dist-git'],
  ] as const) {
    if (side.rewritten) {
      lines.push(
        `The ${name} history was rewritten after the last sync: the synced commit '${short(side.syncedCommit)}' is no longer an ancestor of HEAD.`,
      );
    }
  }
  return lines.join('\n');
}

function short(sha: string | undefined): string {
  return sha === undefined ? '' : sha.slice(0, 8);
}

function commits(count: number): string {
  return count === 1 ? '1 commit' : `${count} commits`;
}

import { ConverterError } from '../converter-error';
import type { SyncStatusCheckContext, SyncStatusCheckResult } from '../update-dist-git';
import { formatSyncStatus } from './format-sync-status';
import { syncStatusFromTrailers } from './sync-status-from-trailers';

/**
 * The sync-status pre-check of `updateDistGit` (docs/converter-behaviour.md §2.2 step 1), ready to pass as
 * its `checkSyncStatus` option: source-git ahead → convert; in sync → nothing to do (with the status
 * text); dist-git ahead or diverged → `OUT_OF_SYNC` with the status text (absolute paths), so
 * that dist-git changes are never overwritten. Rewritten source-git history counts as ahead
 * (Q29), so `update-dist-git` converts it instead of doing nothing. A dist-git `HEAD` committed
 * by hand without the trailer is in sync when its tree is the conversion of source-git `HEAD`
 * (checked with the conversion's `limits`).
 *
 * @example
 * ```ts
 * await updateDistGit({ sourceGitDir, distGitDir, message: 'Update', checkSyncStatus });
 * ```
 */
export async function checkSyncStatus(context: SyncStatusCheckContext): Promise<SyncStatusCheckResult> {
  const report = await syncStatusFromTrailers({
    sourceGitDir: context.sourceGitDir,
    distGitDir: context.distGitDir,
    git: context.git,
    ...(context.limits === undefined ? {} : { limits: context.limits }),
  });
  const text = formatSyncStatus(report);
  switch (report.state) {
    case 'source-git-ahead':
      return { action: 'proceed' };
    case 'in-sync':
      return { action: 'up-to-date', message: text };
    case 'dist-git-ahead':
    case 'diverged':
      throw new ConverterError('OUT_OF_SYNC', text, { data: { state: report.state } });
  }
}

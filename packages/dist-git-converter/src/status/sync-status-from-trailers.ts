import type { GitRunner } from '../git/git-runner';
import type { ConversionLimits } from '../limits/conversion-limits';
import { convertsToDistGitHead } from './converts-to-dist-git-head';
import { findSyncPoint } from './find-sync-point';
import {
  STATUS_COMMIT_LIMIT,
  type StatusCommit,
  type SyncSide,
  type SyncState,
  type SyncStatusReport,
} from './sync-status-report';

export interface SyncStatusFromTrailersOptions {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly git: GitRunner;
  /**
   * When the trailers say the repositories diverged and dist-git `HEAD` has no
   * `From-source-git-commit` trailer, accept `HEAD` as a synchronisation point if its tree is
   * what converting source-git `HEAD` gives (a sync committed by hand): one dry-run conversion.
   * Default true.
   */
  readonly acceptSameTree?: boolean;
  /** Size limits of that conversion (see `UpdateDistGitOptions.limits`). */
  readonly limits?: Partial<ConversionLimits>;
  readonly signal?: AbortSignal;
}

/**
 * The sync status from the trailers alone (docs/converter-behaviour.md §4.1–4.2, with Q29 fixed): the last
 * synchronisation pair, and the commits each repository has after it. A recorded commit that is
 * no longer an ancestor of HEAD (rewritten history) makes that side ahead by every commit of HEAD
 * it does not contain, never "up to date".
 *
 * A dist-git `HEAD` committed by hand without the trailer (`git commit -am sync` after
 * `update-dist-git` without `-m`) is a synchronisation point when its tree is exactly the
 * conversion of source-git `HEAD` (state `in-sync`, reason `same-tree`, recorded in `tree`);
 * that costs one dry-run conversion, and only when the trailers say `diverged` (a hand-committed
 * sync follows source-git commits, so both sides are ahead) and dist-git `HEAD` has no trailer.
 * Plain dist-git commits (`dist-git-ahead`, the usual input of `updateSourceGit`) cost nothing.
 *
 * This is the cheap pre-check of `updateDistGit` and `updateSourceGit`; `syncStatus` adds the
 * confirmation by conversion.
 *
 * @throws {ConverterError} `SYNC_MARKER_MISSING`, `SYNC_MARKER_INVALID`, `GIT_FAILED`.
 */
export async function syncStatusFromTrailers(
  options: SyncStatusFromTrailersOptions,
): Promise<SyncStatusReport> {
  const { sourceGitDir, distGitDir, git, signal } = options;
  const { syncPoint, sourceGitHead, distGitHead, distGitHeadMarked } = await findSyncPoint(options);
  const [sourceGit, distGit] = await Promise.all([
    readSide(git, sourceGitDir, sourceGitHead, syncPoint.sourceGitCommit, signal),
    readSide(git, distGitDir, distGitHead, syncPoint.distGitCommit, signal),
  ]);
  const state: SyncState =
    sourceGit.ahead === 0
      ? distGit.ahead === 0
        ? 'in-sync'
        : 'dist-git-ahead'
      : distGit.ahead === 0
        ? 'source-git-ahead'
        : 'diverged';
  if (
    state === 'diverged' &&
    !distGitHeadMarked &&
    options.acceptSameTree !== false &&
    (await convertsToDistGitHead({
      sourceGitDir,
      distGitDir,
      sourceGitHead,
      distGitHead,
      git,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(signal === undefined ? {} : { signal }),
    }))
  ) {
    return sameTreeReport(sourceGit, distGit);
  }
  return {
    schemaVersion: 1,
    state,
    reason: sourceGit.rewritten || distGit.rewritten ? 'history-rewritten' : 'trailers',
    sourceGit,
    distGit,
    syncPoint,
    confirmation: { checked: false, differingPaths: [] },
  };
}

async function readSide(
  git: GitRunner,
  dir: string,
  head: string,
  syncedCommit: string,
  signal: AbortSignal | undefined,
): Promise<SyncSide> {
  const signalOption = signal === undefined ? {} : { signal };
  const list = (range: readonly string[]): Promise<string> =>
    git.text(['log', '--reverse', '--format=%H%x00%s', ...range, '--'], { cwd: dir, ...signalOption });
  // A commit that is both a descendant of the synced commit and an ancestor of HEAD exists exactly
  // when the synced commit is a proper ancestor of HEAD: an empty ancestry path with HEAD elsewhere
  // means the synced commit was rewritten away (no `merge-base --is-ancestor` needed).
  const descendants =
    syncedCommit === head ? '' : await list(['--ancestry-path', `${syncedCommit}..${head}`]);
  const rewritten = syncedCommit !== head && descendants === '';
  const log = rewritten ? await list([head, '--not', syncedCommit]) : descendants;
  const lines = log === '' ? [] : log.replace(/\n$/, '').split('\n');
  const commitsToSync: StatusCommit[] = lines.slice(0, STATUS_COMMIT_LIMIT).map((line) => {
    const separator = line.indexOf('\0');
    return { sha: line.slice(0, separator), subject: line.slice(separator + 1) };
  });
  return { path: dir, head, syncedCommit, ahead: lines.length, commitsToSync, rewritten };
}

/** Both `HEAD`s as the synchronisation pair: dist-git `HEAD`'s tree is source-git `HEAD` converted. */
function sameTreeReport(sourceGit: SyncSide, distGit: SyncSide): SyncStatusReport {
  const synced = (side: SyncSide): SyncSide => ({
    ...side,
    syncedCommit: side.head,
    ahead: 0,
    commitsToSync: [],
    rewritten: false,
  });
  return {
    schemaVersion: 1,
    state: 'in-sync',
    reason: 'same-tree',
    sourceGit: synced(sourceGit),
    distGit: synced(distGit),
    syncPoint: {
      sourceGitCommit: sourceGit.head,
      distGitCommit: distGit.head,
      recordedIn: 'tree',
      markerCommit: distGit.head,
    },
    confirmation: { checked: true, differingPaths: [] },
  };
}

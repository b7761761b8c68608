import { resolve } from 'node:path';
import { createGitRunner, type GitRunner } from './git/git-runner';
import type { ConversionLimits } from './limits/conversion-limits';
import { syncStatusFromTrailers } from './status/sync-status-from-trailers';
import { readHeadCommit } from './cache/read-head-commit';
import { readStatusCache, writeStatusCache } from './status/status-cache';
import type { SyncStatusReport } from './status/sync-status-report';
import { updateDistGit, type UpdateDistGitResult } from './update-dist-git';

export interface SyncStatusOptions {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  /**
   * Confirm an `in-sync` answer of the trailers by conversion (default true): converting
   * source-git must give exactly dist-git HEAD, else the state is `diverged` with reason
   * `content-differs`.
   */
  readonly confirm?: boolean;
  readonly git?: GitRunner;
  /** Size limits of the confirming conversion (see `UpdateDistGitOptions.limits`). */
  readonly limits?: Partial<ConversionLimits>;
  /**
   * Use and fill the status cache (`.git/srcgit/status-cache.json` in source-git, keyed by both
   * `HEAD` commits and the srcgit build; confirmed answers only). Default true.
   */
  readonly cache?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Where a source-git and a dist-git repository stand (docs/converter-behaviour.md §4, fixed profile):
 * `in-sync`, `source-git-ahead` by N, `dist-git-ahead` by N, or `diverged`, from the
 * `From-dist-git-commit` / `From-source-git-commit` trailers — a rewritten branch is never "up to
 * date" (Q29) — and, when the trailers say in sync, confirmed by conversion: a dry run of
 * `updateDistGit` must find nothing to change (incrementally, from the conversion recorded for
 * dist-git `HEAD`, when there is one). Nothing is written to either repository; a confirmed
 * answer is cached in source-git's git directory for these two `HEAD` commits, so asking again
 * answers at once.
 *
 * @throws {ConverterError} `SYNC_MARKER_MISSING`, `SYNC_MARKER_INVALID`, and when confirming,
 *   whatever the conversion reports (`CONFIG_INVALID`, `SPEC_INVALID`, …).
 * @example
 * ```ts
 * const report = await syncStatus({ sourceGitDir: 'src/beer', distGitDir: 'rpms/beer' });
 * console.log(formatSyncStatus(report)); // 'src/beer' is up to date with 'rpms/beer'.
 * ```
 */
export async function syncStatus(options: SyncStatusOptions): Promise<SyncStatusReport> {
  if (options.confirm === false || options.cache === false) return confirmedStatus(options);
  // The cache: both HEADs read from their files (no git process); a HEAD that git would read
  // otherwise (a linked worktree, …) only means no cache.
  const [sourceGitHead, distGitHead] = await Promise.all([
    readHeadCommit(options.sourceGitDir),
    readHeadCommit(options.distGitDir),
  ]);
  const limits = JSON.stringify(options.limits ?? {});
  const paths = { sourceGitDir: options.sourceGitDir, distGitDir: options.distGitDir };
  if (sourceGitHead !== undefined && distGitHead !== undefined) {
    const cached = await readStatusCache({ ...paths, sourceGitHead, distGitHead, limits }, paths);
    if (cached !== undefined) return cached;
  }
  const report = await confirmedStatus(options);
  // Stored for the HEADs the answer is about (they may have moved meanwhile).
  await writeStatusCache(
    { ...paths, sourceGitHead: report.sourceGit.head, distGitHead: report.distGit.head, limits },
    report,
  );
  return report;
}

/** The answer from the trailers, confirmed by conversion. */
async function confirmedStatus(options: SyncStatusOptions): Promise<SyncStatusReport> {
  const git = options.git ?? createGitRunner();
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const readTrailers = (): Promise<SyncStatusReport> =>
    syncStatusFromTrailers({
      sourceGitDir: options.sourceGitDir,
      distGitDir: options.distGitDir,
      git,
      // A hand-committed dist-git HEAD is checked by conversion too, unless told not to convert.
      acceptSameTree: options.confirm !== false,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...signalOption,
    });
  if (options.confirm === false) return readTrailers();
  // The trailers are read as the conversion's pre-check: it starts them once format-patch runs
  // (the critical path), and stops converting as soon as they say "not in sync" (the answer is
  // then theirs, and the conversion is not needed).
  let trailers: Promise<SyncStatusReport> | undefined;
  let preview: UpdateDistGitResult;
  try {
    preview = await updateDistGit({
      sourceGitDir: resolve(options.sourceGitDir),
      distGitDir: resolve(options.distGitDir),
      dryRun: true,
      checkPristine: false,
      git,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      checkSyncStatus: async () => {
        trailers = readTrailers();
        const report = await trailers;
        return report.state === 'in-sync' ? { action: 'proceed' } : { action: 'up-to-date', message: '' };
      },
      ...signalOption,
    });
  } catch (error) {
    // The conversion failed, perhaps before the pre-check ran (a bad configuration): the trailers
    // still answer when they say "not in sync"; otherwise the failure is the answer.
    const report = await (trailers ?? readTrailers());
    if (report.state !== 'in-sync') return report;
    throw error;
  }
  const report = await (trailers ?? readTrailers());
  if (report.state !== 'in-sync') return report;
  const differingPaths = preview.plan.files.map((file) => file.path);
  if (differingPaths.length === 0) return { ...report, confirmation: { checked: true, differingPaths } };
  return {
    ...report,
    state: 'diverged',
    reason: 'content-differs',
    confirmation: { checked: true, differingPaths },
  };
}

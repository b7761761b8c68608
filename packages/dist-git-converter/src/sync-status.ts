import { resolve } from 'node:path';
import { createGitRunner, type GitRunner } from './git/git-runner';
import { syncStatusFromTrailers } from './status/sync-status-from-trailers';
import type { SyncStatusReport } from './status/sync-status-report';
import { updateDistGit } from './update-dist-git';

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
  readonly signal?: AbortSignal;
}

/**
 * Where a source-git and a dist-git repository stand (converter-spec §4, fixed profile):
 * `in-sync`, `source-git-ahead` by N, `dist-git-ahead` by N, or `diverged`, from the
 * `From-dist-git-commit` / `From-source-git-commit` trailers — a rewritten branch is never "up to
 * date" (Q29) — and, when the trailers say in sync, confirmed by conversion: a dry run of
 * `updateDistGit` must find nothing to change. Nothing is written.
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
  const git = options.git ?? createGitRunner();
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const trailers = syncStatusFromTrailers({
    sourceGitDir: options.sourceGitDir,
    distGitDir: options.distGitDir,
    git,
    ...signalOption,
  });
  if (options.confirm === false) return trailers;
  // The conversion runs next to the trailer reads (it only matters when they say "in sync"), and
  // is cancelled as soon as they say otherwise.
  const conversion = new AbortController();
  const cancel = (): void => conversion.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', cancel, { once: true });
  const preview = updateDistGit({
    sourceGitDir: resolve(options.sourceGitDir),
    distGitDir: resolve(options.distGitDir),
    dryRun: true,
    checkPristine: false,
    git,
    signal: conversion.signal,
  });
  // Until it is awaited below, a failure of the preview must not count as unhandled.
  preview.catch(() => undefined);
  try {
    const report = await trailers;
    if (report.state !== 'in-sync') {
      conversion.abort();
      return report;
    }
    const differingPaths = (await preview).plan.files.map((file) => file.path);
    if (differingPaths.length === 0) return { ...report, confirmation: { checked: true, differingPaths } };
    return {
      ...report,
      state: 'diverged',
      reason: 'content-differs',
      confirmation: { checked: true, differingPaths },
    };
  } catch (error) {
    conversion.abort();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
}

import type { SourceGitConfig } from './config/source-git-config';
import type { ConverterFs } from './dist-git/converter-fs';
import type { UpdateDistGitPlan } from './dist-git/update-dist-git-plan';
import type { GitRunner } from './git/git-runner';
import type { ConversionLimits } from './limits/conversion-limits';

/** What the sync-status pre-check (docs/converter-behaviour.md §2.2 step 1) decided. */
export type SyncStatusCheckResult =
  /** Source-git has commits dist-git lacks: convert. */
  | { readonly action: 'proceed' }
  /** Nothing in source-git is unsynced: return without doing anything (exit 0), with this text. */
  | { readonly action: 'up-to-date'; readonly message: string };

/** What the pre-check gets. It throws (e.g. `OUT_OF_SYNC`) when dist-git is ahead or diverged. */
export interface SyncStatusCheckContext {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly config: SourceGitConfig;
  readonly git: GitRunner;
  /** The conversion's size limits, for a pre-check that converts too (a hand-committed sync). */
  readonly limits?: ConversionLimits;
}

/** Progress of a long run, for a progress display. */
export interface UpdateDistGitProgress {
  readonly phase: 'config' | 'files' | 'patches' | 'identical-check' | 'spec' | 'write' | 'commit';
  /** Commits formatted so far (phase `patches`). */
  readonly done?: number;
  readonly total?: number;
}

export interface UpdateDistGitOptions {
  /**
   * The source-git repository. Its `HEAD` commit is converted: the patches, and the
   * configuration, the spec and the `files_to_sync` files are all read from that commit with
   * git (uncommitted changes are not synced; a symbolic link is never followed).
   */
  readonly sourceGitDir: string;
  /** The dist-git working tree (the repository root). */
  readonly distGitDir: string;
  /**
   * Commit message (`-m`). Given: everything is committed with a `From-source-git-commit`
   * trailer, and "nothing changed" is a `NOTHING_TO_COMMIT` error. Absent: files are written,
   * nothing is staged or committed (packit's behaviour), and the message to commit them with
   * (`Update from source-git` and the trailer) is written to `.git/SRCGIT_COMMIT_MSG`
   * ({@link UpdateDistGitResult.commitMessageFile}).
   */
  readonly message?: string;
  /** Compute the plan only; touch nothing. */
  readonly dryRun?: boolean;
  /**
   * Format only the source-git commits after the conversion recorded for dist-git `HEAD`, when
   * one is recorded and the shortcut can prove it gives the full conversion's bytes
   * (docs/converter-behaviour.md §2.11). Default true; false formats every commit.
   */
  readonly incremental?: boolean;
  /** Overrides the configured `upstream_ref` (packit's `--upstream-ref`). */
  readonly upstreamRef?: string;
  /** Configuration file relative to the source-git root. Default `.distro/source-git.yaml`. */
  readonly configPath?: string;
  /** Refuse a dist-git with changes, untracked or ignored files (`DIST_GIT_DIRTY`). Default true. */
  readonly checkPristine?: boolean;
  /**
   * The sync-status pre-check (docs/converter-behaviour.md §2.2 step 1), run after the configuration is read.
   * Not run when absent (packit's `-f`).
   */
  readonly checkSyncStatus?: (context: SyncStatusCheckContext) => Promise<SyncStatusCheckResult>;
  /** The git CLI, for both repositories and for pure text filters. Default {@link createGitRunner}(). */
  readonly git?: GitRunner;
  /** File system for the dist-git working tree's writes. Default `node:fs`. */
  readonly fs?: ConverterFs;
  /** Clock for a `sync_changelog: false` changelog entry. Default `new Date()`. */
  readonly now?: () => Date;
  readonly onProgress?: (progress: UpdateDistGitProgress) => void;
  /**
   * Called (once, before the result) with the source-git working tree's uncommitted or untracked
   * paths under what the conversion reads (the configuration, the spec, the `files_to_sync`
   * sources), when there are any: they are not synced. Not given: not checked (one `git status`
   * less).
   */
  readonly onUncommittedChanges?: (paths: readonly string[]) => void;
  /**
   * Size limits (commits in the range, bytes of a patch, of all patches, of a synced file, of the
   * spec), each checked before the data is read; default `DEFAULT_CONVERSION_LIMITS`. Exceeding
   * one is `LIMIT_EXCEEDED` naming the limit, its value, the offender and how to raise it.
   */
  readonly limits?: Partial<ConversionLimits>;
  readonly signal?: AbortSignal;
}

/** The outcome of {@link updateDistGit}. */
export interface UpdateDistGitResult {
  /**
   * `up-to-date`: the pre-check found nothing to sync; `nothing-to-do`: dist-git already matches;
   * `planned`: dry run; `written`: files written, not committed; `committed`: committed.
   */
  readonly outcome: 'up-to-date' | 'nothing-to-do' | 'planned' | 'written' | 'committed';
  readonly plan: UpdateDistGitPlan;
  /** The new dist-git commit (`committed` only). */
  readonly commitSha: string | undefined;
  /**
   * `written` only: the file holding the prepared commit message, `From-source-git-commit`
   * trailer included (`<dist-git>/.git/SRCGIT_COMMIT_MSG`). Committing the written files with it
   * (`git add -A && git commit -F .git/SRCGIT_COMMIT_MSG`) records the sync point.
   */
  readonly commitMessageFile?: string;
  /** A one-line human summary. */
  readonly summary: string;
  /**
   * `incremental`: only the source-git commits after the conversion recorded for dist-git `HEAD`
   * were formatted (docs/converter-behaviour.md §2.11); `full`: every commit was.
   */
  readonly conversion: 'full' | 'incremental';
}

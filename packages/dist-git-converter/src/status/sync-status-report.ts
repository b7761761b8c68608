/** Where two repositories stand relative to each other (docs/converter-behaviour.md §4, fixed profile). */
export type SyncState = 'in-sync' | 'source-git-ahead' | 'dist-git-ahead' | 'diverged';

/** A commit named in a status report. */
export interface StatusCommit {
  readonly sha: string;
  readonly subject: string;
}

/** One side (source-git or dist-git) of a {@link SyncStatusReport}. */
export interface SyncSide {
  /** The repository directory as given by the caller. */
  readonly path: string;
  /** Full sha of HEAD. */
  readonly head: string;
  /** The commit of this repository in the last synchronisation pair. */
  readonly syncedCommit: string;
  /** Number of commits after {@link syncedCommit} that the other repository has not received. */
  readonly ahead: number;
  /** The oldest commits still to sync, oldest first (at most {@link STATUS_COMMIT_LIMIT}). */
  readonly commitsToSync: readonly StatusCommit[];
  /**
   * True when {@link syncedCommit} is no longer an ancestor of HEAD: the branch was amended,
   * rebased or force-pushed after the last sync (packit reports "up to date" here, Q29). The
   * commits to sync are then every commit of HEAD that the recorded commit does not contain.
   */
  readonly rewritten: boolean;
}

/** How the last synchronisation pair was found. */
export interface SyncPoint {
  readonly sourceGitCommit: string;
  readonly distGitCommit: string;
  /**
   * `source-git`: a `From-dist-git-commit` trailer in source-git (after `init` or
   * `update-source-git`); `dist-git`: a `From-source-git-commit` trailer in dist-git (after
   * `update-dist-git -m`); `tree`: no trailer, but dist-git `HEAD`'s tree is exactly what
   * converting source-git `HEAD` gives (a sync committed by hand, e.g. `git commit -am sync`
   * after `update-dist-git` without `-m`).
   */
  readonly recordedIn: 'source-git' | 'dist-git' | 'tree';
  /** The commit that carries the trailer (for `tree`: dist-git `HEAD`). */
  readonly markerCommit: string;
}

/**
 * The check that the trailers tell the truth: converting source-git HEAD must give exactly
 * dist-git HEAD. Only run when the trailers say `in-sync`.
 */
export interface SyncConfirmation {
  /** False when the trailers already showed a difference (nothing to confirm) or it was turned off. */
  readonly checked: boolean;
  /** Dist-git paths that converting source-git HEAD would add, change or delete. */
  readonly differingPaths: readonly string[];
}

/**
 * The result of `syncStatus` (and the `--json` output of `srcgit status`). Versioned: fields are
 * only ever added.
 */
export interface SyncStatusReport {
  readonly schemaVersion: 1;
  readonly state: SyncState;
  /**
   * Why the state was chosen: `trailers` (the sync trailers alone), `history-rewritten` (a
   * recorded commit is no longer an ancestor of HEAD), `content-differs` (the trailers say
   * in-sync but converting source-git does not give dist-git), `same-tree` (dist-git `HEAD` has
   * no trailer, and its tree is what converting source-git `HEAD` gives: in sync).
   */
  readonly reason: 'trailers' | 'history-rewritten' | 'content-differs' | 'same-tree';
  readonly sourceGit: SyncSide;
  readonly distGit: SyncSide;
  readonly syncPoint: SyncPoint;
  readonly confirmation: SyncConfirmation;
}

/** How many commits of each side a report lists in `commitsToSync`. */
export const STATUS_COMMIT_LIMIT = 20;

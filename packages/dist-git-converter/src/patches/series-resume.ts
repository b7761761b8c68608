/**
 * Where an incremental patch generation resumes: the commits up to `fromSha` are known (their
 * patches come from a recorded conversion), only the commits after it are formatted.
 */
export interface SeriesResume {
  /** The last known commit; the new commits are `fromSha..HEAD` (it must be an ancestor of HEAD). */
  readonly fromSha: string;
  /** The upstream commit the known part was generated against (a different one refuses). */
  readonly upstreamSha: string;
  /** The metadata dialect of the known part (a new commit that changes it refuses). */
  readonly dialect: 'trailers' | 'yaml';
  /** The known part's first commit that makes it `trailers` (§2.7.1), if any. */
  readonly firstTrailerCommit: string | undefined;
  /** format-patch's number of the first new message: the known messages + 1. */
  readonly startNumber: number;
  /** Numbered messages of the known part that a revert pair cancelled (git's names close the gap). */
  readonly numberGap: number;
  /** Commits of the known part: a new commit that reverts one of them refuses. */
  readonly earlierShas: ReadonlySet<string>;
  /** Patch files of the known part: a new commit with one of these names refuses. */
  readonly earlierNames: ReadonlySet<string>;
  /** Commits in the known part of the range (for `maxCommits`). */
  readonly earlierCommitCount: number;
  /** Bytes format-patch printed for the known part (for `maxPatchSeriesBytes`). */
  readonly earlierBytes: number;
}

/** What a generation learnt that a later incremental one resumes from (see {@link SeriesResume}). */
export interface SeriesFacts {
  /** format-patch messages of the whole range (numbered 1…n). */
  readonly messageCount: number;
  readonly streamBytes: number;
  readonly commitCount: number;
  readonly cancelledNumbered: number;
  /** Whether the range held merges (never resumed). */
  readonly hasMerges: boolean;
  /** Whether legacy `squash_commits` grouping was used (never resumed). */
  readonly legacySquash: boolean;
  /**
   * The first commit (oldest first) that makes a patch or is empty and carries metadata
   * trailers: every part of the range up to it reads YAML metadata, every part with it trailers.
   */
  readonly firstTrailerCommit: string | undefined;
  /** The format-patch number of each patch's first commit, in series order (undefined: an empty file). */
  readonly firstNumbers: readonly (number | undefined)[];
}

/**
 * An incremental generation that cannot prove its result equals the full one's (a new commit
 * names or reverts an earlier patch, upstream moved, a limit is near, …): the caller converts
 * the whole range instead.
 */
export class ResumeRefused extends Error {
  constructor(readonly reason: string) {
    super(`the incremental conversion does not apply: ${reason}`);
    this.name = 'ResumeRefused';
  }
}

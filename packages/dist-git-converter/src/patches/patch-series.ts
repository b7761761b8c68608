import type { DiffRange } from './compute-diff-patch-ids';

/** One downstream commit that contributes to a patch file. */
export interface PatchCommit {
  readonly sha: string;
  /** First paragraph of the message, lines joined with single spaces (git's subject). */
  readonly subject: string;
  readonly authorName: string;
  readonly authorEmail: string;
}

/**
 * A patch file as it should appear in dist-git, generated from one commit or a squashed group of
 * adjacent commits that share a `Patch-name` (docs/converter-behaviour.md §2.7).
 */
export interface PlannedPatch {
  /** Final file name in the dist-git root (`Patch-name`, else git's `NNNN-<subject>.patch`). */
  readonly fileName: string;
  /** The complete file: `git format-patch` output of every commit of the group, concatenated. */
  readonly content: Uint8Array;
  /** The commits, oldest first; more than one when squashed. */
  readonly commits: readonly PatchCommit[];
  /** `Patch-id` of the group's first commit, when given. */
  readonly id: number | undefined;
  /**
   * Comment text for the spec: the `Patch-status` value when given (explicit), else derived
   * from the commit (subject) per `patch_comments`, else undefined (no comment).
   */
  readonly comment: string | undefined;
  /** True when the comment came from an explicit `Patch-status` (it then replaces an existing one). */
  readonly commentIsExplicit: boolean;
  /** `Patch-present-in-specfile`: write the file but leave the spec alone. */
  readonly presentInSpec: boolean;
  /** `git patch-id --stable` of each message in {@link content}, in order (for the identical check, Q18). */
  readonly patchIds: readonly string[];
  /**
   * Squashed patches only: the commits whose diff (with {@link PatchSeries.pathspec}) is the net
   * change of the group — the first commit's parent and the last commit — when nothing between
   * them adds to that diff. The identical check compares it with a one-message committed file.
   */
  readonly netChange?: DiffRange;
}

/** A downstream commit that produced no patch, and why. */
export interface SkippedCommit {
  readonly sha: string;
  readonly subject: string;
  /** `reverted`: the commit and a later exact revert of it cancel out (neither makes a patch). */
  readonly reason: 'ignore-patch' | 'only-ignored-paths' | 'empty' | 'merge' | 'reverted';
}

/** Everything `upstream_ref..HEAD` of a source-git repository turns into. */
export interface PatchSeries {
  readonly upstreamRef: string;
  readonly upstreamSha: string;
  readonly headSha: string;
  /** Patches in application order. */
  readonly patches: readonly PlannedPatch[];
  readonly skipped: readonly SkippedCommit[];
  /** `trailers` or `yaml` (legacy) metadata dialect, chosen as in docs/converter-behaviour.md §2.7.1. */
  readonly metadataDialect: 'trailers' | 'yaml';
  /** The pathspec of patch generation, `--` first (for diffs covering what the patches cover). */
  readonly pathspec?: readonly string[];
  /** Every commit of `upstream_ref..HEAD` as `git rev-list --reverse` lists them (oldest first). */
  readonly rangeOrder: readonly string[];
}

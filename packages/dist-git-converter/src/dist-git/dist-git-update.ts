import type { ConversionRecordDraft } from './conversion-record';
import type { TreeChange } from './apply-tree-changes';
import type { GitIdentity } from './git-identity';
import type { UpdateDistGitPlan } from './update-dist-git-plan';

/**
 * A planned dist-git update (`planDistGitUpdate`), ready for `applyDistGitUpdate`: plain data,
 * like a changesets release plan — what was found, what changes, and how it is to be written.
 * Nothing has been touched yet.
 */
export interface DistGitUpdate {
  /** `up-to-date`: the sync-status pre-check found nothing to sync; `nothing-to-do`: dist-git matches; `changes`: see `changes`. */
  readonly status: 'up-to-date' | 'nothing-to-do' | 'changes';
  /** The plan (the `--dry-run --json` output). */
  readonly plan: UpdateDistGitPlan;
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  /** dist-git `HEAD` the changes apply to (undefined: no commit yet). */
  readonly distGitHead: string | undefined;
  /** Every path that changes in the dist-git working tree, with its new bytes. */
  readonly changes: readonly TreeChange[];
  /** How the changes are written. */
  readonly write: DistGitWrite;
  /** The pre-check's text, for `up-to-date`. */
  readonly upToDateMessage?: string;
  /** `full`: every commit was formatted; `incremental`: only the commits after the last recorded conversion. */
  readonly conversion: 'full' | 'incremental';
  /** What is remembered for the commit holding the result (the next conversion resumes from it). */
  readonly record?: ConversionRecordDraft;
  /** What is remembered for dist-git `HEAD` as it is: its leading patches that the conversion kept. */
  readonly headRecord?: ConversionRecordDraft;
}

/** `commit`: one commit with this message and identity; `files`: written only, with the message prepared; `none`: a dry run. */
export type DistGitWrite =
  | {
      readonly kind: 'commit';
      readonly message: string;
      readonly author: GitIdentity;
      readonly committer: GitIdentity;
    }
  | { readonly kind: 'files'; readonly handCommitMessage: string | undefined }
  | { readonly kind: 'none' };

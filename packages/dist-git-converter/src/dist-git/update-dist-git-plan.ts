import type { SpecPatchChange } from '../spec/spec-patch';

/**
 * What `updateDistGit` does or would do, as stable data: the `--json` output of
 * `srcgit update-dist-git`. Versioned: fields are only ever added within `schemaVersion: 1`.
 */
export interface UpdateDistGitPlan {
  readonly schemaVersion: 1;
  /**
   * `changes`: dist-git gets the listed file changes; `nothing-to-do`: dist-git already matches
   * source-git; `up-to-date`: the sync-status pre-check found nothing to sync (nothing computed).
   */
  readonly status: 'changes' | 'nothing-to-do' | 'up-to-date';
  readonly sourceGit: {
    /** Absolute path of the working tree. */
    readonly dir: string;
    /** The commit converted (source-git `HEAD`); null when nothing was computed. */
    readonly head: string | null;
    /** `upstream_ref` as configured or given; null when patches are not generated. */
    readonly upstreamRef: string | null;
    readonly upstreamSha: string | null;
  };
  readonly distGit: {
    readonly dir: string;
    /** dist-git `HEAD` before the update; null in a repository without commits. */
    readonly head: string | null;
    /** The spec file in the dist-git root, e.g. `beer.spec`. */
    readonly specFile: string;
  };
  /** Every downstream commit `upstream_ref..HEAD`, oldest first, and what became of it. */
  readonly commits: readonly UpdateDistGitPlanCommit[];
  /** Every generated patch file in application order. */
  readonly patches: readonly UpdateDistGitPlanPatch[];
  /** Every dist-git path whose content or mode changes, sorted by path. */
  readonly files: readonly UpdateDistGitPlanFile[];
  /** Unified diff of the spec file (`a/<spec>` → `b/<spec>`); `''` when the spec does not change. */
  readonly specDiff: string;
  /** The commit message that is (or would be) used, trailer included; null without `-m`. */
  readonly commitMessage: string | null;
  /**
   * What the packager should know about the result, one sentence each naming the file: above all
   * a generated patch the spec's `%prep` does not apply (rpmbuild would build without it).
   */
  readonly warnings: readonly string[];
}

/**
 * One downstream commit: `new`, `changed` or `unchanged` describe the patch file the commit starts
 * (unchanged = identical content, the committed bytes are kept); `squashed` = folded into the
 * previous commit's patch; `ignored` = no patch (see `reason`).
 */
export interface UpdateDistGitPlanCommit {
  readonly sha: string;
  readonly subject: string;
  readonly status: 'new' | 'changed' | 'unchanged' | 'squashed' | 'ignored';
  /** The patch file the commit is part of; null for `ignored`. */
  readonly patchFile: string | null;
  /** The spec tag of that patch (`Patch0008`, `%patchlist`); null when the spec has none for it. */
  readonly tag: string | null;
  /** Why an `ignored` commit has no patch; null otherwise. */
  readonly reason: 'ignore-patch' | 'only-ignored-paths' | 'empty' | 'merge' | 'reverted' | null;
}

export interface UpdateDistGitPlanPatch {
  readonly fileName: string;
  readonly status: 'new' | 'changed' | 'unchanged';
  readonly tag: string | null;
  /** What happened to the patch's spec entry (`added`, `kept`, `renumbered`, …). */
  readonly specAction: SpecPatchChange['action'] | null;
  /** The commits in the file, oldest first. */
  readonly commits: readonly string[];
}

export interface UpdateDistGitPlanFile {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'deleted';
  /** Where the new content comes from. */
  readonly origin: 'spec' | 'patch' | 'files_to_sync';
  /** Git modes before/after (`100644`, `100755`, `120000`); null when absent. */
  readonly modeBefore: string | null;
  readonly modeAfter: string | null;
}

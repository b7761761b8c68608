import { applyDistGitUpdate } from './apply-dist-git-update';
import { planDistGitUpdate } from './plan-dist-git-update';
import type { UpdateDistGitOptions, UpdateDistGitResult } from './update-dist-git-options';

export type {
  SyncStatusCheckContext,
  SyncStatusCheckResult,
  UpdateDistGitOptions,
  UpdateDistGitProgress,
  UpdateDistGitResult,
} from './update-dist-git-options';

/**
 * Brings a dist-git working tree in line with a source-git repository (packit's
 * `source-git update-dist-git`, docs/converter-behaviour.md §2, fixed profile):
 *
 * 1. reads `.distro/source-git.yaml`; runs the optional sync-status pre-check; refuses a dist-git
 *    that is not pristine;
 * 2. computes the complete new dist-git tree in memory: `files_to_sync` with rsync semantics
 *    (contents compared, `source-git.yaml` never copied), the `sync_changelog: false` spec merge,
 *    the patch files of `upstream_ref..HEAD` (a patch whose changes are identical to the committed
 *    file keeps the committed bytes, every message compared, or for a squashed patch against a
 *    one-message file its net change; a commit and its exact revert make no patch), and the spec with its Patch entries
 *    (edited in place, the dist-git spec as template);
 * 3. only then writes the difference into the working tree, all-or-nothing, and with `message`
 *    stages and commits it with a `From-source-git-commit: <sha>` trailer.
 *
 * It is {@link planDistGitUpdate} (steps 1–2, the plan as data) followed by
 * {@link applyDistGitUpdate} (step 3). With a dry run the plan is not applied.
 *
 * Any failure leaves the dist-git working tree, index and branch exactly as they were.
 *
 * @throws ConverterError `CONFIG_MISSING`/`CONFIG_INVALID`, `DIST_GIT_DIRTY`,
 *   `UPSTREAM_REF_UNKNOWN`, `PATCH_NAME_INVALID`/`PATCH_NAME_CONFLICT`/`PATCH_METADATA_INVALID`,
 *   `SPEC_INVALID`, `PATCH_ID_TOO_LOW`, `NOTHING_TO_COMMIT` (with `message`, when nothing
 *   changed), `DIST_GIT_WRITE_FAILED`, `GIT_FAILED`, or whatever `checkSyncStatus` throws.
 * @example
 * ```ts
 * const result = await updateDistGit({
 *   sourceGitDir: 'src/beer',
 *   distGitDir: 'rpms/beer',
 *   message: 'Update from source-git',
 * });
 * result.outcome; // 'committed'
 * result.plan.files; // [{ path: '0001-Switch-to-Amarillo-hops.patch', change: 'added', … }, …]
 * ```
 */
export async function updateDistGit(options: UpdateDistGitOptions): Promise<UpdateDistGitResult> {
  // Read inputs and plan (nothing is touched), then apply the plan.
  const update = await planDistGitUpdate(options);
  return applyDistGitUpdate(update, {
    ...(options.fs === undefined ? {} : { fs: options.fs }),
    ...(options.git === undefined ? {} : { git: options.git }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
}

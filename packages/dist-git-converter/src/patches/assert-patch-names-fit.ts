import { ConverterError } from '../converter-error';
import { commitName } from './patch-metadata';
import type { PlannedPatch } from './patch-series';

/** Dist-git files a patch never replaces, whatever the configuration says. */
const DIST_GIT_OWN_FILES = ['sources', '.gitignore', '.gitlab-ci.yml'];

/**
 * Refuses a patch whose file name (from a `Patch-name` trailer, or generated) would replace a
 * dist-git file that is not a patch: the spec, `sources`, `.gitignore`, `.gitlab-ci.yml`, or a
 * path `files_to_sync` writes. Names are compared case-insensitively, as a case-insensitive file
 * system (or a packager's checkout on one) would see them.
 *
 * @throws ConverterError `PATCH_NAME_CONFLICT` naming the commit (short id and subject), the
 *   `Patch-name`, and the file it would replace.
 */
export function assertPatchNamesFit(
  patches: readonly PlannedPatch[],
  taken: {
    /** The dist-git spec file name. */
    readonly specFile: string;
    /** Dist-git paths `files_to_sync` writes. */
    readonly syncedPaths: Iterable<string>;
  },
): void {
  const reserved = new Map<string, string>();
  for (const path of taken.syncedPaths)
    reserved.set(path.toLowerCase(), `${path} (written by files_to_sync)`);
  for (const path of DIST_GIT_OWN_FILES) reserved.set(path.toLowerCase(), path);
  reserved.set(taken.specFile.toLowerCase(), `${taken.specFile} (the spec)`);
  for (const patch of patches) {
    const owner = reserved.get(patch.fileName.toLowerCase());
    if (owner === undefined) continue;
    const commit = patch.commits[0];
    throw new ConverterError(
      'PATCH_NAME_CONFLICT',
      `${commit === undefined ? 'a patch' : commitName(commit)}: Patch-name ${JSON.stringify(patch.fileName)} is not a valid patch file name: it would overwrite the dist-git file ${owner}; choose another Patch-name`,
      { data: { fileName: patch.fileName, sha: commit?.sha, conflictsWith: owner } },
    );
  }
}

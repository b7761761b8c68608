/**
 * @module
 * The "dist-git is newer than source-git" precondition (service-spec §1.A step 10, §6.21).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareRpmVersions, specVersion } from './compare-rpm-versions';

/** Both versions, when dist-git's is newer. */
export interface NewerDistGitVersion {
  readonly distGitVersion: string;
  readonly sourceGitVersion: string;
}

/**
 * Compares the `Version:` of the source-git spec with the dist-git one; returns both when
 * dist-git's is newer (converting would downgrade dist-git), else `null` — also when a spec is
 * missing or its version cannot be read without rpm (the converter then reports what it finds).
 */
export async function findNewerDistGitVersion(input: {
  readonly sourceGitDir: string;
  readonly sourceGitSpec: string;
  readonly distGitDir: string;
  readonly distGitSpec: string;
}): Promise<NewerDistGitVersion | null> {
  const read = (path: string) => readFile(path, 'utf8').catch(() => null);
  const [sourceText, distText] = await Promise.all([
    read(join(input.sourceGitDir, input.sourceGitSpec)),
    read(join(input.distGitDir, input.distGitSpec)),
  ]);
  if (sourceText === null || distText === null) return null;
  const sourceGitVersion = specVersion(sourceText);
  const distGitVersion = specVersion(distText);
  if (sourceGitVersion === null || distGitVersion === null) return null;
  return compareRpmVersions(distGitVersion, sourceGitVersion) > 0
    ? { distGitVersion, sourceGitVersion }
    : null;
}

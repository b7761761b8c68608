import { join } from 'node:path';
import { readCacheFile, srcgitCacheDir, writeCacheFile } from '../cache/cache-file';
import { findCommonGitDir } from '../cache/find-common-git-dir';
import type { GitRunner } from './git-runner';

/** The cache of `git version`: which executable (path and file identity) printed which version. */
interface GitVersionCache {
  readonly executable: string;
  readonly version: string;
}

/**
 * git's version (`2.39.5`: format-patch's default signature), without a `git version` process
 * when the repository's git directory remembers it for this very executable
 * (`.git/srcgit/git-version.json`, keyed by the executable's path, inode, size and times, so an
 * upgraded git is asked again). A runner that cannot name its executable is always asked.
 */
export async function readGitVersion(git: GitRunner, repoDir: string, signal?: AbortSignal): Promise<string> {
  const [executable, gitDir] = await Promise.all([git.executableIdentity?.(), findCommonGitDir(repoDir)]);
  const file =
    executable === undefined || gitDir === undefined
      ? undefined
      : join(srcgitCacheDir(gitDir), 'git-version.json');
  if (file !== undefined) {
    const cached = await readCacheFile(file, 4096);
    if (isGitVersionCache(cached) && cached.executable === executable) return cached.version;
  }
  const printed = await git.text(['version'], {
    cwd: repoDir,
    isolated: true,
    ...(signal === undefined ? {} : { signal }),
  });
  const version = printed.replace(/^git version /, '').trim();
  if (file !== undefined && executable !== undefined) {
    await writeCacheFile(file, { executable, version } satisfies GitVersionCache);
  }
  return version;
}

function isGitVersionCache(value: unknown): value is GitVersionCache {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.executable === 'string' &&
    typeof record.version === 'string' &&
    /^[0-9][0-9A-Za-z.+_-]{0,80}$/.test(record.version)
  );
}

import { join, resolve } from 'node:path';
import { readCacheFile, srcgitCacheDir, writeCacheFile } from '../cache/cache-file';
import { converterBuildId } from '../cache/converter-build-id';
import { findCommonGitDir } from '../cache/find-common-git-dir';
import type { SyncStatusReport } from './sync-status-report';

/**
 * What a status answer depends on: both `HEAD` commits (a commit id fixes its tree and its whole
 * history, which the patches and the trailers come from; a tree id alone would not), the
 * repositories, the size limits and the srcgit build.
 */
export interface StatusCacheKey {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly sourceGitHead: string;
  readonly distGitHead: string;
  readonly limits: string;
}

interface StatusCacheEntry {
  readonly key: string;
  readonly report: SyncStatusReport;
}

const FILE = 'status-cache.json';
const MAX_ENTRIES = 16;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The cached answer of `syncStatus` for these `HEAD`s (`.git/srcgit/status-cache.json` in
 * source-git's git directory), with the paths as the caller gave them; undefined when not cached,
 * or when the file is unusable (it is then ignored).
 */
export async function readStatusCache(
  key: StatusCacheKey,
  paths: { readonly sourceGitDir: string; readonly distGitDir: string },
): Promise<SyncStatusReport | undefined> {
  const file = await cacheFile(key.sourceGitDir);
  if (file === undefined) return undefined;
  const [entries, id] = await Promise.all([readEntries(file), keyId(key)]);
  const report = entries.find((entry) => entry.key === id)?.report;
  if (report === undefined) return undefined;
  return {
    ...report,
    sourceGit: { ...report.sourceGit, path: paths.sourceGitDir },
    distGit: { ...report.distGit, path: paths.distGitDir },
  };
}

/** Remembers an answer (atomically, the newest first, at most 16). */
export async function writeStatusCache(key: StatusCacheKey, report: SyncStatusReport): Promise<void> {
  const file = await cacheFile(key.sourceGitDir);
  if (file === undefined) return;
  const id = await keyId(key);
  const entries = (await readEntries(file)).filter((entry) => entry.key !== id);
  await writeCacheFile(file, {
    version: 1,
    entries: [{ key: id, report }, ...entries].slice(0, MAX_ENTRIES),
  });
}

async function keyId(key: StatusCacheKey): Promise<string> {
  return JSON.stringify([
    await converterBuildId(),
    resolve(key.sourceGitDir),
    resolve(key.distGitDir),
    key.sourceGitHead,
    key.distGitHead,
    key.limits,
  ]);
}

async function cacheFile(sourceGitDir: string): Promise<string | undefined> {
  const gitDir = await findCommonGitDir(resolve(sourceGitDir));
  return gitDir === undefined ? undefined : join(srcgitCacheDir(gitDir), FILE);
}

async function readEntries(file: string): Promise<StatusCacheEntry[]> {
  const parsed = await readCacheFile(file, MAX_FILE_BYTES);
  if (typeof parsed !== 'object' || parsed === null) return [];
  const { version, entries } = parsed as { version?: unknown; entries?: unknown };
  if (version !== 1 || !Array.isArray(entries)) return [];
  return entries.filter(isEntry).slice(0, MAX_ENTRIES);
}

function isEntry(value: unknown): value is StatusCacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { key, report } = value as { key?: unknown; report?: unknown };
  if (typeof key !== 'string' || typeof report !== 'object' || report === null) return false;
  const candidate = report as Record<string, unknown>;
  const side = (name: string): boolean => {
    const value = candidate[name] as Record<string, unknown> | undefined;
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof value.head === 'string' &&
      typeof value.syncedCommit === 'string' &&
      Number.isSafeInteger(value.ahead) &&
      Array.isArray(value.commitsToSync) &&
      typeof value.rewritten === 'boolean'
    );
  };
  return (
    candidate.schemaVersion === 1 &&
    ['in-sync', 'source-git-ahead', 'dist-git-ahead', 'diverged'].includes(candidate.state as string) &&
    typeof candidate.reason === 'string' &&
    side('sourceGit') &&
    side('distGit') &&
    typeof candidate.syncPoint === 'object' &&
    candidate.syncPoint !== null &&
    typeof candidate.confirmation === 'object' &&
    candidate.confirmation !== null
  );
}

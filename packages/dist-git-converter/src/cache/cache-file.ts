import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The directory of srcgit's caches inside a repository's git directory. */
export function srcgitCacheDir(gitDir: string): string {
  return join(gitDir, 'srcgit');
}

/**
 * Reads a cache file written by {@link writeCacheFile}: its parsed JSON, or undefined when it is
 * missing, larger than `maxBytes` or not JSON (a cache is never trusted to be well-formed: the
 * caller validates the shape).
 */
export async function readCacheFile(path: string, maxBytes: number): Promise<unknown> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > maxBytes) return undefined;
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file atomically (a temporary file renamed over it), so a reader never sees half
 * of one; failures are ignored (a cache that cannot be written is only a slower next run).
 */
export async function writeCacheFile(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(value)}\n`, { mode: 0o644 });
    await rename(temporary, path);
  } catch {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}

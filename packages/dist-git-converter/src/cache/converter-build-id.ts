import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let buildId: Promise<string> | undefined;

/**
 * What identifies the running srcgit build, for cache keys: a digest of the name, size and
 * modification time of every module file next to this one (the built bundle's chunks), so any
 * rebuild or upgrade makes earlier cache entries unusable. Computed once per process.
 */
export function converterBuildId(): Promise<string> {
  return (buildId ??= computeBuildId());
}

async function computeBuildId(): Promise<string> {
  const hash = createHash('sha256');
  try {
    const dir = dirname(fileURLToPath(import.meta.url));
    const names = (await readdir(dir)).filter((name) => /\.(?:[cm]?js|ts)$/.test(name)).sort();
    const infos = await Promise.all(names.map((name) => stat(join(dir, name))));
    for (const [index, name] of names.entries()) {
      const info = infos[index];
      hash.update(`${name}\0${info?.size ?? -1}\0${info?.mtimeMs ?? -1}\0`);
    }
  } catch {
    hash.update(`unknown build ${Math.random()}`);
  }
  return hash.digest('hex').slice(0, 32);
}

import { join } from 'node:path';
import type { ConverterFs } from '../dist-git/converter-fs';
import { compileWildmatch, hasWildcard } from './wildmatch';

/**
 * Expands a `files_to_sync` source (relative, normalised, may contain `*`, `?`, `[…]` in any
 * path element) against the source-git working tree, like Python's `glob.glob` that packit uses:
 * wildcards never match `/`, and a leading `.` is matched only by a pattern element starting with
 * `.`. A path without wildcards is returned as is, whether it exists or not. Matches are sorted.
 */
export async function expandSyncSource(fs: ConverterFs, root: string, source: string): Promise<string[]> {
  if (!hasWildcard(source)) return [source];
  let prefixes = [''];
  for (const element of source.split('/')) {
    const next: string[] = [];
    for (const prefix of prefixes) {
      if (!hasWildcard(element)) {
        next.push(prefix === '' ? element : `${prefix}/${element}`);
        continue;
      }
      let names: string[];
      try {
        names = await fs.promises.readdir(join(root, prefix));
      } catch {
        continue;
      }
      const matcher = compileWildmatch(element);
      for (const name of names.sort()) {
        if (name.startsWith('.') && !element.startsWith('.')) continue;
        if (matcher.test(name)) next.push(prefix === '' ? name : `${prefix}/${name}`);
      }
    }
    prefixes = next;
  }
  return prefixes;
}

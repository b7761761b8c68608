import type { CommitTree } from '../git/read-commit-tree';
import { compileWildmatch, hasWildcard } from './wildmatch';

/**
 * Expands a `files_to_sync` source (relative, normalised, may contain `*`, `?`, `[…]` in any
 * path element) against the source-git commit's tree, like Python's `glob.glob` that packit uses
 * on a checkout: wildcards never match `/`, and a leading `.` is matched only by a pattern element
 * starting with `.`. Only directories of the tree are searched: a symbolic link is never entered.
 * A path without wildcards is returned as is, whether it exists or not. Matches are sorted.
 */
export function expandSyncSource(tree: CommitTree, source: string): string[] {
  if (!hasWildcard(source)) return [source];
  let prefixes = [''];
  for (const element of source.split('/')) {
    const next: string[] = [];
    for (const prefix of prefixes) {
      if (!hasWildcard(element)) {
        next.push(prefix === '' ? element : `${prefix}/${element}`);
        continue;
      }
      const names = tree.children(prefix);
      if (names === undefined) continue;
      const matcher = compileWildmatch(element);
      for (const name of [...names.keys()].sort()) {
        if (name.startsWith('.') && !element.startsWith('.')) continue;
        if (matcher.test(name)) next.push(prefix === '' ? name : `${prefix}/${name}`);
      }
    }
    prefixes = next;
  }
  return prefixes;
}

/**
 * The part of a source (relative, normalised) that must be listed to expand and copy it: the
 * path up to its first element with a wildcard (`.distro/*.spec` → `.distro`), `''` for the root.
 */
export function syncSourceRoot(source: string): string {
  const elements = source.split('/');
  const wild = elements.findIndex((element) => hasWildcard(element));
  return (wild === -1 ? elements : elements.slice(0, wild)).join('/');
}

import { conversionLimitError } from '../limits/conversion-limits';
import type { GitFileMode } from '../sync/tree-file';
import type { GitRunner } from './git-runner';
import { listTree, type TreeEntry } from './list-tree';
import { createBlobReader } from './read-blobs';

/** What a commit's tree holds at a path. */
export type CommitTreeEntry =
  | { readonly kind: 'file'; readonly path: string; readonly mode: GitFileMode; readonly oid: string }
  | { readonly kind: 'submodule'; readonly path: string; readonly oid: string }
  | { readonly kind: 'directory'; readonly path: string };

/**
 * Part of a commit's tree, listed with `git ls-tree` and read with `git cat-file`: nothing here
 * looks at a working tree, so a symbolic link is only ever a blob holding its target, never a
 * way out of the repository.
 */
export interface CommitTree {
  /** The commit listed. */
  readonly commit: string;
  /** The entry at `path` (`''` = the root); undefined when the commit has none there. */
  entry(path: string): CommitTreeEntry | undefined;
  /** The entries of the directory `path` by name (in no particular order); undefined when it is not one. */
  children(path: string): ReadonlyMap<string, CommitTreeEntry> | undefined;
  /**
   * The first entry on the way to `path` (one of its parent directories) that is not a directory:
   * a symbolic link, a file or a submodule. Undefined when every parent is a directory or missing.
   */
  obstacle(path: string): Exclude<CommitTreeEntry, { kind: 'directory' }> | undefined;
  /** The bytes of a file (a link's target for mode `120000`). Reads of one tick share a process. */
  read(file: Extract<CommitTreeEntry, { kind: 'file' }>): Promise<Buffer>;
}

export interface ReadCommitTreeOptions {
  readonly git: GitRunner;
  /** The repository's working directory (paths are relative to it). */
  readonly dir: string;
  /** A commit id. */
  readonly commit: string;
  /**
   * The paths to list (relative, `/`-separated, `''` for the root): everything under each, and
   * for a path the commit does not have, the entries of its parent directories (so that a path
   * under a symbolic link can be told from a missing one).
   */
  readonly paths: readonly string[];
  /**
   * Refuse to read a file larger than this (`LIMIT_EXCEEDED`, limit `maxBlobBytes`): sizes are
   * listed with the tree, so nothing too large is ever read. Default: no limit.
   */
  readonly maxBlobBytes?: number;
  readonly signal?: AbortSignal;
}

/**
 * Lists the given paths of a commit's tree: one `git ls-tree -r` process, and a second, shallow one
 * only when a path is missing and its parents are not known yet. File bytes are read on demand.
 */
export async function readCommitTree(options: ReadCommitTreeOptions): Promise<CommitTree> {
  const { git, dir, commit } = options;
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const paths = [...new Set(options.paths)];
  const listed = await listTree(git, dir, commit, {
    paths: paths.map((path) => (path === '' ? '.' : path)),
    sizes: options.maxBlobBytes !== undefined,
    ...signalOption,
  });
  const sizes = new Map(
    listed.flatMap((entry) => (entry.size === undefined ? [] : [[entry.path, entry.size]])),
  );
  const files = new Map<string, CommitTreeEntry>();
  const directories = new Map<string, Map<string, CommitTreeEntry>>([['', new Map()]]);
  for (const entry of listed) addFile(files, directories, toEntry(entry));

  // A missing path may be missing, or lie under a link or a file: its parents tell.
  const known = (path: string): boolean => files.has(path) || directories.has(path);
  const parents = new Set(
    paths
      .filter((path) => !known(path))
      .flatMap((path) => parentsOf(path).filter((parent) => !known(parent))),
  );
  const obstacles = new Map<string, CommitTreeEntry>();
  if (parents.size > 0) {
    const shallow = await listTree(git, dir, commit, { paths: [...parents], shallow: true, ...signalOption });
    for (const entry of shallow) {
      if (entry.type !== 'tree' && parents.has(entry.path)) obstacles.set(entry.path, toEntry(entry));
    }
  }

  const blobs = createBlobReader(git, dir, options.signal);
  const entry = (path: string): CommitTreeEntry | undefined =>
    files.get(path) ??
    (directories.has(path) ? { kind: 'directory', path } : undefined) ??
    obstacles.get(path);
  return {
    commit,
    entry,
    children: (path) => directories.get(path),
    obstacle(path) {
      for (const parent of parentsOf(path)) {
        const found = entry(parent);
        if (found === undefined) return undefined;
        if (found.kind !== 'directory') return found;
      }
      return undefined;
    },
    read(file) {
      const size = sizes.get(file.path);
      const max = options.maxBlobBytes;
      if (max !== undefined && size !== undefined && size > max) {
        return Promise.reject(
          conversionLimitError(
            'maxBlobBytes',
            max,
            `${file.path} has ${size} bytes at commit ${commit.slice(0, 12)}`,
            { path: file.path, size, commit },
          ),
        );
      }
      return blobs.read(file.oid);
    },
  };
}

function toEntry(entry: TreeEntry): CommitTreeEntry {
  if (entry.type === 'tree') return { kind: 'directory', path: entry.path };
  if (entry.type === 'commit') return { kind: 'submodule', path: entry.path, oid: entry.sha };
  const mode: GitFileMode =
    entry.mode === '120000' ? '120000' : entry.mode === '100755' ? '100755' : '100644';
  return { kind: 'file', path: entry.path, mode, oid: entry.sha };
}

function addFile(
  files: Map<string, CommitTreeEntry>,
  directories: Map<string, Map<string, CommitTreeEntry>>,
  entry: CommitTreeEntry,
): void {
  files.set(entry.path, entry);
  let child = entry;
  for (;;) {
    const slash = child.path.lastIndexOf('/');
    const parent = slash === -1 ? '' : child.path.slice(0, slash);
    const known = directories.get(parent);
    const siblings = known ?? new Map<string, CommitTreeEntry>();
    siblings.set(child.path.slice(slash + 1), child);
    // The root is always there; a known directory already hangs from its parents.
    if (known !== undefined) return;
    directories.set(parent, siblings);
    child = { kind: 'directory', path: parent };
  }
}

/** The parent directories of a path, outermost first, without the root: `a/b/c` → `['a', 'a/b']`. */
function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

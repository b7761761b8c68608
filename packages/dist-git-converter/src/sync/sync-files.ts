import { posix } from 'node:path';
import type { FileSyncItem } from '../config/source-git-config';
import { ConverterError } from '../converter-error';
import type { CommitTree } from '../git/read-commit-tree';
import { expandSyncSource, syncSourceRoot } from './expand-sync-source';
import { readSourceNode, type SourceNode } from './read-source-node';
import { resolveSyncPath } from './resolve-sync-path';
import { createRsyncFilter, type RsyncFilter } from './rsync-filter';
import type { GitFileMode, TreeFile } from './tree-file';

/** What the dist-git side of a sync holds per path: new bytes, or a reference to committed ones. */
export interface SyncTarget {
  readonly mode: GitFileMode;
}

export interface SyncFilesInput<Existing extends SyncTarget = TreeFile> {
  /**
   * The source-git commit the files come from ({@link readCommitTree} of at least
   * {@link syncSourcePaths}): never a working tree, so no symbolic link is ever followed.
   */
  readonly source: CommitTree;
  /** The `files_to_sync` items, applied in order; each sees the result of the previous ones. */
  readonly items: readonly FileSyncItem[];
  /**
   * The dist-git tree before the sync (only its paths are looked at: what exists, what `delete`
   * may remove). It is not modified. A file copied with the same mode and blob id as an entry
   * with an `oid` keeps that entry (its bytes are not read).
   */
  readonly tree: ReadonlyMap<string, Existing>;
  /** Source-git paths (relative) that are never copied, whatever the filters say (the config file). */
  readonly neverCopy?: readonly string[];
  /** Label of the items in messages. Default `files_to_sync`. */
  readonly label?: string;
}

/**
 * Applies `files_to_sync` to an in-memory dist-git tree with the semantics of
 * `rsync --archive [--delete] [--filter …] [--mkpath] --ignore-missing-args SRC… DEST`
 * (docs/converter-behaviour.md §2.5), natively: a trailing `/` on a source directory copies its contents,
 * without it the directory itself; `delete` removes what the source directories do not have unless a filter
 * protects it; filters without `/` match a name at any depth, with a leading `/` they are anchored
 * at the transfer root; missing sources are ignored; links stay links and executable bits are
 * kept. Unlike rsync's quick check, files are compared by content (the caller diffs the trees).
 *
 * Sources are the files of a commit, not of a checkout: a link is copied as a link and never
 * followed, and a source through a link or with a submodule is refused. The bytes of the copied
 * files are read at the end, in one `git cat-file` process.
 *
 * Returns the new tree. Throws a `CONFIG_INVALID` {@link ConverterError} for an illegal path, a
 * source through a symbolic link or with a submodule, an unsupported filter, or a destination
 * whose parent is missing without `mkpath`.
 */
export async function syncFiles<Existing extends SyncTarget = TreeFile>(
  input: SyncFilesInput<Existing>,
): Promise<Map<string, Existing | TreeFile>> {
  const tree = new Map<string, SyncTarget>(input.tree);
  const copied = new Set<CopiedFile>();
  const neverCopy = new Set(input.neverCopy ?? []);
  const label = input.label ?? 'files_to_sync';
  for (const [index, item] of input.items.entries()) {
    syncItem({ source: input.source, tree, copied, neverCopy, where: `${label}[${index}]` }, item);
  }
  // Only what the items left in the tree is read; a file equal to the committed one keeps it.
  const reads = [...tree].map(async ([path, file]): Promise<[string, Existing | TreeFile]> => {
    if (!copied.has(file as CopiedFile)) return [path, file as Existing];
    const { node } = file as CopiedFile;
    const before = input.tree.get(path);
    if (
      before !== undefined &&
      before.mode === node.mode &&
      'oid' in before &&
      before.oid === node.file.oid
    ) {
      return [path, before];
    }
    return [path, { mode: node.mode, content: await input.source.read(node.file) }];
  });
  return new Map(await Promise.all(reads));
}

/**
 * The source-git paths {@link syncFiles} needs listed for `items` (for {@link readCommitTree}):
 * each source up to its first wildcard element.
 *
 * @throws ConverterError `CONFIG_INVALID` for a source outside the repository.
 */
export function syncSourcePaths(items: readonly FileSyncItem[], label = 'files_to_sync'): string[] {
  return items.flatMap((item, index) =>
    item.src.map((raw) =>
      syncSourceRoot(resolveSyncPath(raw, 'the source-git repository', `${label}[${index}].src`)),
    ),
  );
}

/** A file the sync copies from the commit; its bytes are read once the tree is final. */
interface CopiedFile extends SyncTarget {
  readonly node: Extract<SourceNode, { kind: 'file' }>;
}

interface ItemContext {
  readonly source: CommitTree;
  readonly tree: Map<string, SyncTarget>;
  readonly copied: Set<CopiedFile>;
  readonly neverCopy: ReadonlySet<string>;
  readonly where: string;
}

interface ResolvedSource {
  readonly relative: string;
  readonly contentsOnly: boolean;
  readonly node: SourceNode;
}

function syncItem(context: ItemContext, item: FileSyncItem): void {
  const { source: commitTree, tree, where } = context;
  const filter = createRsyncFilter(item.filters, where);
  const sources: ResolvedSource[] = [];
  let candidates = 0;
  for (const raw of item.src) {
    const contentsOnly = raw.endsWith('/');
    const relative = resolveSyncPath(raw, 'the source-git repository', `${where}.src`);
    for (const expanded of expandSyncSource(commitTree, relative)) {
      candidates++;
      const node = readSourceNode(commitTree, expanded, contentsOnly, { where, source: raw });
      if (node === undefined) continue;
      if (contentsOnly && node.kind !== 'directory') {
        throw new ConverterError(
          'CONFIG_INVALID',
          `${where}.src: "${raw}" ends with "/" (the contents of a directory) but ${expanded} is not a directory`,
          { data: { path: raw } },
        );
      }
      sources.push({ relative: expanded, contentsOnly, node });
    }
  }
  // A wildcard that matches nothing leaves rsync nothing to do (not even a destination check).
  if (candidates === 0) return;
  const dest = resolveSyncPath(item.dest, 'the dist-git repository', `${where}.dest`);
  // rsync creates the destination itself (one level), or every missing level with --mkpath.
  const parent = dest === '' ? '' : parentOf(dest);
  if (!item.mkpath && !isDirectory(tree, parent)) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${where}.dest: the dist-git directory "${parent}" does not exist, so "${item.dest}" cannot be created (set "mkpath: true" to create missing directories)`,
      { data: { dest: item.dest } },
    );
  }
  // The top-level entries that pass the sender's filter decide, as in rsync, whether DEST is a
  // directory or the new name of a single file.
  const entries = sources.filter((source) => {
    if (source.contentsOnly) return true;
    if (source.node.kind === 'file' && context.neverCopy.has(source.relative)) return false;
    return !filter.isExcluded(posix.basename(source.relative), source.node.kind === 'directory');
  });
  if (entries.length === 0) return;
  const destIsDirectory =
    item.dest.endsWith('/') ||
    entries.length > 1 ||
    entries.some((source) => source.node.kind === 'directory') ||
    isDirectory(tree, dest);

  for (const source of entries) {
    const name = source.contentsOnly ? '' : posix.basename(source.relative);
    if (source.node.kind === 'file') {
      putFile(context, destIsDirectory ? joinPath(dest, name) : dest, source.node);
    } else {
      transferDirectory(context, filter, item.delete, source.node, source.relative, name, dest);
    }
  }
}

function transferDirectory(
  context: ItemContext,
  filter: RsyncFilter,
  deleteExtraneous: boolean,
  node: Extract<SourceNode, { kind: 'directory' }>,
  sourceRelative: string,
  name: string,
  destRoot: string,
): void {
  const destDir = joinPath(destRoot, name);
  if (destDir !== '' && context.tree.has(destDir)) context.tree.delete(destDir);
  const transferred = new Set<string>();
  for (const [childName, child] of node.children) {
    const childRelative = joinPath(name, childName);
    const childSource = joinPath(sourceRelative, childName);
    if (filter.isExcluded(childRelative, child.kind === 'directory')) continue;
    if (child.kind === 'file') {
      if (context.neverCopy.has(childSource)) continue;
      transferred.add(childName);
      putFile(context, joinPath(destRoot, childRelative), child);
    } else {
      transferred.add(childName);
      transferDirectory(context, filter, deleteExtraneous, child, childSource, childRelative, destRoot);
    }
  }
  if (!deleteExtraneous) return;
  for (const [childName, isDir] of listChildren(context.tree, destDir)) {
    if (transferred.has(childName)) continue;
    deleteEntry(context.tree, filter, destRoot, joinPath(name, childName), isDir);
  }
}

/** rsync's delete of an extraneous entry: protected entries stay, and so do their parents. */
function deleteEntry(
  tree: Map<string, SyncTarget>,
  filter: RsyncFilter,
  destRoot: string,
  name: string,
  isDir: boolean,
): void {
  if (filter.isProtected(name, isDir)) return;
  const path = joinPath(destRoot, name);
  if (!isDir) {
    tree.delete(path);
    return;
  }
  for (const [childName, childIsDir] of listChildren(tree, path)) {
    deleteEntry(tree, filter, destRoot, joinPath(name, childName), childIsDir);
  }
}

function putFile(context: ItemContext, path: string, node: Extract<SourceNode, { kind: 'file' }>): void {
  // A directory in the way is replaced by the file, as rsync does.
  const prefix = `${path}/`;
  for (const existing of [...context.tree.keys()]) {
    if (existing.startsWith(prefix)) context.tree.delete(existing);
  }
  // A file in the way of one of the parent directories is replaced by the directory.
  for (let parent = parentOf(path); parent !== ''; parent = parentOf(parent)) {
    context.tree.delete(parent);
  }
  const file: CopiedFile = { mode: node.mode, node };
  context.copied.add(file);
  context.tree.set(path, file);
}

/** Direct children of `dir` (`''` = root) in the tree: name → is a directory. */
function listChildren(tree: ReadonlyMap<string, SyncTarget>, dir: string): Map<string, boolean> {
  const prefix = dir === '' ? '' : `${dir}/`;
  const children = new Map<string, boolean>();
  for (const path of tree.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) children.set(rest, false);
    else children.set(rest.slice(0, slash), true);
  }
  return new Map([...children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isDirectory(tree: ReadonlyMap<string, SyncTarget>, dir: string): boolean {
  if (dir === '') return true;
  const prefix = `${dir}/`;
  for (const path of tree.keys()) if (path.startsWith(prefix)) return true;
  return false;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function joinPath(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a}/${b}`;
}

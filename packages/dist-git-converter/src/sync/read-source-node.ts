import { ConverterError } from '../converter-error';
import type { CommitTree, CommitTreeEntry } from '../git/read-commit-tree';
import type { GitFileMode } from './tree-file';

/** A file or directory of the source-git commit, listed but not yet read. */
export type SourceNode =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly mode: GitFileMode;
      readonly file: Extract<CommitTreeEntry, { kind: 'file' }>;
    }
  | { readonly kind: 'directory'; readonly path: string; readonly children: ReadonlyMap<string, SourceNode> };

/** Where a source comes from, for messages: the item (`files_to_sync[0]`) and the source as written. */
export interface SourceContext {
  readonly where: string;
  readonly source: string;
}

/**
 * Lists `path` (relative to the repository root) of the commit as rsync `--archive` would see it
 * in a checkout: symbolic links stay links, regular files keep their executable bit, `.git`
 * entries are never listed. Returns undefined for a missing path (`--ignore-missing-args`),
 * including one under a regular file.
 *
 * Nothing is ever followed: a path that goes through a symbolic link (`.distro/up/self/environ`
 * with `.distro/up` a link), a source written with a trailing `/` (the contents of a directory)
 * that is a link, and a git submodule anywhere in the source are refused with a `CONFIG_INVALID`
 * {@link ConverterError} naming the item and the path.
 */
export function readSourceNode(
  tree: CommitTree,
  path: string,
  contentsOnly: boolean,
  context: SourceContext,
): SourceNode | undefined {
  const entry = tree.entry(path);
  if (entry === undefined) {
    const obstacle = tree.obstacle(path);
    if (obstacle?.kind === 'submodule') throw submodule(context, obstacle.path);
    if (obstacle?.kind === 'file' && obstacle.mode === '120000') {
      throw refusal(
        context,
        `"${context.source}" goes through the symbolic link ${obstacle.path}; srcgit copies files as committed and does not follow links (name the files in the repository instead)`,
        obstacle.path,
      );
    }
    return undefined;
  }
  if (entry.kind === 'file' && entry.mode === '120000' && contentsOnly) {
    throw refusal(
      context,
      `"${context.source}" ends with "/" (the contents of a directory) but ${path} is a symbolic link; srcgit copies files as committed and does not follow links`,
      path,
    );
  }
  return listNode(tree, entry, context);
}

function listNode(tree: CommitTree, entry: CommitTreeEntry, context: SourceContext): SourceNode {
  if (entry.kind === 'submodule') throw submodule(context, entry.path);
  if (entry.kind === 'file') return { kind: 'file', path: entry.path, mode: entry.mode, file: entry };
  const names = [...(tree.children(entry.path)?.keys() ?? [])]
    .filter((name) => name !== '.git')
    .sort(compareBytes);
  const children = new Map<string, SourceNode>();
  for (const name of names) {
    const child = tree.children(entry.path)?.get(name);
    if (child !== undefined) children.set(name, listNode(tree, child, context));
  }
  return { kind: 'directory', path: entry.path, children };
}

function submodule(context: SourceContext, path: string): ConverterError {
  return refusal(
    context,
    `${path} is a git submodule (in "${context.source}"); srcgit copies only files committed in source-git itself`,
    path,
  );
}

function refusal(context: SourceContext, message: string, path: string): ConverterError {
  return new ConverterError('CONFIG_INVALID', `${context.where}.src: ${message}`, {
    data: { source: context.source, path },
  });
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

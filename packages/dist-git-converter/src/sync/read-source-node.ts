import { join } from 'node:path';
import type { ConverterFs } from '../dist-git/converter-fs';
import type { GitFileMode } from './tree-file';

/** A file or directory of the source-git working tree, listed but not yet read. */
export type SourceNode =
  | { readonly kind: 'file'; readonly path: string; readonly mode: GitFileMode }
  | { readonly kind: 'directory'; readonly path: string; readonly children: ReadonlyMap<string, SourceNode> };

/**
 * Lists `path` (absolute) as rsync `--archive` sees it: symbolic links stay links (unless
 * `followLink`, for a source written with a trailing `/`), regular files keep their executable
 * bit. Returns undefined for a missing path (`--ignore-missing-args`) and for special files
 * (sockets, devices, FIFOs), which a git tree cannot hold. `.git` entries are never listed.
 */
export async function readSourceNode(
  fs: ConverterFs,
  path: string,
  followLink = false,
): Promise<SourceNode | undefined> {
  let stats;
  try {
    stats = followLink ? await fs.promises.stat(path) : await fs.promises.lstat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (stats.isSymbolicLink()) return { kind: 'file', path, mode: '120000' };
  if (stats.isFile()) return { kind: 'file', path, mode: (stats.mode & 0o100) !== 0 ? '100755' : '100644' };
  if (!stats.isDirectory()) return undefined;
  const names = (await fs.promises.readdir(path)).filter((name) => name !== '.git').sort(compareBytes);
  const children = new Map<string, SourceNode>();
  for (const name of names) {
    const child = await readSourceNode(fs, join(path, name));
    if (child !== undefined) children.set(name, child);
  }
  return { kind: 'directory', path, children };
}

/** Reads a listed file's bytes (a link's target for mode `120000`). */
export async function readSourceFile(
  fs: ConverterFs,
  node: Extract<SourceNode, { kind: 'file' }>,
): Promise<Uint8Array> {
  if (node.mode === '120000') return fs.promises.readlink(node.path, { encoding: 'buffer' });
  return fs.promises.readFile(node.path);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

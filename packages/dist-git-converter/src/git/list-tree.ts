import type { GitRunner } from './git-runner';

/** An entry of a git tree as `git ls-tree` prints it. */
export interface TreeEntry {
  /** Relative to the directory git ran in, `/`-separated. */
  readonly path: string;
  /** `100644`, `100755`, `120000` (symbolic link), `160000` (submodule) or `040000` (directory). */
  readonly mode: string;
  readonly type: 'blob' | 'commit' | 'tree';
  readonly sha: string;
  /** The blob's size in bytes, when listed with `sizes` (undefined for trees and submodules). */
  readonly size?: number;
}

export interface ListTreeOptions {
  /**
   * Only these paths (literal, relative to `cwd`; a directory lists everything under it). Default:
   * the whole tree.
   */
  readonly paths?: readonly string[];
  /**
   * List only the named entries themselves and the directories on the way to them (`ls-tree -t`
   * without `-r`), instead of every file under them. Default false.
   */
  readonly shallow?: boolean;
  /** Also list each blob's size (`ls-tree -l`), e.g. to refuse a huge file before reading it. */
  readonly sizes?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The files of a commit's tree (recursively: blobs and submodules), from one `git ls-tree`
 * process. Paths are taken literally (`--literal-pathspecs`): a path from a configuration file is
 * never a pattern or pathspec magic.
 */
export async function listTree(
  git: GitRunner,
  cwd: string,
  commit: string,
  options: ListTreeOptions = {},
): Promise<TreeEntry[]> {
  if (options.paths?.length === 0) return [];
  const out = await git.text(
    [
      '--literal-pathspecs',
      'ls-tree',
      options.shallow === true ? '-t' : '-r',
      ...(options.sizes === true ? ['-l'] : []),
      '-z',
      ...(options.paths === undefined ? ['--full-tree', commit] : [commit, '--', ...options.paths]),
    ],
    { cwd, ...(options.signal === undefined ? {} : { signal: options.signal }) },
  );
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const match = /^(\d{6}) (blob|commit|tree) ([0-9a-f]+)(?: +(\d+|-))?\t(.*)$/s.exec(record);
    if (match === null) continue;
    const [, mode = '', type = 'blob', sha = '', size, path = ''] = match;
    entries.push({
      path,
      mode,
      type: type as TreeEntry['type'],
      sha,
      ...(size === undefined || size === '-' ? {} : { size: Number(size) }),
    });
  }
  return entries;
}

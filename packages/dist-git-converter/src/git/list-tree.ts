import type { GitRunner } from '../git/git-runner';

/** A file of a git tree. */
export interface TreeFile {
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'commit';
  readonly sha: string;
}

/** Every file of a commit's tree (recursively), from one `git ls-tree` process. */
export async function listTree(
  git: GitRunner,
  cwd: string,
  commit: string,
  signal?: AbortSignal,
): Promise<TreeFile[]> {
  const out = await git.text(['ls-tree', '-r', '-z', '--full-tree', commit], {
    cwd,
    ...(signal === undefined ? {} : { signal }),
  });
  const files: TreeFile[] = [];
  for (const record of out.split('\0')) {
    const match = /^(\d{6}) (blob|commit) ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (match === null) continue;
    const [, mode = '', type = 'blob', sha = '', path = ''] = match;
    files.push({ path, mode, type: type === 'commit' ? 'commit' : 'blob', sha });
  }
  return files;
}

import type { GitRunner } from '../git/git-runner';

/** One entry of `git diff-tree --raw`: what happened to a path between two trees. */
export interface ChangedPath {
  /** `A` added, `M` modified, `D` deleted, `R` renamed, `T` type changed. */
  readonly status: 'A' | 'M' | 'D' | 'R' | 'T';
  /** The path before (the same as {@link path} unless renamed). */
  readonly oldPath: string;
  readonly path: string;
  readonly oldMode: string;
  readonly newMode: string;
  readonly oldSha: string;
  readonly newSha: string;
}

/**
 * The paths a commit changes against its first parent (a root commit against the empty tree),
 * with rename detection, from one `git diff-tree` process.
 */
export async function listChangedPaths(
  git: GitRunner,
  cwd: string,
  commit: string,
  parent: string | undefined,
  signal?: AbortSignal,
): Promise<ChangedPath[]> {
  const args =
    parent === undefined
      ? ['diff-tree', '-r', '-z', '--raw', '--no-commit-id', '-M', '--root', commit]
      : ['diff-tree', '-r', '-z', '--raw', '--no-commit-id', '-M', parent, commit];
  const out = await git.text(args, { cwd, ...(signal === undefined ? {} : { signal }) });
  const fields = out.split('\0');
  const changes: ChangedPath[] = [];
  let index = 0;
  while (index < fields.length) {
    const meta = fields[index];
    if (meta === undefined || !meta.startsWith(':')) {
      index += 1;
      continue;
    }
    const [oldMode, newMode, oldSha, newSha, statusField] = meta.slice(1).split(' ') as [
      string,
      string,
      string,
      string,
      string,
    ];
    const letter = statusField.charAt(0);
    if (letter === 'R' || letter === 'C') {
      const oldPath = fields[index + 1] ?? '';
      const path = fields[index + 2] ?? '';
      index += 3;
      if (letter === 'C') {
        changes.push({ status: 'A', oldPath: path, path, oldMode: '000000', newMode, oldSha, newSha });
      } else {
        changes.push({ status: 'R', oldPath, path, oldMode, newMode, oldSha, newSha });
      }
      continue;
    }
    const path = fields[index + 1] ?? '';
    index += 2;
    const status = letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M';
    changes.push({ status, oldPath: path, path, oldMode, newMode, oldSha, newSha });
  }
  return changes;
}

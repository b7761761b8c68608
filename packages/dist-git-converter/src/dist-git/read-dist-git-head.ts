import { join } from 'node:path';
import { ConverterError } from '../converter-error';
import { createBlobReader } from '../git/read-blobs';
import type { GitRunner } from '../git/git-runner';
import type { CommittedFile, GitFileMode } from '../sync/tree-file';

/** What dist-git's `HEAD` holds, and how the working tree differs from it. */
export interface DistGitHead {
  /** The commit `HEAD` points at; undefined in a repository without commits. */
  readonly sha: string | undefined;
  /** Every file of the commit's tree (mode and blob id). Submodules are not listed. */
  readonly tree: ReadonlyMap<string, CommittedFile>;
  /** Paths with staged or unstaged changes, sorted. */
  readonly modified: readonly string[];
  /** Untracked and ignored paths, sorted (listed only with `listUntracked`). */
  readonly untracked: readonly string[];
  /**
   * Reads the bytes of a file of {@link tree}. Reads asked for in the same tick (e.g. through
   * `Promise.all`) share one `git cat-file --batch` process.
   */
  read(path: string): Promise<Uint8Array>;
}

/**
 * Reads dist-git's `HEAD` with the git CLI: `git status` (the commit, and the working tree's
 * changes; read-only: the runner's `GIT_OPTIONAL_LOCKS=0` leaves the index's stat cache as it
 * is), then `git ls-tree -r` (every file's mode and blob id). Bytes are read on demand: a
 * conversion needs the spec and the patches it regenerates, not every file.
 *
 * @param options.listUntracked also list untracked and ignored files (the pristine check).
 * @throws ConverterError `GIT_FAILED` when the directory is not the root of a git working tree.
 */
export async function readDistGitHead(
  dir: string,
  git: GitRunner,
  options: { readonly listUntracked?: boolean } = {},
): Promise<DistGitHead> {
  const untrackedArgs =
    options.listUntracked === true ? ['--ignored', '--untracked-files=all'] : ['--untracked-files=no'];
  // `--git-dir`/`--work-tree` pin the repository to `dir` itself: a directory inside another
  // repository (or a plain directory) fails instead of being taken for its parent.
  const status = await git
    .run(
      [
        `--git-dir=${join(dir, '.git')}`,
        `--work-tree=${dir}`,
        'status',
        '--porcelain=v2',
        '--branch',
        '-z',
        '--no-renames',
        ...untrackedArgs,
      ],
      { cwd: dir, okExitCodes: [0, 128] },
    )
    .catch((error: unknown) => ({ exitCode: -1, stdout: Buffer.alloc(0), stderr: String(error) }));
  if (status.exitCode !== 0) {
    throw new ConverterError(
      'GIT_FAILED',
      `${dir} is not the root of a git repository (the dist-git working tree): ${status.stderr.trim() || 'git could not be run'}`,
      { data: { dir } },
    );
  }
  const { sha, modified, untracked } = parseStatus(status.stdout.toString('utf8'));
  const tree = sha === undefined ? new Map<string, CommittedFile>() : await listTree(git, dir, sha);

  const blobs = createBlobReader(git, dir);
  return {
    sha,
    tree,
    modified,
    untracked,
    read(path) {
      const file = tree.get(path);
      if (file === undefined) return Promise.reject(new Error(`${path} is not in dist-git HEAD`));
      return blobs.read(file.oid);
    },
  };
}

/**
 * `git status --porcelain=v2 --branch -z`: `# branch.oid <sha>|(initial)`, then one entry per
 * path: `1 <XY> <sub> <mH> <mI> <mW> <hH> <hI> <path>` (changed), `u <XY> <sub> <m1> <m2> <m3> <mW>
 * <h1> <h2> <h3> <path>` (unmerged), `? <path>` (untracked), `! <path>` (ignored).
 */
function parseStatus(output: string): { sha: string | undefined; modified: string[]; untracked: string[] } {
  let sha: string | undefined;
  const modified: string[] = [];
  const untracked: string[] = [];
  for (const entry of output.split('\0')) {
    if (entry.startsWith('# branch.oid ')) {
      const oid = entry.slice('# branch.oid '.length);
      sha = oid === '(initial)' ? undefined : oid;
    } else if (entry.startsWith('? ') || entry.startsWith('! ')) {
      untracked.push(entry.slice(2));
    } else if (entry.startsWith('1 ') || entry.startsWith('u ')) {
      modified.push(fieldsAfter(entry, entry.startsWith('1 ') ? 8 : 10));
    }
  }
  return { sha, modified: modified.sort(), untracked: untracked.sort() };
}

/** What follows the first `count` space-separated fields (a path may hold spaces). */
function fieldsAfter(entry: string, count: number): string {
  let index = 0;
  for (let field = 0; field < count; field += 1) index = entry.indexOf(' ', index) + 1;
  return entry.slice(index);
}

async function listTree(git: GitRunner, dir: string, sha: string): Promise<Map<string, CommittedFile>> {
  const { stdout } = await git.run(['ls-tree', '-r', '-z', '--full-tree', sha], { cwd: dir });
  const tree = new Map<string, CommittedFile>();
  // Each entry: "<mode> SP <type> SP <oid> TAB <path> NUL"; paths are raw bytes (UTF-8).
  for (const entry of stdout.toString('utf8').split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    const [mode = '', type = '', oid = ''] = entry.slice(0, tab).split(' ');
    if (type !== 'blob') continue;
    tree.set(entry.slice(tab + 1), { mode: fileMode(mode), oid });
  }
  return tree;
}

function fileMode(mode: string): GitFileMode {
  if (mode === '120000') return '120000';
  if (mode === '100755') return '100755';
  return '100644';
}

import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConverterError } from '../converter-error';
import type { GitFileMode, TreeFile } from '../sync/tree-file';
import { unsafePathReason } from '../sync/unsafe-path-reason';
import type { ConverterFs } from './converter-fs';

/** One path whose file changes: `before` is what the working tree has now, `after` what it gets. */
export interface TreeChange {
  readonly path: string;
  readonly before: { readonly mode: GitFileMode } | undefined;
  readonly after: TreeFile | undefined;
}

/** Working-tree changes that are in place but can still be undone. */
export interface AppliedTreeChanges {
  /** Keeps the changes and removes the backups. */
  commit(): Promise<void>;
  /** Puts every touched path back as it was, then removes the backups. */
  rollback(): Promise<void>;
}

type JournalEntry =
  | { readonly kind: 'moved-out'; readonly path: string; readonly backup: string }
  | { readonly kind: 'moved-in'; readonly path: string }
  | { readonly kind: 'created-directory'; readonly path: string }
  | { readonly kind: 'removed-directory'; readonly path: string };

/**
 * Writes `changes` into a working tree all-or-nothing. Every new file is first written to a
 * scratch directory inside `gitDir` (same file system, so the final moves are atomic renames);
 * then old files are moved to a backup, emptied directories removed, and new files moved in. If
 * any step fails, every step already done is undone in reverse order and the failure is
 * reported as `DIST_GIT_WRITE_FAILED`; the working tree is as before.
 *
 * Every write stays inside `dir`, whatever the changes say: a path that {@link unsafePathReason}
 * refuses (a `.git` component in any spelling, `..`, absolute, control characters) is refused
 * before anything is touched; no file is moved out of or into a directory whose path inside
 * `dir` passes through a symbolic link (or a file); a file is moved out only when the working
 * tree has the kind of file the change expects there (regular file, link), and moved in only
 * where the working tree has nothing.
 */
export async function applyTreeChanges(options: {
  readonly fs: ConverterFs;
  readonly dir: string;
  readonly gitDir: string;
  readonly changes: readonly TreeChange[];
}): Promise<AppliedTreeChanges> {
  const { dir, changes } = options;
  const fs = options.fs.promises;
  const scratch = join(options.gitDir, `srcgit-${randomBytes(6).toString('hex')}`);
  const journal: JournalEntry[] = [];
  const cleanup = () => fs.rm(scratch, { recursive: true, force: true });

  const rollback = async (): Promise<void> => {
    const problems: string[] = [];
    for (const entry of [...journal].reverse()) {
      const target = join(dir, entry.path);
      try {
        if (entry.kind === 'moved-in') await fs.rm(target, { force: true });
        else if (entry.kind === 'created-directory') await fs.rmdir(target);
        else if (entry.kind === 'removed-directory') await fs.mkdir(target);
        else await fs.rename(entry.backup, target);
      } catch (error) {
        problems.push(`${entry.path}: ${(error as Error).message}`);
      }
    }
    journal.length = 0;
    if (problems.length === 0) await cleanup().catch(() => undefined);
    else {
      throw new ConverterError(
        'DIST_GIT_WRITE_FAILED',
        `could not restore the dist-git working tree ${dir} after a failure (${problems.join('; ')}); the previous files are kept in ${scratch}`,
        { data: { dir, scratch, problems } },
      );
    }
  };

  let step = 'prepare';
  let current = '';
  /** Each change's scratch file name: its position (paths may be too long or odd for a name). */
  const position = new Map(changes.map((change, index) => [change, index]));
  /**
   * Runs `operation` for every change at once (the file system works on many files in parallel);
   * when one fails, the others are still awaited, so that the journal holds everything done.
   */
  const forEach = async (
    selected: readonly TreeChange[],
    operation: (change: TreeChange) => Promise<void>,
  ): Promise<void> => {
    const outcomes = await Promise.allSettled(selected.map(operation));
    const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
    if (failed === -1) return;
    current = selected[failed]?.path ?? '';
    throw (outcomes[failed] as PromiseRejectedResult).reason;
  };
  try {
    step = 'check';
    for (const change of changes) {
      current = change.path;
      const reason = unsafePathReason(change.path);
      if (reason !== undefined)
        throw new Error(`refusing the path ${JSON.stringify(change.path)}: ${reason}`);
    }
    current = '';
    step = 'prepare';
    await fs.mkdir(join(scratch, 'new'), { recursive: true });
    await fs.mkdir(join(scratch, 'old'));
    const staged = new Map<string, string>();
    await forEach(
      changes.filter((change) => change.after !== undefined),
      async (change) => {
        const file = join(scratch, 'new', String(position.get(change)));
        await writeTreeFile(options.fs, file, change.after as TreeFile);
        staged.set(change.path, file);
      },
    );

    step = 'move out';
    const outgoingParents = realDirectoryCheck(options.fs, dir);
    await forEach(
      changes.filter((change) => change.before !== undefined),
      async (change) => {
        await outgoingParents(change.path);
        await assertKind(options.fs, dir, change.path, change.before?.mode);
        const backup = join(scratch, 'old', String(position.get(change)));
        await fs.rename(join(dir, change.path), backup);
        journal.push({ kind: 'moved-out', path: change.path, backup });
      },
    );

    step = 'remove emptied directories';
    const emptied = new Set<string>();
    for (const change of changes) {
      if (change.before === undefined) continue;
      for (let parent = dirname(change.path); parent !== '.'; parent = dirname(parent)) emptied.add(parent);
    }
    for (const parent of [...emptied].sort((a, b) => b.length - a.length)) {
      current = parent;
      const entries = await fs.readdir(join(dir, parent)).catch(() => undefined);
      if (entries === undefined || entries.length > 0) continue;
      await fs.rmdir(join(dir, parent));
      journal.push({ kind: 'removed-directory', path: parent });
    }

    step = 'move in';
    const incoming = changes.filter((change) => staged.has(change.path));
    // Directories first, parents before children, one at a time; then the files at once.
    const parents = new Set<string>();
    for (const change of incoming) {
      for (let parent = dirname(change.path); parent !== '.'; parent = dirname(parent)) parents.add(parent);
    }
    const incomingParents = realDirectoryCheck(options.fs, dir);
    for (const change of incoming) {
      current = change.path;
      await incomingParents(change.path);
      await assertKind(options.fs, dir, change.path, undefined);
    }
    for (const parent of [...parents].sort((a, b) => a.length - b.length)) {
      current = parent;
      const created = await fs.mkdir(join(dir, parent)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      if (created) journal.push({ kind: 'created-directory', path: parent });
    }
    await forEach(incoming, async (change) => {
      await fs.rename(staged.get(change.path) as string, join(dir, change.path));
      journal.push({ kind: 'moved-in', path: change.path });
    });
  } catch (error) {
    await rollback();
    throw new ConverterError(
      'DIST_GIT_WRITE_FAILED',
      `could not write the dist-git working tree ${dir} (${step} ${current}): ${(error as Error).message}; nothing was changed`,
      { cause: error, data: { dir, path: current, step } },
    );
  }

  return {
    async commit() {
      journal.length = 0;
      await cleanup().catch(() => undefined);
    },
    rollback,
  };
}

/**
 * A check that every directory above a path (inside `dir`) is a real directory or missing, never
 * a symbolic link or a file: what is written below a link would land wherever it points.
 * Directories already looked at are remembered (one check per phase of the write).
 */
function realDirectoryCheck(fs: ConverterFs, dir: string): (path: string) => Promise<void> {
  const seen = new Map<string, Promise<boolean>>();
  /** Resolves true when `parent` exists (as a real directory), false when it is missing. */
  const check = (parent: string): Promise<boolean> => {
    let known = seen.get(parent);
    if (known === undefined) {
      known = lstatOrUndefined(fs, join(dir, parent)).then((stats) => {
        if (stats === undefined) return false;
        if (stats.isDirectory()) return true;
        throw new Error(
          `${parent} is ${describe(stats)} in the working tree, not a directory: srcgit never writes through it`,
        );
      });
      seen.set(parent, known);
    }
    return known;
  };
  return async (path) => {
    const components = path.split('/').slice(0, -1);
    for (let depth = 1; depth <= components.length; depth++) {
      if (!(await check(components.slice(0, depth).join('/')))) return;
    }
  };
}

/**
 * Refuses to replace what the plan did not expect: `path` must be the kind of file `mode` says
 * (a link for `120000`, a regular file otherwise), or absent when `mode` is undefined.
 */
async function assertKind(
  fs: ConverterFs,
  dir: string,
  path: string,
  mode: GitFileMode | undefined,
): Promise<void> {
  const stats = await lstatOrUndefined(fs, join(dir, path));
  const expected = mode === undefined ? 'nothing' : mode === '120000' ? 'a symbolic link' : 'a regular file';
  const found = stats === undefined ? 'nothing' : describe(stats);
  if (found !== expected) {
    throw new Error(
      `the working tree has ${found} at ${path} where dist-git HEAD has ${expected}; srcgit does not replace what it did not expect`,
    );
  }
}

function describe(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  return 'a special file';
}

async function lstatOrUndefined(fs: ConverterFs, path: string): Promise<Stats | undefined> {
  try {
    return await fs.promises.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeTreeFile(fs: ConverterFs, path: string, file: TreeFile): Promise<void> {
  if (file.mode === '120000') {
    await fs.promises.symlink(Buffer.from(file.content), path);
    return;
  }
  await fs.promises.writeFile(path, file.content);
  await fs.promises.chmod(path, file.mode === '100755' ? 0o755 : 0o644);
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverterError } from '../converter-error';
import type { GitResult, GitRunner } from '../git/git-runner';

/** A commit's author, copied from wherever the change came from. */
export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
  /** Any date git accepts in `GIT_AUTHOR_DATE`, e.g. `@1704110400 +0000`. */
  readonly date: string;
}

/** A file to put into the index. */
export interface IndexEntry {
  readonly path: string;
  /** `100644`, `100755`, `120000` (symlink) or `160000` (gitlink). */
  readonly mode: string;
  /** Object id of the blob, already in the repository. */
  readonly sha: string;
}

/**
 * A private index of a repository (`GIT_INDEX_FILE` in a temp directory): commits are built in
 * it with `git apply --cached`, `update-index`, `write-tree` and `commit-tree`, without touching
 * the repository's work tree, index or branches. This is what makes `init` and
 * `update-source-git` all-or-nothing: the branch moves only when every commit exists.
 */
export interface ScratchIndex {
  readonly repoDir: string;
  /** Applies a patch (git's or a traditional unified diff) to the index; rejects on failure. */
  apply(patch: Uint8Array, args?: readonly string[]): Promise<GitResult>;
  /** Like {@link apply}, but reports failure as a result with git's message instead of rejecting. */
  tryApply(patch: Uint8Array, args?: readonly string[]): Promise<{ ok: boolean; message: string }>;
  /** Writes blobs into the object database and returns their ids, in order. */
  writeBlobs(contents: readonly Uint8Array[]): Promise<string[]>;
  /** Adds or replaces entries. */
  update(entries: readonly IndexEntry[]): Promise<void>;
  /** Removes paths from the index. */
  remove(paths: readonly string[]): Promise<void>;
  /** The entries of the given paths that the index holds (paths it does not hold are absent). */
  lookup(paths: readonly string[]): Promise<Map<string, IndexEntry>>;
  /** Every entry of the index, by path. */
  entries(): Promise<Map<string, IndexEntry>>;
  /** Resets the index to a tree-ish. */
  readTree(treeish: string): Promise<void>;
  writeTree(): Promise<string>;
  /**
   * Commits the index on top of `parent`; returns the new commit's sha (no ref is moved). Without
   * an author, the repository's identity authors it, at the committer date.
   */
  commit(message: string, parent: string, author?: CommitAuthor): Promise<string>;
  /** Removes the index file. */
  dispose(): Promise<void>;
}

export interface CreateScratchIndexOptions {
  readonly git: GitRunner;
  readonly repoDir: string;
  /** The tree-ish the index starts from; undefined for an empty index. */
  readonly base: string | undefined;
  /** Committer date for every commit (`GIT_COMMITTER_DATE`); default: git's current time. */
  readonly committerDate?: string;
  readonly signal?: AbortSignal;
}

/** Creates a {@link ScratchIndex} holding the tree of `base`. */
export async function createScratchIndex(options: CreateScratchIndexOptions): Promise<ScratchIndex> {
  const { git, repoDir, signal } = options;
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  const base = { cwd: repoDir, env, ...(signal === undefined ? {} : { signal }) };
  const text = async (args: readonly string[], input?: string | Uint8Array): Promise<string> =>
    (await git.text(args, { ...base, ...(input === undefined ? {} : { input }) })).trim();

  let blobCounter = 0;
  const index: ScratchIndex = {
    repoDir,
    apply: (patch, args = []) =>
      git.run(['apply', '--cached', '--binary', ...args], { ...base, input: patch }),
    async tryApply(patch, args = []) {
      const result = await git.run(['apply', '--cached', '--binary', ...args], {
        ...base,
        input: patch,
        okExitCodes: [0, 1, 128],
      });
      return { ok: result.exitCode === 0, message: result.stderr.trim() };
    },
    async writeBlobs(contents) {
      if (contents.length === 0) return [];
      const paths: string[] = [];
      for (const [position, content] of contents.entries()) {
        const path = join(dir, `blob-${blobCounter + position}`);
        await writeFile(path, content);
        paths.push(path);
      }
      blobCounter += contents.length;
      const ids = await text(['hash-object', '-w', '--no-filters', '--stdin-paths'], `${paths.join('\n')}\n`);
      await Promise.all(paths.map((path) => rm(path, { force: true })));
      return ids.split('\n');
    },
    async update(entries) {
      if (entries.length === 0) return;
      for (const entry of entries) assertPath(entry.path);
      await text(
        ['update-index', '--add', '--index-info'],
        entries.map((entry) => `${entry.mode} ${entry.sha}\t${entry.path}\n`).join(''),
      );
    },
    async remove(paths) {
      if (paths.length === 0) return;
      for (const path of paths) assertPath(path);
      await text(
        ['update-index', '--force-remove', '-z', '--stdin'],
        paths.map((path) => `${path}\0`).join(''),
      );
    },
    async lookup(paths) {
      const found = new Map<string, IndexEntry>();
      if (paths.length === 0) return found;
      const out = await git.text(
        ['ls-files', '--stage', '-z', '--', ...paths.map((path) => `:(literal)${path}`)],
        base,
      );
      for (const record of out.split('\0')) {
        const match = /^(\d{6}) ([0-9a-f]+) \d+\t(.*)$/s.exec(record);
        if (match === null) continue;
        const [, mode = '', sha = '', path = ''] = match;
        found.set(path, { path, mode, sha });
      }
      return found;
    },
    async entries() {
      const found = new Map<string, IndexEntry>();
      const out = await git.text(['ls-files', '--stage', '-z'], base);
      for (const record of out.split('\0')) {
        const match = /^(\d{6}) ([0-9a-f]+) \d+\t(.*)$/s.exec(record);
        if (match === null) continue;
        const [, mode = '', sha = '', path = ''] = match;
        found.set(path, { path, mode, sha });
      }
      return found;
    },
    async readTree(treeish) {
      await text(['read-tree', treeish]);
    },
    writeTree: () => text(['write-tree']),
    async commit(message, parent, author) {
      const tree = await text(['write-tree']);
      const commitEnv: Record<string, string> = {
        ...env,
        ...(options.committerDate === undefined
          ? {}
          : { GIT_COMMITTER_DATE: options.committerDate, GIT_AUTHOR_DATE: options.committerDate }),
        ...(author === undefined
          ? {}
          : { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_AUTHOR_DATE: author.date }),
      };
      return (
        await git.text(['commit-tree', tree, '-p', parent, '-F', '-'], {
          ...base,
          env: commitEnv,
          input: message,
        })
      ).trim();
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
  if (options.base === undefined) await text(['read-tree', '--empty']);
  else await index.readTree(options.base);
  return index;
}

function assertPath(path: string): void {
  if (path.includes('\n') || path.includes('\0')) {
    throw new ConverterError(
      'UNSUPPORTED_CHANGE',
      `cannot store the path ${JSON.stringify(path)}: srcgit does not support file names with a newline`,
      { data: { path } },
    );
  }
}

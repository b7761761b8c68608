import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit, runGitRaw } from '../run-git';

/** A commit as the simulator reports it. Dates are git's strict ISO 8601 with offset. */
export interface CommitInfo {
  readonly id: string;
  readonly parentIds: readonly string[];
  readonly authorName: string;
  readonly authorEmail: string;
  readonly authoredDate: string;
  readonly committerName: string;
  readonly committerEmail: string;
  readonly committedDate: string;
  /** Full message, as git stores it. */
  readonly message: string;
  readonly title: string;
}

export interface CommitChanges extends CommitInfo {
  readonly added: readonly string[];
  readonly modified: readonly string[];
  readonly removed: readonly string[];
}

export interface BlobInfo {
  readonly content: Buffer;
  readonly blobId: string;
}

export interface FileChange {
  readonly path: string;
  /** New content, or `null` to delete the file. */
  readonly content: string | Uint8Array | null;
  readonly executable?: boolean;
}

export interface Identity {
  readonly name: string;
  readonly email: string;
}

export const ZERO_SHA = '0000000000000000000000000000000000000000';
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

const FIELD = '\x1f';
const RECORD = '\x1e';
const COMMIT_FORMAT = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join(FIELD);

/** Bare repositories of the simulated projects, driven through the real git binary. */
export class GitStore {
  async init(dir: string, defaultBranch: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await runGit(['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, dir], { cwd: dir });
    for (const [key, value] of [
      ['gc.auto', '0'],
      ['maintenance.auto', 'false'],
      ['receive.advertisePushOptions', 'true'],
      ['http.receivepack', 'true'],
      ['uploadpack.allowAnySHA1InWant', 'true'],
    ] as const) {
      await runGit(['config', key, value], { cwd: dir });
    }
    // GitLab's internal refs can be fetched but not pushed.
    for (const hidden of ['refs/merge-requests', 'refs/pipelines', 'refs/keep-around', 'refs/environments']) {
      await runGit(['config', '--add', 'receive.hideRefs', hidden], { cwd: dir });
    }
  }

  async remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  /** Copies branches and tags of `from` into the empty repository `to` (a fork). */
  async copyRefs(from: string, to: string): Promise<void> {
    await runGit(
      ['fetch', '--quiet', '--no-tags', from, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'],
      {
        cwd: to,
      },
    );
  }

  /** Copies one commit (and its history) from another repository under `ref`. */
  async fetchCommit(from: string, to: string, sha: string, ref: string): Promise<void> {
    await runGit(['fetch', '--quiet', '--no-tags', from, `+${sha}:${ref}`], { cwd: to });
  }

  async setHead(dir: string, branch: string): Promise<void> {
    await runGit(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: dir });
  }

  /** Every ref under `refs/` with the object it points to (tags: the tag object). */
  async refs(dir: string): Promise<Map<string, string>> {
    const out = await runGit(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: dir });
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space));
    }
    return refs;
  }

  /** The commit a ref, branch, tag or sha names, or `undefined`. */
  async resolveCommit(dir: string, ref: string): Promise<string | undefined> {
    if (ref === '' || ref.startsWith('-')) return undefined;
    try {
      const out = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
        cwd: dir,
      });
      return out.trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async branchHead(dir: string, branch: string): Promise<string | undefined> {
    return this.resolveCommit(dir, `refs/heads/${branch}`);
  }

  async branches(dir: string): Promise<Map<string, string>> {
    const all = await this.refs(dir);
    const branches = new Map<string, string>();
    for (const [ref, sha] of all) if (ref.startsWith('refs/heads/')) branches.set(ref.slice(11), sha);
    return branches;
  }

  /** Tags with the commit they point to and, for annotated tags, their message. */
  async tags(dir: string): Promise<{ name: string; target: string; commit: string; message: string }[]> {
    const format = ['%(refname:strip=2)', '%(objectname)', '%(*objectname)', '%(contents)'].join(FIELD);
    const out = await runGit(['for-each-ref', `--format=${format}${RECORD}`, 'refs/tags'], { cwd: dir });
    return out
      .split(RECORD)
      .map((record) => record.replace(/^\n/, ''))
      .filter((record) => record !== '')
      .map((record) => {
        const [name = '', target = '', peeled = '', message = ''] = record.split(FIELD);
        return {
          name,
          target,
          commit: peeled === '' ? target : peeled,
          message: peeled === '' ? '' : message,
        };
      });
  }

  async commit(dir: string, sha: string): Promise<CommitInfo | undefined> {
    const resolved = await this.resolveCommit(dir, sha);
    if (resolved === undefined) return undefined;
    const out = await runGit(['show', '-s', `--format=${COMMIT_FORMAT}`, resolved], { cwd: dir });
    return parseCommit(out.replace(/\n$/, ''));
  }

  /** Commits reachable from `to` but not from `from` (all of `to` when `from` is undefined), newest first. */
  async log(dir: string, to: string, from?: string, limit?: number): Promise<CommitChanges[]> {
    const range = from === undefined || from === ZERO_SHA ? [to] : [to, `^${from}`];
    const args = ['log', `--format=${RECORD}${COMMIT_FORMAT}${FIELD}`, '--name-status', '--no-renames', '-z'];
    if (limit !== undefined) args.push(`--max-count=${limit}`);
    const out = await runGit([...args, ...range, '--'], { cwd: dir });
    return out
      .split(RECORD)
      .filter((chunk) => chunk !== '')
      .map((chunk) => {
        const end = chunk.lastIndexOf(FIELD);
        const info = parseCommit(chunk.slice(0, end));
        const changes = chunk
          .slice(end + 1)
          .split('\0')
          .filter((part) => part !== '' && part !== '\n');
        const added: string[] = [];
        const modified: string[] = [];
        const removed: string[] = [];
        for (let i = 0; i + 1 < changes.length; i += 2) {
          const status = (changes[i] ?? '').trim();
          const path = changes[i + 1] ?? '';
          if (status.startsWith('A')) added.push(path);
          else if (status.startsWith('D')) removed.push(path);
          else modified.push(path);
        }
        return { ...info, added, modified, removed };
      });
  }

  async countCommits(dir: string, to: string, from: string): Promise<number> {
    const out = await runGit(['rev-list', '--count', to, `^${from}`], { cwd: dir });
    return Number.parseInt(out.trim(), 10);
  }

  async changedFiles(dir: string, from: string, to: string): Promise<string[]> {
    const out = await runGit(['diff', '--name-only', '-z', '--no-renames', from, to, '--'], { cwd: dir });
    return out.split('\0').filter((path) => path !== '');
  }

  /** The diff of one file between two commits (`parent` undefined: against the empty tree). */
  async fileDiff(
    dir: string,
    parent: string | undefined,
    sha: string,
    path: string,
  ): Promise<{ text: string; aMode: string; bMode: string }> {
    const from = parent ?? EMPTY_TREE;
    const raw = await runGit(['diff', '--raw', '--no-renames', from, sha, '--', path], { cwd: dir });
    const [aMode = '0', bMode = '0'] = (raw.split('\n')[0] ?? '').slice(1).split(' ');
    const patch = await runGit(['diff', '--no-color', '--no-renames', from, sha, '--', path], { cwd: dir });
    const start = patch.indexOf('\n--- ');
    return {
      text: start < 0 ? '' : patch.slice(start + 1),
      aMode: aMode.replace(/^0+(?=.)/, ''),
      bMode: bMode.replace(/^0+(?=.)/, ''),
    };
  }

  /** Lines added and removed by a commit (against its first parent). */
  async stats(dir: string, sha: string): Promise<{ additions: number; deletions: number }> {
    const out = await runGit(['show', '--numstat', '--format=', '--no-renames', sha], { cwd: dir });
    let additions = 0;
    let deletions = 0;
    for (const line of out.split('\n')) {
      const [added = '', removed = ''] = line.split('\t');
      if (/^\d+$/.test(added)) additions += Number(added);
      if (/^\d+$/.test(removed)) deletions += Number(removed);
    }
    return { additions, deletions };
  }

  async mergeBase(dir: string, a: string, b: string): Promise<string | undefined> {
    try {
      return (await runGit(['merge-base', a, b], { cwd: dir })).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async isAncestor(dir: string, ancestor: string, descendant: string): Promise<boolean> {
    try {
      await runGit(['merge-base', '--is-ancestor', ancestor, descendant], { cwd: dir });
      return true;
    } catch {
      return false;
    }
  }

  /** Branches and tags whose history contains the commit. */
  async refsContaining(dir: string, sha: string): Promise<{ branches: string[]; tags: string[] }> {
    const out = await runGit(
      ['for-each-ref', '--format=%(refname)', `--contains=${sha}`, 'refs/heads', 'refs/tags'],
      { cwd: dir },
    );
    const branches: string[] = [];
    const tags: string[] = [];
    for (const ref of out.split('\n')) {
      if (ref.startsWith('refs/heads/')) branches.push(ref.slice(11));
      else if (ref.startsWith('refs/tags/')) tags.push(ref.slice(10));
    }
    return { branches, tags };
  }

  async readFile(dir: string, ref: string, path: string): Promise<BlobInfo | undefined> {
    const commit = await this.resolveCommit(dir, ref);
    if (commit === undefined) return undefined;
    let blobId: string;
    try {
      blobId = (await runGit(['rev-parse', '--verify', '--quiet', `${commit}:${path}`], { cwd: dir })).trim();
      const type = (await runGit(['cat-file', '-t', blobId], { cwd: dir })).trim();
      if (type !== 'blob') return undefined;
    } catch {
      return undefined;
    }
    const { stdout } = await runGitRaw(['cat-file', 'blob', blobId], { cwd: dir });
    return { content: stdout, blobId };
  }

  /** Names of the entries at the root of a commit's tree. */
  async rootEntries(dir: string, ref: string): Promise<string[]> {
    const out = await runGit(['ls-tree', '--name-only', '-z', ref], { cwd: dir });
    return out.split('\0').filter((name) => name !== '');
  }

  /** Paths in a commit's tree under `path` (recursively or not). */
  async tree(
    dir: string,
    ref: string,
    path: string,
    recursive: boolean,
  ): Promise<{ mode: string; type: string; id: string; path: string }[]> {
    const args = ['ls-tree', '-z', ...(recursive ? ['-r', '-t'] : []), ref];
    if (path !== '') args.push('--', path.endsWith('/') ? path : `${path}/`);
    const out = await runGit(args, { cwd: dir });
    return out
      .split('\0')
      .filter((line) => line !== '')
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode = '', type = '', id = ''] = line.slice(0, tab).split(' ');
        return { mode, type, id, path: line.slice(tab + 1) };
      });
  }

  async lastCommitTouching(dir: string, ref: string, path: string): Promise<string | undefined> {
    const out = await runGit(['log', '-1', '--format=%H', ref, '--', path], { cwd: dir });
    return out.trim() || undefined;
  }

  async updateRef(dir: string, ref: string, sha: string): Promise<void> {
    await runGit(['update-ref', ref, sha], { cwd: dir });
  }

  async deleteRef(dir: string, ref: string): Promise<void> {
    await runGit(['update-ref', '-d', ref], { cwd: dir });
  }

  async createTag(
    dir: string,
    name: string,
    sha: string,
    message: string | undefined,
    tagger: Identity,
  ): Promise<void> {
    const args = message === undefined ? ['tag', name, sha] : ['tag', '-a', name, '-m', message, sha];
    await runGit(args, { cwd: dir, env: identityEnv(tagger, undefined) });
  }

  /**
   * Writes a commit on top of `parent` (or a root commit) with the given file changes, without a
   * work tree, and returns its sha. The branch is not moved.
   */
  async writeCommit(
    dir: string,
    parent: string | undefined,
    changes: readonly FileChange[],
    message: string,
    author: Identity,
    date: string | undefined,
  ): Promise<string> {
    const index = join(dir, `sim-index-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      if (parent !== undefined) await runGit(['read-tree', parent], { cwd: dir, env });
      for (const change of changes) {
        if (change.content === null) {
          await runGit(['update-index', '--force-remove', '--', change.path], { cwd: dir, env });
          continue;
        }
        const blob = (
          await runGit(['hash-object', '-w', '--stdin'], { cwd: dir, input: change.content })
        ).trim();
        const mode = change.executable === true ? '100755' : '100644';
        await runGit(['update-index', '--add', '--cacheinfo', `${mode},${blob},${change.path}`], {
          cwd: dir,
          env,
        });
      }
      const tree = (await runGit(['write-tree'], { cwd: dir, env })).trim();
      const args = ['commit-tree', tree, ...(parent === undefined ? [] : ['-p', parent]), '-F', '-'];
      return (await runGit(args, { cwd: dir, input: message, env: identityEnv(author, date) })).trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  /**
   * Merges `theirs` into `ours` without a work tree. Returns the merge commit, or `undefined` when
   * the two conflict.
   */
  async mergeCommit(
    dir: string,
    ours: string,
    theirs: string,
    message: string,
    author: Identity,
    date: string | undefined,
  ): Promise<string | undefined> {
    let tree: string;
    try {
      tree =
        (await runGit(['merge-tree', '--write-tree', '--no-messages', ours, theirs], { cwd: dir }))
          .split('\n')[0]
          ?.trim() ?? '';
    } catch {
      return undefined;
    }
    if (tree === '') return undefined;
    const args = ['commit-tree', tree, '-p', ours, '-p', theirs, '-F', '-'];
    return (await runGit(args, { cwd: dir, input: message, env: identityEnv(author, date) })).trim();
  }

  /** Whether `theirs` merges cleanly into `ours`. */
  async mergesCleanly(dir: string, ours: string, theirs: string): Promise<boolean> {
    try {
      await runGit(['merge-tree', '--write-tree', '--no-messages', ours, theirs], { cwd: dir });
      return true;
    } catch {
      return false;
    }
  }
}

function identityEnv(identity: Identity, date: string | undefined): Record<string, string> {
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
  if (date !== undefined) {
    env.GIT_AUTHOR_DATE = date;
    env.GIT_COMMITTER_DATE = date;
  }
  return env;
}

function parseCommit(text: string): CommitInfo {
  const [id = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', ...rest] = text
    .replace(/^\n/, '')
    .split(FIELD);
  const message = rest.join(FIELD);
  return {
    id,
    parentIds: parents === '' ? [] : parents.split(' '),
    authorName: an,
    authorEmail: ae,
    authoredDate: ad,
    committerName: cn,
    committerEmail: ce,
    committedDate: cd,
    message,
    title: message.split('\n')[0] ?? '',
  };
}

import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { listPatchPaths } from '../patches/list-patch-paths';
import { splitMbox } from '../patches/split-mbox';
import { addTrailers, type Trailer } from '../back-sync/add-trailers';
import { createScratchIndex, type IndexEntry } from '../back-sync/scratch-index';
import { rawDateToRfc2822, type StreamChange, type StreamCommit } from './fast-import-commits';

/** A dist-git patch to turn into commits. */
export interface PatchToCommit {
  readonly fileName: string;
  readonly content: Uint8Array;
  /** The `-p` level `%prep` applies it with. */
  readonly strip: number;
  readonly trailers: readonly Trailer[];
  /** Author of a plain diff, its date in git's raw form. */
  readonly author: { readonly name: string; readonly email: string; readonly date: string };
  /** The error to throw when it does not apply. */
  readonly failure: (reason: string) => ConverterError;
}

/** One message of a patch: what `git am` would commit. */
interface PatchMessage {
  readonly patchIndex: number;
  readonly author: { readonly name: string; readonly email: string; readonly date: string };
  readonly message: string;
  readonly diff: Uint8Array;
}

const MAIL_START = /^(From [0-9a-f]{40,64} |From: |Subject: |Date: )/;
/** How many `git mailinfo` processes run at once (they are short; this hides spawn latency). */
const MAILINFO_CONCURRENCY = 4;

/**
 * Applies dist-git patches in order on top of `base` and describes the resulting commits (for
 * {@link fastImportCommits}): a mail patch gives one commit per message with its author, date and
 * message (`git mailinfo`, as `git am`); a plain diff one commit with the given author and
 * `Apply patch <name>`. The patches are applied with `git apply --cached` to a private index that
 * holds only the paths they touch, so that an upstream-sized tree costs nothing per patch.
 *
 * @returns per patch, its commits in order
 */
export async function preparePatchCommits(
  git: GitRunner,
  repoDir: string,
  base: string,
  patches: readonly PatchToCommit[],
  onApplied?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<StreamCommit[][]> {
  const signalOption = signal === undefined ? {} : { signal };
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-init-'));
  try {
    const messages = await splitIntoMessages(git, repoDir, dir, patches, signal);

    // The private index: the base tree's entries of every path a patch touches.
    const touched = touchedPaths(patches, messages);
    const touchedDirectories = parentDirectories(touched);
    const baseTree = await git.text(['ls-tree', '-r', '-z', '--full-tree', base], {
      cwd: repoDir,
      ...signalOption,
    });
    const entries: IndexEntry[] = [];
    for (const record of baseTree.split('\0')) {
      const match = /^(\d{6}) (?:blob|commit) ([0-9a-f]+)\t(.*)$/s.exec(record);
      if (match !== null && isNeeded(match[3] ?? '', touched, touchedDirectories)) {
        entries.push({ mode: match[1] ?? '', sha: match[2] ?? '', path: match[3] ?? '' });
      }
    }
    const index = await createScratchIndex({ git, repoDir, base: undefined, ...signalOption });
    try {
      await index.update(entries);
      let previous = new Map(entries.map((entry) => [entry.path, entry]));
      const result: StreamCommit[][] = patches.map(() => []);
      let done = -1;
      for (const message of messages) {
        const patch = patches[message.patchIndex] as PatchToCommit;
        if (message.diff.length > 0) {
          const applied = await index.tryApply(message.diff, [`-p${patch.strip}`]);
          if (!applied.ok) throw patch.failure(applied.message);
        }
        const current = await index.entries();
        const changes: StreamChange[] = [];
        for (const [path, entry] of current) {
          const before = previous.get(path);
          if (before === undefined || before.sha !== entry.sha || before.mode !== entry.mode) {
            changes.push({ path, mode: entry.mode, sha: entry.sha });
          }
        }
        for (const path of previous.keys()) if (!current.has(path)) changes.push({ path, deleted: true });
        previous = current;
        result[message.patchIndex]?.push({
          author: message.author,
          message: await addTrailers(git, repoDir, message.message, patch.trailers, signal),
          changes,
        });
        if (message.patchIndex !== done) {
          done = message.patchIndex;
          onApplied?.(done + 1, patches.length);
        }
      }
      return result;
    } finally {
      await index.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function splitIntoMessages(
  git: GitRunner,
  repoDir: string,
  dir: string,
  patches: readonly PatchToCommit[],
  signal: AbortSignal | undefined,
): Promise<PatchMessage[]> {
  const signalOption = signal === undefined ? {} : { signal };
  const jobs: { patchIndex: number; mail: Uint8Array | undefined; fallback: PatchMessage }[] = [];
  for (const [patchIndex, patch] of patches.entries()) {
    const author = { ...patch.author, date: rawDateToRfc2822(patch.author.date) };
    const plain: PatchMessage = {
      patchIndex,
      author,
      message: `Apply patch ${patch.fileName}\n`,
      diff: patch.content,
    };
    const content = Buffer.from(patch.content);
    if (!MAIL_START.test(content.subarray(0, 200).toString('latin1'))) {
      jobs.push({ patchIndex, mail: undefined, fallback: plain });
      continue;
    }
    let mails: Uint8Array[] = splitMbox(content)
      .filter((message) => message.sha !== undefined)
      .map((message) => message.bytes);
    if (mails.length === 0)
      mails = await mailsplit(git, repoDir, join(dir, `split-${patchIndex}`), content, signal);
    for (const mail of mails) jobs.push({ patchIndex, mail, fallback: plain });
  }
  const messages: PatchMessage[] = new Array<PatchMessage>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const position = next++;
      const job = jobs[position];
      if (job === undefined) continue;
      if (job.mail === undefined) {
        messages[position] = job.fallback;
        continue;
      }
      const msgPath = join(dir, `${position}.msg`);
      const patchPath = join(dir, `${position}.patch`);
      const info = await git.text(['mailinfo', '-u', msgPath, patchPath], {
        cwd: repoDir,
        input: job.mail,
        ...signalOption,
      });
      const fields = new Map<string, string>();
      for (const line of info.split('\n')) {
        const separator = line.indexOf(': ');
        if (separator > 0) fields.set(line.slice(0, separator), line.slice(separator + 2));
      }
      const body = (await readFile(msgPath, 'utf8')).trimEnd();
      const subject = fields.get('Subject') ?? job.fallback.message.trim();
      const name = fields.get('Author');
      const email = fields.get('Email');
      messages[position] = {
        patchIndex: job.patchIndex,
        author:
          name === undefined || email === undefined
            ? job.fallback.author
            : { name, email, date: fields.get('Date') ?? job.fallback.author.date },
        message: body === '' ? `${subject}\n` : `${subject}\n\n${body}\n`,
        diff: await readFile(patchPath),
      };
    }
  };
  await Promise.all(Array.from({ length: MAILINFO_CONCURRENCY }, () => worker()));
  return messages;
}

async function mailsplit(
  git: GitRunner,
  repoDir: string,
  dir: string,
  content: Buffer,
  signal: AbortSignal | undefined,
): Promise<Uint8Array[]> {
  await mkdir(dir, { recursive: true });
  await git.run(['mailsplit', '-b', `-o${dir}`], {
    cwd: repoDir,
    input: content,
    ...(signal === undefined ? {} : { signal }),
  });
  const names = (await readdir(dir)).filter((name) => /^\d+$/.test(name)).sort();
  return Promise.all(names.map((name) => readFile(join(dir, name))));
}

/**
 * Every path the patches touch, read from their diff headers with {@link listPatchPaths}: old and
 * new names of renames and copies, both names of traditional diffs. (`git apply --numstat` lists
 * only the new name of a rename, and none at all once any message of its input is corrupt.)
 */
function touchedPaths(patches: readonly PatchToCommit[], messages: readonly PatchMessage[]): Set<string> {
  const paths = new Set<string>();
  for (const message of messages) {
    const strip = patches[message.patchIndex]?.strip ?? 1;
    for (const path of listPatchPaths(message.diff, strip)) paths.add(path);
  }
  return paths;
}

/**
 * Whether the base tree's entry at `path` belongs in the private index: a touched path, a file
 * where a touched path needs a directory, or a file inside a touched path (so that `git apply`
 * sees a file/directory conflict as it would in the full tree).
 */
function isNeeded(
  path: string,
  touched: ReadonlySet<string>,
  touchedDirectories: ReadonlySet<string>,
): boolean {
  if (touched.has(path) || touchedDirectories.has(path)) return true;
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    if (touched.has(path.slice(0, slash))) return true;
  }
  return false;
}

/** Every directory above a touched path. */
function parentDirectories(touched: ReadonlySet<string>): Set<string> {
  const directories = new Set<string>();
  for (const path of touched) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      directories.add(path.slice(0, slash));
    }
  }
  return directories;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { listPatchPaths } from '../patches/list-patch-paths';
import { addTrailers, type Trailer } from '../back-sync/add-trailers';
import { createScratchIndex, type IndexEntry } from '../back-sync/scratch-index';
import { applyPatchMessages, parentDirectories, type TouchingMessage } from './apply-patch-messages';
import type { StreamCommit } from './fast-import-commits';
import { splitPatchMessages, type PatchSource } from './split-patch-messages';

/** A dist-git patch to turn into commits. */
export interface PatchToCommit extends PatchSource {
  /** The `-p` level `%prep` applies it with. */
  readonly strip: number;
  readonly trailers: readonly Trailer[];
  /** The error to throw when it does not apply. */
  readonly failure: (reason: string) => ConverterError;
}

/**
 * Applies dist-git patches in order on top of `base` and describes the resulting commits (for
 * {@link fastImportCommits}): a mail patch gives one commit per message with its author, date and
 * message (`git mailinfo`, as `git am`); a plain diff one commit with the given author and
 * `Apply patch <name>`. The patches are applied with `git apply --cached` to a private index that
 * holds only the paths they touch, so that an upstream-sized tree costs nothing per patch, and
 * runs of patches that touch different files are applied together ({@link applyPatchMessages}).
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
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-init-'));
  try {
    const messages = await splitPatchMessages(git, repoDir, dir, patches, signal);
    const touching = messages.map((message) => ({
      message,
      paths: listPatchPaths(message.diff, patches[message.patchIndex]?.strip ?? 1),
    }));
    const start = await baseEntries(git, repoDir, base, touching, signal);
    const index = await createScratchIndex({
      git,
      repoDir,
      base: undefined,
      ...(signal === undefined ? {} : { signal }),
    });
    try {
      await index.update([...start.values()]);
      let done = -1;
      const changes = await applyPatchMessages(index, start, touching, patches, dir, (message) => {
        if (message.patchIndex === done) return;
        done = message.patchIndex;
        onApplied?.(done + 1, patches.length);
      });
      const result: StreamCommit[][] = patches.map(() => []);
      for (const [position, message] of messages.entries()) {
        const patch = patches[message.patchIndex] as PatchToCommit;
        result[message.patchIndex]?.push({
          author: message.author,
          message: await addTrailers(git, repoDir, message.message, patch.trailers, signal),
          changes: changes[position] ?? [],
        });
      }
      return result;
    } finally {
      await index.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The private index's first entries: the base tree's entries of every path a message touches,
 * of files where a touched path needs a directory, and of files inside a touched path (so that
 * `git apply` sees a file/directory conflict as it would in the full tree).
 */
async function baseEntries(
  git: GitRunner,
  repoDir: string,
  base: string,
  messages: readonly TouchingMessage[],
  signal: AbortSignal | undefined,
): Promise<Map<string, IndexEntry>> {
  const touched = new Set(messages.flatMap((touching) => [...touching.paths]));
  const touchedDirectories = parentDirectories(touched);
  const baseTree = await git.text(['ls-tree', '-r', '-z', '--full-tree', base], {
    cwd: repoDir,
    ...(signal === undefined ? {} : { signal }),
  });
  const entries = new Map<string, IndexEntry>();
  for (const record of baseTree.split('\0')) {
    const match = /^(\d{6}) (?:blob|commit) ([0-9a-f]+)\t(.*)$/s.exec(record);
    const path = match?.[3] ?? '';
    if (match !== null && isNeeded(path, touched, touchedDirectories)) {
      entries.set(path, { mode: match[1] ?? '', sha: match[2] ?? '', path });
    }
  }
  return entries;
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

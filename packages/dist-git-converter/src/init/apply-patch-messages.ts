import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConverterError } from '../converter-error';
import type { IndexEntry, ScratchIndex } from '../back-sync/scratch-index';
import type { StreamChange } from './fast-import-commits';
import type { PatchMessage } from './split-patch-messages';

/** What {@link applyPatchMessages} needs of a message's patch. */
export interface MessagePatch {
  /** The `-p` level `%prep` applies it with. */
  readonly strip: number;
  /** The error to throw when it does not apply. */
  readonly failure: (reason: string) => ConverterError;
}

/** A message with the paths its diff may touch (`listPatchPaths`, a superset of what git touches). */
export interface TouchingMessage {
  readonly message: PatchMessage;
  readonly paths: ReadonlySet<string>;
}

/** At most this many messages go to one `git apply` (its command line names their files). */
const MAX_GROUP = 200;

/**
 * Applies the messages in order to the private index `index` (which starts as `start`) and
 * returns, per message, its changes against the state before it, for {@link fastImportCommits}.
 *
 * Consecutive messages with the same `-p` level whose paths are disjoint (no path of one is a
 * path or a parent directory of a path of another) cannot see each other's changes, so they go
 * to ONE `git apply --cached` and ONE index read, and each changed path is given to the message
 * that names it: on an upstream-sized series that is a handful of git processes instead of two
 * per patch. When a group does not apply, or a change cannot be given to exactly one message, the
 * index is put back and the group's messages are applied one by one — which also names the
 * patch that fails.
 *
 * @param dir a private directory for the groups' patch files
 * @throws {ConverterError} the failing message's `patch.failure`
 */
export async function applyPatchMessages(
  index: ScratchIndex,
  start: ReadonlyMap<string, IndexEntry>,
  messages: readonly TouchingMessage[],
  patches: readonly MessagePatch[],
  dir: string,
  onApplied?: (message: PatchMessage) => void,
): Promise<StreamChange[][]> {
  const changes: StreamChange[][] = [];
  let previous = start;
  for (const group of disjointGroups(messages, patches)) {
    const grouped = group.length > 1 ? await applyGroup(index, previous, group, patches, dir) : undefined;
    if (grouped !== undefined) {
      changes.push(...grouped.changes);
      previous = grouped.current;
    } else {
      for (const { message } of group) {
        const patch = patches[message.patchIndex] as MessagePatch;
        if (message.diff.length > 0) {
          const applied = await index.tryApply(message.diff, [`-p${patch.strip}`]);
          if (!applied.ok) throw patch.failure(applied.message);
        }
        const current = await index.entries();
        changes.push(changesBetween(previous, current, undefined));
        previous = current;
      }
    }
    for (const { message } of group) onApplied?.(message);
  }
  return changes;
}

/**
 * Splits the messages, in order, into runs that may be applied together: same `-p` level,
 * pairwise disjoint paths. A message with a diff but no path found is a run of its own.
 */
function disjointGroups(
  messages: readonly TouchingMessage[],
  patches: readonly MessagePatch[],
): TouchingMessage[][] {
  const groups: TouchingMessage[][] = [];
  let group: TouchingMessage[] = [];
  let paths = new Set<string>();
  let directories = new Set<string>();
  let strip: number | undefined;
  const close = (): void => {
    if (group.length > 0) groups.push(group);
    group = [];
    paths = new Set();
    directories = new Set();
    strip = undefined;
  };
  for (const touching of messages) {
    const messageStrip = patches[touching.message.patchIndex]?.strip;
    const alone = touching.paths.size === 0 && touching.message.diff.length > 0;
    const messageDirectories = parentDirectories(touching.paths);
    const clash =
      alone ||
      group.length >= MAX_GROUP ||
      (strip !== undefined && strip !== messageStrip) ||
      [...touching.paths].some((path) => paths.has(path) || directories.has(path)) ||
      [...messageDirectories].some((directory) => paths.has(directory));
    if (clash) close();
    group.push(touching);
    strip = messageStrip;
    for (const path of touching.paths) paths.add(path);
    for (const directory of messageDirectories) directories.add(directory);
    if (alone) close();
  }
  close();
  return groups;
}

/**
 * Applies a group with one `git apply --cached` and gives each change to the message naming its
 * path. Undefined (with the index as it was) when the group does not apply or a change is nobody's.
 */
async function applyGroup(
  index: ScratchIndex,
  previous: ReadonlyMap<string, IndexEntry>,
  group: readonly TouchingMessage[],
  patches: readonly MessagePatch[],
  dir: string,
): Promise<{ changes: StreamChange[][]; current: Map<string, IndexEntry> } | undefined> {
  const files: string[] = [];
  for (const { message } of group) {
    if (message.diff.length === 0) continue;
    const file = join(dir, `group-${files.length}.diff`);
    await writeFile(file, message.diff);
    files.push(file);
  }
  const strip = patches[group[0]?.message.patchIndex ?? 0]?.strip ?? 1;
  if (files.length > 0) {
    const applied = await index.tryApply(new Uint8Array(0), [`-p${strip}`, '--', ...files]);
    if (!applied.ok) return undefined;
  }
  const current = await index.entries();
  const changes = group.map((touching) => changesBetween(previous, current, touching.paths));
  if (changes.flat().length !== changesBetween(previous, current, undefined).length) {
    await restore(index, previous, current);
    return undefined;
  }
  return { changes, current };
}

/**
 * The changes from `before` to `after` (of the paths in `only`, when given): deletions first, so
 * that a file replaced by a directory of the same name (or the reverse) is written in the right
 * order, then additions and modifications; each sorted by path.
 */
function changesBetween(
  before: ReadonlyMap<string, IndexEntry>,
  after: ReadonlyMap<string, IndexEntry>,
  only: ReadonlySet<string> | undefined,
): StreamChange[] {
  const deleted: StreamChange[] = [];
  const written: StreamChange[] = [];
  const paths = only === undefined ? new Set([...before.keys(), ...after.keys()]) : only;
  for (const path of [...paths].sort()) {
    const old = before.get(path);
    const entry = after.get(path);
    if (entry === undefined) {
      if (old !== undefined) deleted.push({ path, deleted: true });
    } else if (old === undefined || old.sha !== entry.sha || old.mode !== entry.mode) {
      written.push({ path, mode: entry.mode, sha: entry.sha });
    }
  }
  return [...deleted, ...written];
}

/** Puts the index back from `current` to `previous`. */
async function restore(
  index: ScratchIndex,
  previous: ReadonlyMap<string, IndexEntry>,
  current: ReadonlyMap<string, IndexEntry>,
): Promise<void> {
  await index.remove([...current.keys()].filter((path) => !previous.has(path)));
  await index.update([...previous.values()]);
}

/** Every directory above the given paths. */
export function parentDirectories(paths: Iterable<string>): Set<string> {
  const directories = new Set<string>();
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      directories.add(path.slice(0, slash));
    }
  }
  return directories;
}

import { ConverterError } from '../converter-error';
import type { PatchMetadata } from './patch-metadata';

/** A commit on its way to a patch file. */
export interface SquashEntry {
  readonly sha: string;
  readonly metadata: PatchMetadata;
  /** The final file name: the metadata name, else git's numbered name. */
  readonly name: string;
}

/** Commits that become one patch file. */
export interface SquashGroup<T extends SquashEntry> {
  readonly name: string;
  /** The commit whose metadata the file carries: the first one, or the legacy marked one. */
  readonly lead: T;
  /** Oldest first. */
  readonly members: readonly T[];
}

/**
 * Squashing by name (docs/converter-behaviour.md §2.7.5, E11/E12): a patch with the same name as the patch
 * right before it joins that file; the same name further apart is an error. Two commits can
 * never map to one file name any other way (fixed Q5).
 *
 * @throws ConverterError `PATCH_NAME_CONFLICT` with packit's message.
 */
export function squashByName<T extends SquashEntry>(entries: readonly T[]): SquashGroup<T>[] {
  const groups: { name: string; lead: T; members: T[] }[] = [];
  const used = new Set<string>();
  for (const entry of entries) {
    const last = groups.at(-1);
    if (last !== undefined && last.name === entry.name) {
      last.members.push(entry);
      continue;
    }
    if (used.has(entry.name)) throw conflict(entry);
    used.add(entry.name);
    groups.push({ name: entry.name, lead: entry, members: [entry] });
  }
  return groups;
}

/**
 * Legacy `squash_commits` grouping (§2.7.5): commits newer than the newest `squash_commits`
 * commit join its group; going older, every commit with metadata starts a group and commits
 * without metadata join the group of the next newer commit that has some.
 *
 * @throws ConverterError `PATCH_NAME_CONFLICT` when two groups end up with one name.
 */
export function squashLegacy<T extends SquashEntry>(entries: readonly T[]): SquashGroup<T>[] {
  let newest = -1;
  entries.forEach((entry, index) => {
    if (entry.metadata.squashCommits) newest = index;
  });
  const groups: { lead: T; members: T[] }[] = [];
  let current: { lead: T; members: T[] } | undefined;
  for (let index = newest; index >= 0; index--) {
    const entry = entries[index] as T;
    const marked = entry.metadata.squashCommits || entry.metadata.presentInSpec || entry.metadata.hasMetadata;
    if (current === undefined || marked) {
      current = { lead: entry, members: [entry] };
      groups.unshift(current);
    } else {
      current.members.unshift(entry);
    }
  }
  groups.at(-1)?.members.push(...entries.slice(newest + 1));
  const names = new Set<string>();
  return groups.map((group) => {
    if (names.has(group.lead.name)) throw conflict(group.lead);
    names.add(group.lead.name);
    return { name: group.lead.name, lead: group.lead, members: group.members };
  });
}

function conflict(entry: SquashEntry): ConverterError {
  return new ConverterError(
    'PATCH_NAME_CONFLICT',
    `Non-adjacent patches cannot have the same name: ${entry.name}.`,
    {
      data: { name: entry.name, sha: entry.sha },
    },
  );
}

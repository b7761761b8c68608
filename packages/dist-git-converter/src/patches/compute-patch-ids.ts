import type { GitRunner } from '../git/git-runner';
import { normalizePatchHeaders } from './normalize-patch-headers';
import { startPatchIdSession, type PatchIdSessionOptions } from './patch-id-session';
import { splitMbox } from './split-mbox';

export type ComputePatchIdsOptions = PatchIdSessionOptions;

/**
 * The identical check of docs/converter-behaviour.md §2.7.7: for each patch file, the ordered list of
 * `git patch-id --stable` ids of all its messages, computed with ONE git process for all files.
 * Every message is first put into canonical form ({@link normalizePatchHeaders}: `diff -pruN`
 * lines, timestamps, path prefixes, gendiff's `.orig`-style old names, a `diff --git` line for
 * every header-less `---`/`+++` pair — fixed Q17), so a hand-made dist-git patch and its
 * regenerated git form get the same ids. The rule built on these ids is `isSamePatchContent`.
 *
 * Compare the lists of an old and a new file with {@link isSamePatch}; the ids of generated
 * patches are also in `PlannedPatch.patchIds`, computed the same way.
 *
 * @example
 * ```ts
 * const [oldIds, newIds] = await computePatchIds([oldBytes, newBytes], createGitRunner());
 * if (isSamePatch(oldIds, newIds)) keepOldBytes();
 * ```
 */
export async function computePatchIds(
  fileBytes: readonly Uint8Array[],
  git: GitRunner,
  options: ComputePatchIdsOptions = {},
): Promise<string[][]> {
  const session = startPatchIdSession(git, options);
  try {
    const messagesPerFile = fileBytes.map((bytes) => {
      const messages = patchMessages(bytes);
      for (const message of messages) session.add(message);
      return messages.length;
    });
    const ids = await session.finish();
    let next = 0;
    return messagesPerFile.map((count) => ids.slice(next, (next += count)).flat());
  } catch (error) {
    session.abort();
    throw error;
  }
}

/**
 * The messages of one patch file as the identical check sees them: split at `From <sha>` lines,
 * each normalised with {@link normalizePatchHeaders}. Splitting first makes the result for a
 * concatenation of format-patch messages the concatenation of the results for each.
 */
export function patchMessages(bytes: Uint8Array): Buffer[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return splitMbox(buffer).map((message) =>
    Buffer.from(normalizePatchHeaders(message.bytes.toString('latin1')), 'latin1'),
  );
}

/**
 * Whether an old patch file and a new one carry the same changes: their whole ordered patch-id
 * lists are equal (fixed Q18: every message of a squashed file counts, not only the first).
 * Files without any diff are never "the same" (there is nothing to compare).
 */
export function isSamePatch(oldIds: readonly string[], newIds: readonly string[]): boolean {
  return (
    oldIds.length > 0 && oldIds.length === newIds.length && oldIds.every((id, index) => id === newIds[index])
  );
}

import { splitMbox } from './split-mbox';

const DIFF_START = Buffer.from('\ndiff --git ');
const SIGNATURE = Buffer.from('\n-- \n');

/**
 * A shortcut of the identical check: true when two patch files hold the same `git format-patch`
 * messages in the same order up to their headers and commit messages — every message's part from
 * its first `diff --git` line on (the diff and the signature) byte for byte. Their patch-ids are
 * then equal too, so the committed bytes can be kept without running `git patch-id`. This is the
 * common case: after a new commit every `[PATCH n/m]` subject changes, after `srcgit init` every
 * `From <sha>` line and message. False means "compare the patch-ids", not "different".
 */
export function haveSameDiffs(a: Uint8Array, b: Uint8Array): boolean {
  const diffsOfA = diffParts(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const diffsOfB = diffParts(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  if (diffsOfA === undefined || diffsOfB === undefined || diffsOfA.length !== diffsOfB.length) return false;
  return diffsOfA.every((part, index) => part.equals(diffsOfB[index] as Buffer));
}

/** Each message's bytes from its first `diff --git` line; undefined when a message has none. */
function diffParts(bytes: Buffer): Buffer[] | undefined {
  const parts: Buffer[] = [];
  for (const message of splitMbox(bytes)) {
    if (message.sha === undefined) return undefined;
    const start = message.bytes.indexOf(DIFF_START);
    if (start === -1) return undefined;
    // Blank lines after the signature (the separator `--stdout` puts between messages) are no
    // part of the diff.
    const signature = message.bytes.lastIndexOf(SIGNATURE);
    let end = message.bytes.length;
    while (signature !== -1 && end > signature + SIGNATURE.length && message.bytes[end - 1] === 0x0a)
      end -= 1;
    parts.push(message.bytes.subarray(start + 1, end));
  }
  return parts.length === 0 ? undefined : parts;
}

/** One message of a `git format-patch` mbox. */
export interface MboxMessage {
  /** The commit sha of the `From <sha> Mon Sep 17 00:00:00 2001` line; undefined for text before the first one. */
  readonly sha: string | undefined;
  /** The message's bytes, from its `From ` line up to the next one (a view into the input). */
  readonly bytes: Buffer;
}

const FROM_LINE = /^From ([0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001\n/;
const FROM_LINE_MAX = 'From '.length + 64 + ' Mon Sep 17 00:00:00 2001\n'.length;

/**
 * Splits `git format-patch --stdout` output (or a patch file) into its messages at the
 * `From <sha> Mon Sep 17 00:00:00 2001` lines git writes.
 *
 * @param accept - when given, only From lines whose sha it accepts start a message, so that a
 *   commit message quoting such a line cannot split a patch.
 */
export function splitMbox(bytes: Buffer, accept?: (sha: string) => boolean): MboxMessage[] {
  const starts: { offset: number; sha: string }[] = [];
  let offset = 0;
  for (;;) {
    const head = bytes.toString('latin1', offset, Math.min(bytes.length, offset + FROM_LINE_MAX));
    const match = FROM_LINE.exec(head);
    if (match !== null) {
      const sha = match[1] as string;
      if (accept === undefined || accept(sha)) starts.push({ offset, sha });
    }
    const next = bytes.indexOf('\nFrom ', offset, 'latin1');
    if (next === -1) break;
    offset = next + 1;
  }
  const messages: MboxMessage[] = [];
  const first = starts[0];
  if (first === undefined) return bytes.length === 0 ? [] : [{ sha: undefined, bytes }];
  if (first.offset > 0) messages.push({ sha: undefined, bytes: bytes.subarray(0, first.offset) });
  starts.forEach((start, index) => {
    const end = starts[index + 1]?.offset ?? bytes.length;
    messages.push({ sha: start.sha, bytes: bytes.subarray(start.offset, end) });
  });
  return messages;
}

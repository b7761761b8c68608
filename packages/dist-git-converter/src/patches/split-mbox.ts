/** One message of a `git format-patch` mbox. */
export interface MboxMessage {
  /** The commit sha of the `From <sha> Mon Sep 17 00:00:00 2001` line; undefined for text before the first one. */
  readonly sha: string | undefined;
  /** The message's bytes, from its `From ` line up to the next one. */
  readonly bytes: Buffer;
}

/** A `From <sha> Mon Sep 17 00:00:00 2001` line found in the stream. */
export interface MboxBoundary {
  /** Offset of the line in the whole stream. */
  readonly offset: number;
  readonly sha: string;
}

const FROM_LINE = /^From ([0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001\n/;
const FROM_LINE_MAX = 'From '.length + 64 + ' Mon Sep 17 00:00:00 2001\n'.length;
const NEWLINE = 0x0a;
const CAPITAL_F = 0x46;

/**
 * Finds the message boundaries of `git format-patch --stdout` output while it streams in, and
 * hands out byte ranges of everything pushed so far (chunks are kept, never copied twice).
 */
export class MboxStream {
  /** Boundaries found so far, in stream order. */
  readonly boundaries: MboxBoundary[] = [];
  private readonly chunks: Buffer[] = [];
  private readonly starts: number[] = [];
  private total = 0;
  private atLineStart = true;
  /** The first bytes of a line that began in an earlier chunk and is not yet long enough to judge. */
  private head: { offset: number; bytes: Buffer } | undefined;
  private ended = false;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (this.ended) throw new Error('MboxStream: push after end');
    if (chunk.length === 0) return;
    const base = this.total;
    this.chunks.push(chunk);
    this.starts.push(base);
    this.total += chunk.length;

    let index = 0;
    if (this.head !== undefined) {
      const newline = chunk.indexOf(NEWLINE);
      const lineEnd = newline === -1 ? chunk.length : newline + 1;
      const bytes = Buffer.concat([this.head.bytes, chunk.subarray(0, Math.min(lineEnd, FROM_LINE_MAX))]);
      if (newline === -1 && bytes.length < FROM_LINE_MAX) {
        this.head = { offset: this.head.offset, bytes };
        return;
      }
      this.check(bytes, this.head.offset);
      this.head = undefined;
      if (newline === -1) {
        this.atLineStart = false;
        return;
      }
      index = newline + 1;
    } else if (!this.atLineStart) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) return;
      index = newline + 1;
    }

    while (index < chunk.length) {
      if (chunk[index] === CAPITAL_F) {
        const newline = chunk.indexOf(NEWLINE, index);
        if (newline === -1 && chunk.length - index < FROM_LINE_MAX) {
          this.head = { offset: base + index, bytes: Buffer.from(chunk.subarray(index)) };
          this.atLineStart = false;
          return;
        }
        const end = newline === -1 ? index + FROM_LINE_MAX : Math.min(newline + 1, index + FROM_LINE_MAX);
        this.check(chunk.subarray(index, end), base + index);
        if (newline === -1) {
          this.atLineStart = false;
          return;
        }
        index = newline + 1;
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, index);
      if (newline === -1) {
        this.atLineStart = false;
        return;
      }
      index = newline + 1;
    }
    this.atLineStart = true;
  }

  end(): void {
    if (this.head !== undefined) this.check(this.head.bytes, this.head.offset);
    this.head = undefined;
    this.ended = true;
  }

  /** The bytes of `[start, end)` of the stream (a view when they lie in one chunk). */
  slice(start: number, end: number): Buffer {
    if (end <= start) return Buffer.alloc(0);
    let first = upperBound(this.starts, start) - 1;
    const pieces: Buffer[] = [];
    for (; first < this.chunks.length; first++) {
      const chunkStart = this.starts[first] as number;
      if (chunkStart >= end) break;
      const chunk = this.chunks[first] as Buffer;
      pieces.push(chunk.subarray(Math.max(0, start - chunkStart), Math.min(chunk.length, end - chunkStart)));
    }
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
  }

  private check(bytes: Buffer, offset: number): void {
    if (bytes.length < 'From '.length || bytes.toString('latin1', 0, 5) !== 'From ') return;
    const match = FROM_LINE.exec(bytes.toString('latin1'));
    if (match !== null) this.boundaries.push({ offset, sha: match[1] as string });
  }
}

/** Index of the first element greater than `value` in a sorted array. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Splits `git format-patch --stdout` output (or a patch file) into its messages at the
 * `From <sha> Mon Sep 17 00:00:00 2001` lines git writes.
 *
 * @param accept - when given, only From lines whose sha it accepts start a message, so that a
 *   commit message quoting such a line cannot split a patch.
 */
export function splitMbox(bytes: Buffer, accept?: (sha: string) => boolean): MboxMessage[] {
  const stream = new MboxStream();
  stream.push(bytes);
  stream.end();
  const starts = stream.boundaries.filter((boundary) => accept === undefined || accept(boundary.sha));
  const first = starts[0];
  if (first === undefined) return bytes.length === 0 ? [] : [{ sha: undefined, bytes }];
  const messages: MboxMessage[] = [];
  if (first.offset > 0) messages.push({ sha: undefined, bytes: bytes.subarray(0, first.offset) });
  starts.forEach((start, index) => {
    const end = starts[index + 1]?.offset ?? bytes.length;
    messages.push({ sha: start.sha, bytes: bytes.subarray(start.offset, end) });
  });
  return messages;
}

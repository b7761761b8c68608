import { ConverterError } from '../converter-error';
import { conversionLimitError, type ConversionLimits } from '../limits/conversion-limits';
import { patchMessages } from './compute-patch-ids';
import type { PatchIdSession } from './patch-id-session';
import { MboxStream } from './split-mbox';

/** One message of the format-patch stream, complete. */
export interface FedMessage {
  /** The sha of its `From` line (for a linearised history: the rewritten commit). */
  readonly sha: string;
  /** The bytes `git format-patch -o` writes for it. */
  readonly raw: Buffer;
  /** The bytes fed to patch-id: {@link raw}, prefix-stripped when the transform said so. */
  readonly content: Buffer;
  /** Indexes of its pieces in the patch-id session (normally one). */
  readonly idIndexes: readonly number[];
}

export interface FormatPatchFeedOptions {
  /** Whether a `From <sha>` line starts a message (a commit of the range, not seen before). */
  readonly accept: (sha: string) => boolean;
  /** The final bytes of a message (e.g. `No-prefix` stripping); called once per message. */
  readonly transform: (sha: string, raw: Buffer) => Buffer;
  /** Where complete messages go for their patch-ids; none: no ids (and no `idIndexes`). */
  readonly session: PatchIdSession | undefined;
}

/**
 * Turns `git format-patch --stdout` output into messages while it streams in, and feeds each
 * complete message to a patch-id session at once, so both git processes run side by side.
 * Call {@link pump} whenever data arrived (and once the feed may start), {@link finish} at the end.
 */
export class FormatPatchFeed {
  readonly stream = new MboxStream();
  readonly messages: FedMessage[] = [];
  /** The messages expected, once known (for progress); 0 until then. */
  total = 0;
  private next = 0;
  private current: { sha: string; offset: number } | undefined;
  private added = 0;
  private options: FormatPatchFeedOptions | undefined;

  /**
   * @param limits checked as the output streams in, before more is kept: the number of messages
   *   (`maxCommits`), the bytes of the message being received (`maxPatchBytes`) and of all
   *   (`maxPatchSeriesBytes`).
   */
  constructor(private readonly limits?: ConversionLimits) {}

  /** Starts feeding (the acceptance and transform rules are known from now on). */
  start(options: FormatPatchFeedOptions): void {
    this.options = options;
    this.pump();
  }

  push(chunk: Buffer): void {
    this.stream.push(chunk);
    this.checkLimits();
    this.pump();
  }

  private checkLimits(): void {
    const limits = this.limits;
    if (limits === undefined) return;
    const { boundaries, length } = this.stream;
    if (boundaries.length > limits.maxCommits) {
      throw conversionLimitError(
        'maxCommits',
        limits.maxCommits,
        `git format-patch printed more than ${limits.maxCommits} patches`,
      );
    }
    const last = boundaries.at(-1);
    if (last !== undefined && length - last.offset > limits.maxPatchBytes) {
      throw conversionLimitError(
        'maxPatchBytes',
        limits.maxPatchBytes,
        `the patch of commit ${last.sha.slice(0, 12)} has more than ${limits.maxPatchBytes} bytes`,
        { sha: last.sha },
      );
    }
    if (length > limits.maxPatchSeriesBytes) {
      throw conversionLimitError(
        'maxPatchSeriesBytes',
        limits.maxPatchSeriesBytes,
        `the patches of the range have more than ${limits.maxPatchSeriesBytes} bytes`,
      );
    }
  }

  /** Handles every boundary found so far; a message completes when the next one starts. */
  pump(): void {
    const options = this.options;
    if (options === undefined) return;
    const { boundaries } = this.stream;
    while (this.next < boundaries.length) {
      const boundary = boundaries[this.next++] as (typeof boundaries)[number];
      if (!options.accept(boundary.sha)) continue;
      if (this.current === undefined) {
        const before = this.stream.slice(0, boundary.offset);
        if (before.toString('latin1').trim() !== '') {
          throw new ConverterError('GIT_FAILED', 'git format-patch printed text before the first patch');
        }
      } else {
        this.complete(options, this.current, boundary.offset, false);
      }
      this.current = boundary;
    }
  }

  /** The stream ended: completes the last message. */
  finish(): void {
    this.stream.end();
    const options = this.options;
    if (options === undefined) throw new Error('FormatPatchFeed: finish before start');
    this.pump();
    if (this.current !== undefined) this.complete(options, this.current, this.stream.length, true);
    else if (this.stream.slice(0, this.stream.length).toString('latin1').trim() !== '') {
      throw new ConverterError('GIT_FAILED', 'git format-patch printed no recognisable patch');
    }
    this.current = undefined;
  }

  private complete(
    options: FormatPatchFeedOptions,
    start: { sha: string; offset: number },
    end: number,
    last: boolean,
  ): void {
    let raw = this.stream.slice(start.offset, end);
    // With --stdout git writes one newline before every message but the first; the files it
    // writes with -o do not have it.
    if (!last && raw.at(-1) === 0x0a) raw = raw.subarray(0, -1);
    const content = options.transform(start.sha, raw);
    const idIndexes: number[] = [];
    if (options.session !== undefined) {
      for (const piece of patchMessages(content)) {
        options.session.add(piece);
        idIndexes.push(this.added++);
      }
    }
    this.messages.push({ sha: start.sha, raw, content, idIndexes });
  }
}

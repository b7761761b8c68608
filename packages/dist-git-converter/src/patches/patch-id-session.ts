import { tmpdir } from 'node:os';
import { ConverterError } from '../converter-error';
import { createChunkQueue } from '../git/chunk-queue';
import type { GitRunner } from '../git/git-runner';

export interface PatchIdSessionOptions {
  /**
   * Where `git patch-id` runs. Default: the system temp directory, i.e. outside any repository,
   * so ids are SHA-1 based whatever repository the patches came from.
   */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

/**
 * ONE `git patch-id --stable` process fed message by message while the caller produces them
 * (e.g. while `git format-patch` still prints).
 */
export interface PatchIdSession {
  /** Queues one patch message (bytes of one `format-patch` message, or of a hand-made patch). */
  add(message: Uint8Array): void;
  /** Ends the input; resolves with the ids of every added message, in `add` order. */
  finish(): Promise<string[][]>;
  /** Stops git (after an error elsewhere); `finish` then rejects. */
  abort(): void;
}

/**
 * Starts `git patch-id --stable` at once. Each message is fed from its first `diff ` line (git
 * ignores everything before it anyway) behind a synthetic `From <n>` line, so the ids map back
 * to messages and text in commit messages cannot split patches differently. A message without
 * any `diff` line gets no id.
 */
export function startPatchIdSession(git: GitRunner, options: PatchIdSessionOptions = {}): PatchIdSession {
  const queue = createChunkQueue();
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let fed = 0;
  let added = 0;
  /** Message number (1-based, fed messages only) → index of the added message. */
  const messageOfNumber: number[] = [];
  const run = git.run(['patch-id', '--stable'], {
    cwd: options.cwd ?? tmpdir(),
    input: queue,
    isolated: true,
    signal: controller.signal,
  });
  // finish() reports the failure; never leave it unhandled meanwhile.
  run.catch(() => undefined);

  return {
    add(message) {
      const index = added++;
      const bytes = Buffer.isBuffer(message)
        ? message
        : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
      const start = diffStart(bytes);
      if (start === -1) return;
      fed++;
      messageOfNumber.push(index);
      queue.push(Buffer.from(`From ${syntheticOid(fed)} Mon Sep 17 00:00:00 2001\n`, 'latin1'));
      queue.push(bytes.subarray(start));
      if (bytes.at(-1) !== 0x0a) queue.push(Buffer.from('\n'));
    },
    async finish() {
      queue.end();
      try {
        const ids: string[][] = Array.from({ length: added }, () => []);
        if (fed === 0) {
          controller.abort();
          return ids;
        }
        const { stdout } = await run;
        let current: number | undefined;
        for (const line of stdout.toString('latin1').split('\n')) {
          if (line === '') continue;
          const match = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64})$/.exec(line);
          if (match === null) {
            throw new ConverterError(
              'GIT_FAILED',
              `git patch-id printed an unexpected line: ${JSON.stringify(line)}`,
              {
                data: { line },
              },
            );
          }
          // An id with an oid that is not ours (git found a boundary of its own inside a message,
          // or split a message) belongs to the message being read.
          const number = syntheticNumber(match[2] as string);
          if (number !== undefined) current = number;
          const index = current === undefined ? undefined : messageOfNumber[current - 1];
          if (index === undefined) {
            throw new ConverterError('GIT_FAILED', `git patch-id printed an id for no known patch: ${line}`, {
              data: { line },
            });
          }
          ids[index]?.push(match[1] as string);
        }
        return ids;
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    },
    abort() {
      queue.end();
      controller.abort();
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Position of the first line starting with `diff `, or -1. */
function diffStart(bytes: Buffer): number {
  if (bytes.subarray(0, 5).toString('latin1') === 'diff ') return 0;
  const found = bytes.indexOf('\ndiff ', 0, 'latin1');
  return found === -1 ? -1 : found + 1;
}

const OID_PREFIX = '5c';

/** A recognisable fake commit id for message `n` (1-based): `5c` + 38 hex digits. */
function syntheticOid(n: number): string {
  return `${OID_PREFIX}${n.toString(16).padStart(38, '0')}`;
}

function syntheticNumber(oid: string): number | undefined {
  if (oid.length !== 40 || !oid.startsWith(OID_PREFIX)) return undefined;
  const n = Number.parseInt(oid.slice(OID_PREFIX.length), 16);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

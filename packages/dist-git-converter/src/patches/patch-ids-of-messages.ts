import { tmpdir } from 'node:os';
import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';

export interface PatchIdsOfMessagesOptions {
  /**
   * Where `git patch-id` runs. Default: the system temp directory, i.e. outside any repository,
   * so ids are SHA-1 based whatever repository the patches came from.
   */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

const NO_DIFF = -1;

/**
 * `git patch-id --stable` of many patch messages with ONE git process. `groups[i]` is the list
 * of messages of one patch file (bytes, one `format-patch` message each); the result has, for
 * each group, the ids of its messages in order (a message without any `diff` line has none).
 *
 * Each message is fed from its first `diff ` line (git ignores everything before it anyway),
 * behind a synthetic `From <n>` line, so ids map back to messages and text in commit messages
 * cannot split patches differently.
 */
export async function patchIdsOfMessages(
  groups: readonly (readonly Uint8Array[])[],
  git: GitRunner,
  options: PatchIdsOfMessagesOptions = {},
): Promise<string[][]> {
  const chunks: Buffer[] = [];
  const groupOfMessage: number[] = [];
  groups.forEach((messages, groupIndex) => {
    for (const message of messages) {
      const bytes = Buffer.isBuffer(message)
        ? message
        : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
      const start = diffStart(bytes);
      if (start === NO_DIFF) continue;
      groupOfMessage.push(groupIndex);
      chunks.push(
        Buffer.from(`From ${syntheticOid(groupOfMessage.length)} Mon Sep 17 00:00:00 2001\n`, 'latin1'),
      );
      chunks.push(bytes.subarray(start));
      if (bytes.at(-1) !== 0x0a) chunks.push(Buffer.from('\n'));
    }
  });
  const result: string[][] = groups.map(() => []);
  if (groupOfMessage.length === 0) return result;

  const { stdout } = await git.run(['patch-id', '--stable'], {
    cwd: options.cwd ?? tmpdir(),
    input: Buffer.concat(chunks),
    isolated: true,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
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
    const messageNumber = syntheticNumber(match[2] as string);
    if (messageNumber !== undefined) current = messageNumber;
    const group = current === undefined ? undefined : groupOfMessage[current - 1];
    if (group === undefined) {
      throw new ConverterError('GIT_FAILED', `git patch-id printed an id for no known patch: ${line}`, {
        data: { line },
      });
    }
    result[group]?.push(match[1] as string);
  }
  return result;
}

/** Position of the first line starting with `diff `, or {@link NO_DIFF}. */
function diffStart(bytes: Buffer): number {
  if (bytes.subarray(0, 5).toString('latin1') === 'diff ') return 0;
  const found = bytes.indexOf('\ndiff ', 0, 'latin1');
  return found === -1 ? NO_DIFF : found + 1;
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

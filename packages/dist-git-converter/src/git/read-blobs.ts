import type { GitRunner } from '../git/git-runner';

/**
 * Reads many objects with one `git cat-file --batch` process. Each request is anything
 * `git cat-file` accepts (`<rev>:<path>`, a blob sha); the answer is the object's bytes, or
 * undefined when it does not exist.
 */
export async function readBlobs(
  git: GitRunner,
  cwd: string,
  requests: readonly string[],
  signal?: AbortSignal,
): Promise<(Buffer | undefined)[]> {
  if (requests.length === 0) return [];
  for (const request of requests) {
    if (request.includes('\n'))
      throw new Error(`cannot read an object whose name contains a newline: ${request}`);
  }
  const { stdout } = await git.run(['cat-file', '--batch'], {
    cwd,
    input: `${requests.join('\n')}\n`,
    ...(signal === undefined ? {} : { signal }),
  });
  const results: (Buffer | undefined)[] = [];
  let offset = 0;
  for (let index = 0; index < requests.length; index += 1) {
    const end = stdout.indexOf(0x0a, offset);
    const header = stdout.subarray(offset, end).toString('utf8');
    offset = end + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(undefined);
      continue;
    }
    const size = Number(header.slice(header.lastIndexOf(' ') + 1));
    results.push(stdout.subarray(offset, offset + size));
    offset += size + 1;
  }
  return results;
}

/** Reads blobs by id, batching the reads asked for in the same tick. */
export interface BlobReader {
  /** The bytes of blob `oid`; rejects when the repository does not have it. */
  read(oid: string): Promise<Buffer>;
}

/**
 * Creates a {@link BlobReader} for the repository at `cwd`: reads asked for in the same tick
 * (e.g. through `Promise.all`, or a loop that does not await) share one `git cat-file --batch`
 * process.
 */
export function createBlobReader(git: GitRunner, cwd: string, signal?: AbortSignal): BlobReader {
  let pending: { oid: string; done: (bytes: Buffer) => void; fail: (error: unknown) => void }[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    readBlobs(
      git,
      cwd,
      batch.map((request) => request.oid),
      signal,
    ).then(
      (blobs) => {
        for (const [index, request] of batch.entries()) {
          const bytes = blobs[index];
          if (bytes === undefined) request.fail(new Error(`blob ${request.oid} is missing in ${cwd}`));
          else request.done(bytes);
        }
      },
      (error: unknown) => {
        for (const request of batch) request.fail(error);
      },
    );
  };
  return {
    read(oid) {
      return new Promise((done, fail) => {
        if (pending.length === 0) queueMicrotask(flush);
        pending.push({ oid, done, fail });
      });
    },
  };
}

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

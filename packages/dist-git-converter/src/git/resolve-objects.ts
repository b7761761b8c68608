import type { GitRunner } from './git-runner';

/**
 * Resolves object names (`HEAD^{commit}`, `<sha>^{tree}`, `v1.0^{commit}`, …) with one
 * `git cat-file --batch-check` process: the object id of each, or undefined where the name does
 * not resolve (missing, ambiguous).
 */
export async function resolveObjects(
  git: GitRunner,
  cwd: string,
  queries: readonly string[],
  signal?: AbortSignal,
): Promise<(string | undefined)[]> {
  if (queries.length === 0) return [];
  for (const query of queries) {
    if (/[\n\0]/.test(query)) throw new Error(`cannot resolve an object name with a line break: ${query}`);
  }
  const result = await git.run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    cwd,
    input: `${queries.join('\n')}\n`,
    ...(signal === undefined ? {} : { signal }),
  });
  return result.stdout
    .toString('utf8')
    .split('\n')
    .slice(0, queries.length)
    .map((line) => (/^[0-9a-f]{40,64} [a-z]+$/.test(line) ? line.split(' ')[0] : undefined));
}

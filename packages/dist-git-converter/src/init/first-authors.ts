import type { GitRunner } from '../git/git-runner';
import type { CommitAuthor } from '../back-sync/scratch-index';

/**
 * For each of `paths`, the author (and author date) of the oldest commit reachable from `commit`
 * that added it — "who wrote this patch file" when the file itself names no author. One `git log`
 * process for all paths.
 */
export async function firstAuthors(
  git: GitRunner,
  cwd: string,
  commit: string,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, CommitAuthor>> {
  const authors = new Map<string, CommitAuthor>();
  if (paths.length === 0) return authors;
  const out = await git.text(
    [
      'log',
      '--reverse',
      '--diff-filter=A',
      '--no-renames',
      '--date=raw',
      '-z',
      '--name-only',
      '--format=%x01%an%x00%ae%x00%ad',
      commit,
      '--',
      ...paths.map((path) => `:(literal)${path}`),
    ],
    { cwd, ...(signal === undefined ? {} : { signal }) },
  );
  for (const record of out.split('\x01').slice(1)) {
    const [name = '', email = '', date = '', ...rest] = record.split('\0');
    const author: CommitAuthor = { name, email, date: date.trim() };
    for (const path of rest.map((entry) => entry.replace(/^\n/, '')).filter((entry) => entry !== '')) {
      if (!authors.has(path)) authors.set(path, author);
    }
  }
  return authors;
}

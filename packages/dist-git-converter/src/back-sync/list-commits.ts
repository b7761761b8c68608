import type { GitRunner } from '../git/git-runner';

/** A commit with what a back-sync needs to re-create it elsewhere. */
export interface CommitInfo {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly authorName: string;
  readonly authorEmail: string;
  /** Author date in git's raw form (`<seconds> <±hhmm>`). */
  readonly authorDate: string;
  /** The whole commit message, exactly as stored. */
  readonly message: string;
  /** The first line of the message. */
  readonly subject: string;
}

/** Lists the commits `git log` selects with `revisionArgs`, oldest first, in one git process. */
export async function listCommits(
  git: GitRunner,
  cwd: string,
  revisionArgs: readonly string[],
  signal?: AbortSignal,
): Promise<CommitInfo[]> {
  const out = await git.text(
    [
      'log',
      '-z',
      '--reverse',
      '--date=raw',
      '--format=%H%x00%P%x00%an%x00%ae%x00%ad%x00%B',
      ...revisionArgs,
      '--',
    ],
    { cwd, ...(signal === undefined ? {} : { signal }) },
  );
  if (out === '') return [];
  const fields = out.split('\0');
  const commits: CommitInfo[] = [];
  for (let index = 0; index + 5 < fields.length; index += 6) {
    const [sha, parents, authorName, authorEmail, authorDate, message] = fields.slice(index, index + 6) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    commits.push({
      sha,
      parents: parents === '' ? [] : parents.split(' '),
      authorName,
      authorEmail,
      authorDate,
      message,
      subject: message.split('\n', 1)[0] ?? '',
    });
  }
  return commits;
}

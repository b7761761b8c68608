import { ConverterError } from '../converter-error';
import type { GitRunner } from './git-runner';

/** One commit of a range, as `git log` reports it (UTF-8). */
export interface RangeCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly treeSha: string;
  readonly authorName: string;
  readonly authorEmail: string;
  /** git's subject: the first paragraph of the message, lines joined with single spaces. */
  readonly subject: string;
  /** The whole message as stored (`%B`). */
  readonly message: string;
}

export interface ReadRangeCommitsOptions {
  readonly repoDir: string;
  /** A revision range, e.g. `<upstream sha>..<head sha>`. */
  readonly range: string;
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

const FIELDS = ['%H', '%P', '%T', '%an', '%ae', '%s', '%B'] as const;

/**
 * Lists every commit of a range, merges included, oldest first (`git log --reverse` order), with
 * one git process.
 */
export async function readRangeCommits(options: ReadRangeCommitsOptions): Promise<RangeCommit[]> {
  const { stdout } = await options.git.run(
    ['log', '-z', '--reverse', `--format=${FIELDS.join('%x00')}`, options.range, '--'],
    {
      cwd: options.repoDir,
      isolated: true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
  const fields = stdout.toString('utf8').split('\0');
  if (fields.at(-1) === '') fields.pop();
  if (fields.length % FIELDS.length !== 0) {
    throw new ConverterError(
      'GIT_FAILED',
      `git log ${options.range} in ${options.repoDir} printed ${fields.length} fields, not a multiple of ${FIELDS.length}`,
      { data: { repoDir: options.repoDir, range: options.range } },
    );
  }
  const commits: RangeCommit[] = [];
  for (let index = 0; index < fields.length; index += FIELDS.length) {
    const [
      sha = '',
      parents = '',
      treeSha = '',
      authorName = '',
      authorEmail = '',
      subject = '',
      message = '',
    ] = fields.slice(index, index + FIELDS.length);
    commits.push({
      sha,
      parents: parents === '' ? [] : parents.split(' '),
      treeSha,
      authorName,
      authorEmail,
      subject,
      message,
    });
  }
  return commits;
}

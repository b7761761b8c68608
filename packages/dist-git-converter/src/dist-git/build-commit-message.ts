import { addTrailers } from '../back-sync/add-trailers';
import type { GitRunner } from '../git/git-runner';
import { stripSpace } from '../git/strip-space';
import { FROM_SOURCE_GIT_COMMIT } from '../status/sync-trailers';

/**
 * The dist-git commit message of docs/converter-behaviour.md §2.10: `message` split at its first blank line
 * into title and body (`<title>\n` + `\n<body>\n`), then `From-source-git-commit: <sha>` added
 * with git's trailer rules (`git interpret-trailers --if-exists replace`: into the last paragraph
 * when that is a trailer block, else as a new paragraph; an existing one is replaced), then
 * cleaned as `git commit` does ({@link stripSpace}). Both are pure text filters, git's own
 * rules with a neutral configuration.
 */
export async function buildCommitMessage(
  git: GitRunner,
  cwd: string,
  message: string,
  sourceGitSha: string,
): Promise<string> {
  const split = message.indexOf('\n\n');
  const title = split === -1 ? message : message.slice(0, split);
  const body = split === -1 ? '' : message.slice(split + 2);
  const text = `${title}\n${body === '' ? '' : `\n${body}\n`}`;
  const withTrailer = await addTrailers(git, cwd, text, [
    { token: FROM_SOURCE_GIT_COMMIT, value: sourceGitSha },
  ]);
  return stripSpace(withTrailer);
}

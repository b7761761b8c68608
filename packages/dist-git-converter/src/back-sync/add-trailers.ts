import type { GitRunner } from '../git/git-runner';

/** A trailer to add; a multi-line value continues on lines that start with blanks. */
export interface Trailer {
  readonly token: string;
  readonly value: string;
}

/**
 * Adds trailers to a commit message with `git interpret-trailers --if-exists replace` (git's own
 * rules: appended to an existing trailer paragraph, else as a new paragraph; a trailer with the
 * same token is replaced). The user's `trailer.*` configuration is ignored.
 */
export async function addTrailers(
  git: GitRunner,
  cwd: string,
  message: string,
  trailers: readonly Trailer[],
  signal?: AbortSignal,
): Promise<string> {
  const input = message.endsWith('\n') ? message : `${message}\n`;
  const args = ['interpret-trailers', '--if-exists', 'replace'];
  for (const trailer of trailers) args.push('--trailer', `${trailer.token}: ${trailer.value}`);
  return git.text(args, { cwd, input, isolated: true, ...(signal === undefined ? {} : { signal }) });
}

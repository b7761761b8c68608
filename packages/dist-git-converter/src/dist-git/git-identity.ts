import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';

/** Who authors or commits, with the time, in isomorphic-git's shape. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  /** Minutes to add to local time to get UTC (`Date#getTimezoneOffset` sign: `+0200` → `-120`). */
  readonly timezoneOffset: number;
}

/**
 * The identity git itself would use for a commit in `dir` (`git var GIT_AUTHOR_IDENT` /
 * `GIT_COMMITTER_IDENT`): the user's configuration and the `GIT_AUTHOR_*`/`GIT_COMMITTER_*`
 * environment, dates included. packit commits "as the local git user"; so does srcgit.
 *
 * @throws ConverterError `GIT_FAILED` when no identity is configured.
 */
export async function resolveGitIdentity(
  git: GitRunner,
  dir: string,
  role: 'author' | 'committer',
): Promise<GitIdentity> {
  const variable = role === 'author' ? 'GIT_AUTHOR_IDENT' : 'GIT_COMMITTER_IDENT';
  let ident: string;
  try {
    ident = (await git.text(['var', variable], { cwd: dir })).trim();
  } catch (cause) {
    throw new ConverterError(
      'GIT_FAILED',
      `cannot commit in ${dir}: git has no ${role} identity (set user.name and user.email with \`git config --global\`)`,
      { cause, data: { dir } },
    );
  }
  const match = /^(.*) <(.*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(ident);
  if (match === null) {
    throw new ConverterError('GIT_FAILED', `git var ${variable} printed an unexpected identity: ${ident}`, {
      data: { dir, ident },
    });
  }
  const [, name = '', email = '', seconds = '0', sign = '+', hours = '0', minutes = '0'] = match;
  const offset = Number(hours) * 60 + Number(minutes);
  return {
    name,
    email,
    timestamp: Number(seconds),
    timezoneOffset: sign === '+' ? -offset : offset,
  };
}

import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';

/** Who authors or commits, with the time, as git writes it in a commit. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch and the zone: `1700000000 +0200`. */
  readonly date: string;
}

/**
 * The identity git itself would use for a commit in `dir` (`git var GIT_AUTHOR_IDENT` /
 * `GIT_COMMITTER_IDENT`), dates included: the repository's and the user's configuration, and the
 * `GIT_AUTHOR_*`/`GIT_COMMITTER_*` environment only where the runner passes it (the CLI's, created
 * with `userEnvironment`); the bot's runner does not, so its configured identity always wins.
 * packit commits "as the local git user"; so does srcgit.
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
  const match = /^(.*) <(.*)> (\d+ [+-]\d{4})$/.exec(ident);
  if (match === null) {
    throw new ConverterError('GIT_FAILED', `git var ${variable} printed an unexpected identity: ${ident}`, {
      data: { dir, ident },
    });
  }
  const [, name = '', email = '', date = ''] = match;
  return { name, email, date };
}

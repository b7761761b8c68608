import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRunner, isConverterError, type GitRunner } from '@srcgit/dist-git-converter';
import { CliError } from '../cli-error';

/**
 * Checks that the `<argument>` given as `path` is a directory inside a git repository, so that a
 * typo is reported as such, naming the argument, instead of by git's plumbing. A repository's
 * root (the usual argument) is recognised by its `.git` without starting git: a git process
 * before the conversion would delay its critical path; git is asked only about other directories.
 *
 * @throws {CliError} `PATH_NOT_FOUND`, `NOT_A_DIRECTORY` or `NOT_A_GIT_REPOSITORY`, with the
 *   argument and the path in `details`.
 */
export async function checkRepositoryArgument(
  argument: string,
  path: string,
  git: GitRunner = createGitRunner({ userEnvironment: true }),
): Promise<void> {
  const details = { argument, path };
  const found = await stat(path).catch(() => undefined);
  if (found === undefined) {
    throw new CliError(`${argument} ${path} does not exist (argument <${argument}>)`, {
      code: 'PATH_NOT_FOUND',
      details,
    });
  }
  if (!found.isDirectory()) {
    throw new CliError(`${argument} ${path} is not a directory (argument <${argument}>)`, {
      code: 'NOT_A_DIRECTORY',
      details,
    });
  }
  const isRepositoryRoot = await lstat(join(path, '.git')).then(
    () => true,
    () => false,
  );
  if (isRepositoryRoot) return;
  try {
    await git.run(['rev-parse', '--git-dir'], { cwd: path });
  } catch (error) {
    const stderr = isConverterError(error) ? error.data.stderr : undefined;
    if (typeof stderr === 'string' && /not a git repository/i.test(stderr)) {
      throw new CliError(`${argument} ${path} is not a git repository (argument <${argument}>)`, {
        code: 'NOT_A_GIT_REPOSITORY',
        details,
      });
    }
    throw error;
  }
}

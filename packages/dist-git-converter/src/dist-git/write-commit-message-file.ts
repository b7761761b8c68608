import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConverterError } from '../converter-error';
import type { ConverterFs } from './converter-fs';

/**
 * The file, inside dist-git's `.git` directory, that holds the commit message prepared by
 * `update-dist-git` without `-m` (a fixed name: nothing from source-git chooses it).
 */
export const COMMIT_MESSAGE_FILE = 'SRCGIT_COMMIT_MSG';

/**
 * Writes the prepared commit message (with its `From-source-git-commit` trailer) to
 * `<gitDir>/SRCGIT_COMMIT_MSG`, for `git commit -F .git/SRCGIT_COMMIT_MSG`, and returns its path.
 * Confined like every converter write: `gitDir` must be a real directory (not a link); the text
 * goes to a new file with a random name there (`wx`: never through an existing file or link),
 * which is then renamed over the fixed name (a rename replaces a link, never follows it).
 *
 * @throws ConverterError `DIST_GIT_WRITE_FAILED` naming the path.
 */
export async function writeCommitMessageFile(options: {
  readonly fs: ConverterFs;
  readonly gitDir: string;
  readonly message: string;
}): Promise<string> {
  const fs = options.fs.promises;
  const target = join(options.gitDir, COMMIT_MESSAGE_FILE);
  const scratch = join(options.gitDir, `${COMMIT_MESSAGE_FILE}.${randomBytes(6).toString('hex')}`);
  try {
    const stat = await fs.lstat(options.gitDir);
    if (!stat.isDirectory()) throw new Error(`${options.gitDir} is not a directory`);
    await fs.writeFile(scratch, options.message, { flag: 'wx', mode: 0o644 });
    await fs.rename(scratch, target);
    return target;
  } catch (cause) {
    await fs.rm(scratch, { force: true }).catch(() => undefined);
    throw new ConverterError(
      'DIST_GIT_WRITE_FAILED',
      `could not write the prepared commit message to ${target}: ${(cause as Error).message}`,
      { cause, data: { path: target } },
    );
  }
}

import { randomBytes } from 'node:crypto';
import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import type { TreeChange } from './apply-tree-changes';
import type { GitIdentity } from './git-identity';

const NO_COMMIT = '0'.repeat(40);

/**
 * Commits `changes` (already in the working tree) on dist-git's `HEAD` with the git CLI, the
 * objects exactly as given (no clean filters, no end-of-line conversion):
 *
 * 1. `git fast-import` writes the blobs and the commit (parent: `parent`) and reports the commit's
 *    id; it only moves a private scratch ref;
 * 2. one `git update-ref --stdin` transaction moves `HEAD` (its branch) from `parent` to the
 *    commit, refusing if anything else moved it meanwhile, and drops the scratch ref;
 * 3. `git reset --quiet` points the index at the new commit (the stat cache of unchanged files is
 *    kept).
 *
 * Until step 2 nothing a user sees has changed. If step 3 fails, `HEAD` is moved back. Hooks are
 * not run (as `git commit --no-verify` would).
 *
 * @returns the new commit's id.
 * @throws ConverterError `GIT_FAILED` naming the step that failed.
 */
export async function commitDistGit(options: {
  readonly git: GitRunner;
  readonly dir: string;
  /** The commit `HEAD` is on; undefined in a repository without commits. */
  readonly parent: string | undefined;
  readonly changes: readonly TreeChange[];
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}): Promise<string> {
  const { git, dir, parent } = options;
  const scratchRef = `refs/srcgit/commit-${randomBytes(6).toString('hex')}`;
  const chunks: Buffer[] = [];
  const text = (line: string) => chunks.push(Buffer.from(line, 'utf8'));
  const data = (bytes: Uint8Array) => {
    text(`data ${bytes.byteLength}\n`);
    chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), Buffer.from('\n'));
  };
  text(`feature done\ncommit ${scratchRef}\nmark :1\n`);
  text(`author ${formatIdentity(options.author)}\ncommitter ${formatIdentity(options.committer)}\n`);
  data(Buffer.from(options.message, 'utf8'));
  if (parent !== undefined) text(`from ${parent}\n`);
  for (const change of options.changes) {
    if (change.after === undefined) {
      text(`D ${quotePath(change.path)}\n`);
    } else {
      text(`M ${change.after.mode} inline ${quotePath(change.path)}\n`);
      data(change.after.content);
    }
  }
  text('get-mark :1\ndone\n');

  const commit = (
    await git.text(['fast-import', '--quiet'], { cwd: dir, input: Buffer.concat(chunks), isolated: true })
  ).trim();
  // One `git update-ref --stdin` transaction: all its commands happen, or none.
  const updateRefs = (message: string, commands: string) =>
    git.run(['update-ref', '-m', message, '--stdin'], { cwd: dir, input: commands });
  try {
    await updateRefs(
      reflogMessage(options.message, parent),
      `update HEAD ${commit} ${parent ?? NO_COMMIT}\ndelete ${scratchRef} ${commit}\n`,
    );
  } catch (cause) {
    await updateRefs('srcgit: drop a scratch ref', `delete ${scratchRef}\n`).catch(() => undefined);
    throw new ConverterError(
      'GIT_FAILED',
      `could not move dist-git HEAD in ${dir} to the new commit ${commit}: ${(cause as Error).message}`,
      { cause, data: { dir, commit } },
    );
  }
  try {
    await git.run(['reset', '--quiet'], { cwd: dir });
  } catch (cause) {
    await updateRefs(
      'srcgit: undo a commit whose index could not be written',
      parent === undefined ? `delete HEAD ${commit}\n` : `update HEAD ${parent} ${commit}\n`,
    ).catch(() => undefined);
    throw new ConverterError(
      'GIT_FAILED',
      `could not update the dist-git index in ${dir} after committing: ${(cause as Error).message}`,
      { cause, data: { dir, commit } },
    );
  }
  return commit;
}

/** `Name <email> 1700000000 +0200`, git's identity line. */
function formatIdentity(identity: GitIdentity): string {
  return `${identity.name} <${identity.email}> ${identity.date}`;
}

/** The reflog entry `git commit` writes: `commit: <subject>` (`commit (initial): …` for a first one). */
function reflogMessage(message: string, parent: string | undefined): string {
  const subject = message.split('\n', 1)[0] ?? '';
  return `${parent === undefined ? 'commit (initial)' : 'commit'}: ${subject}`;
}

/**
 * A path as `git fast-import` reads it: as is (the rest of the line, bytes taken literally), or
 * C-quoted when it starts with a double quote or holds a line feed.
 */
function quotePath(path: string): string {
  if (!path.startsWith('"') && !path.includes('\n')) return path;
  return `"${path.replace(/[\\"\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`))}"`;
}

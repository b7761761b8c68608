import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { converterGitEnv, runGit } from '@srcgit/test-fixtures';
import { createGitRunner, type GitRunner } from '../../src/git/git-runner';

/**
 * Everything a failed conversion must leave untouched in a repository: `HEAD`, every ref, the
 * index entries (`git ls-files --stage`; the stat cache may legitimately be refreshed), `git
 * status` (ignored files included) and the mode and hash of every working-tree file.
 */
export async function repositoryState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {
    HEAD: (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim(),
    refs: await runGit(['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: dir }),
    status: await runGit(['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: dir }),
    index: await runGit(['ls-files', '--stage'], { cwd: dir }),
  };
  for (const [path, digest] of await hashFiles(dir, '')) state[`file:${path}`] = digest;
  return state;
}

async function hashFiles(root: string, prefix: string): Promise<[string, string][]> {
  const result: [string, string][] = [];
  for (const name of (await readdir(join(root, prefix))).sort()) {
    if (prefix === '' && name === '.git') continue;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await lstat(join(root, path));
    if (stats.isDirectory()) {
      result.push([`${path}/`, 'dir'], ...(await hashFiles(root, path)));
    } else if (stats.isSymbolicLink()) {
      result.push([path, `link ${await readlink(join(root, path))}`]);
    } else {
      result.push([path, `${(stats.mode & 0o777).toString(8)} ${hash(await readFile(join(root, path)))}`]);
    }
  }
  return result;
}

function hash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The converter's git runner with the fixture identities, fixed dates and no user configuration,
 * so that dist-git commits are reproducible. `onSpawn` sees every git process it starts.
 */
export function fixedGitRunner(date?: string, onSpawn?: (args: readonly string[]) => void): GitRunner {
  const base = createGitRunner(onSpawn === undefined ? {} : { onSpawn });
  const env = converterGitEnv(date);
  return {
    run: (args, options) => base.run(args, { ...options, env: { ...env, ...options.env } }),
    text: (args, options) => base.text(args, { ...options, env: { ...env, ...options.env } }),
    executableIdentity: () => base.executableIdentity?.() ?? Promise.resolve(undefined),
  };
}

/** The clock of tests: 2024-02-01 (a Thursday). */
export const fixedClock = (): Date => new Date('2024-02-01T00:00:00Z');

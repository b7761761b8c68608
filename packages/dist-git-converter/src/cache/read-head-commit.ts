import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const REF = /^refs\/[A-Za-z0-9._/-]{1,200}$/;

/**
 * The commit `HEAD` of the repository whose git directory is `<dir>/.git` points at, read from
 * its files instead of with git: a detached `HEAD`, or a branch as a loose ref or in
 * `packed-refs`. Undefined whenever it is anything else (the caller then does without): this is
 * a hint, checked later against what git reports.
 */
export async function readHeadCommit(dir: string): Promise<string | undefined> {
  const gitDir = join(dir, '.git');
  try {
    const head = (await readFile(join(gitDir, 'HEAD'), 'utf8')).trim();
    if (SHA.test(head)) return head;
    if (!head.startsWith('ref: ')) return undefined;
    const ref = head.slice('ref: '.length);
    if (!REF.test(ref) || ref.includes('..')) return undefined;
    const loose = await readFile(join(gitDir, ref), 'utf8').catch(() => undefined);
    if (loose !== undefined) {
      const sha = loose.trim();
      return SHA.test(sha) ? sha : undefined;
    }
    const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
    for (const line of packed.split('\n')) {
      const [sha, name] = line.split(' ');
      if (name === ref && sha !== undefined && SHA.test(sha)) return sha;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The git directory shared by every worktree of the repository whose working tree is `repoDir`
 * (`git rev-parse --git-common-dir`), found by reading files instead of running git: `.git` as a
 * directory, or a `.git` file (`gitdir: …`) of a linked worktree whose `commondir` names the
 * shared one. Undefined when it cannot be told this way (the caches are then not used).
 */
export async function findCommonGitDir(repoDir: string): Promise<string | undefined> {
  const dotGit = join(repoDir, '.git');
  try {
    const info = await stat(dotGit);
    if (info.isDirectory()) return dotGit;
    if (!info.isFile() || info.size > 4096) return undefined;
    const text = (await readFile(dotGit, 'utf8')).trim();
    if (!text.startsWith('gitdir: ') || text.includes('\n')) return undefined;
    const gitDir = resolveFrom(repoDir, text.slice('gitdir: '.length));
    const common = await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
    if (common === undefined) return gitDir;
    const line = common.trim();
    return line === '' || line.includes('\n') ? undefined : resolveFrom(gitDir, line);
  } catch {
    return undefined;
  }
}

function resolveFrom(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

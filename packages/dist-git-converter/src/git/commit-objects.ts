import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverterError } from '../converter-error';
import type { GitRunner } from './git-runner';

/**
 * Raw commit objects, for rewriting history in the object store only (a linearised history, a
 * folded fix-up): read with ONE `git cat-file --batch`, given a new tree or new parents with
 * author, committer, dates and message kept byte for byte, written with ONE `git hash-object`.
 * No ref, branch or working-tree file is created or changed; the new commits are unreferenced
 * and git's gc prunes them in time.
 */
export async function readCommitObjects(
  repoDir: string,
  git: GitRunner,
  shas: readonly string[],
  signal: { signal?: AbortSignal },
): Promise<Map<string, Buffer>> {
  const objects = new Map<string, Buffer>();
  if (shas.length === 0) return objects;
  const { stdout } = await git.run(['cat-file', '--batch'], {
    cwd: repoDir,
    input: `${shas.join('\n')}\n`,
    isolated: true,
    ...signal,
  });
  let offset = 0;
  while (offset < stdout.length) {
    const headerEnd = stdout.indexOf(0x0a, offset);
    if (headerEnd === -1) break;
    const header = stdout.toString('latin1', offset, headerEnd);
    const match = /^([0-9a-f]{40,64}) commit (\d+)$/.exec(header);
    if (match === null) {
      throw new ConverterError(
        'GIT_FAILED',
        `git cat-file printed an unexpected header in ${repoDir}: ${header}`,
      );
    }
    const size = Number.parseInt(match[2] as string, 10);
    objects.set(match[1] as string, stdout.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  return objects;
}

/** The first parent a raw commit object names; undefined for a root commit. */
export function firstParentOf(object: Buffer): string | undefined {
  const header = object.toString('latin1', 0, headerEnd(object));
  return /^parent ([0-9a-f]{40,64})$/m.exec(header)?.[1];
}

/**
 * The commit object with its `parent` lines replaced (right after `tree`, as git writes them) and,
 * when given, another tree. Signatures and merge tags no longer match the rewritten commit: they
 * are dropped with their continuation lines, as git commit-tree would.
 */
export function rewriteCommitObject(
  object: Buffer,
  change: { readonly parents: readonly string[]; readonly tree?: string },
): Buffer {
  const end = headerEnd(object);
  const headerLines = object.toString('latin1', 0, end).split('\n');
  const kept: string[] = [];
  let dropping = false;
  for (const line of headerLines) {
    if (dropping && line.startsWith(' ')) continue;
    dropping = /^(gpgsig|gpgsig-sha256|mergetag) /.test(line);
    if (dropping || line.startsWith('parent ')) continue;
    if (line.startsWith('tree ')) {
      kept.push(change.tree === undefined ? line : `tree ${change.tree}`);
      kept.push(...change.parents.map((parent) => `parent ${parent}`));
      continue;
    }
    kept.push(line);
  }
  return Buffer.concat([Buffer.from(kept.join('\n'), 'latin1'), object.subarray(end)]);
}

/** The object id git gives a commit object (`sha256` when the repository's ids are 64 digits). */
export function commitObjectId(object: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(`commit ${object.length}\0`).update(object).digest('hex');
}

/**
 * Writes commit objects into the repository and checks git gave them the ids computed for them
 * (`expected`, in order): a later object may name an earlier one as its parent.
 */
export async function writeCommitObjects(
  repoDir: string,
  git: GitRunner,
  objects: readonly Buffer[],
  expected: readonly string[],
  signal: { signal?: AbortSignal },
): Promise<void> {
  if (objects.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-commits-'));
  try {
    const paths = await Promise.all(
      objects.map(async (object, index) => {
        const path = join(dir, `${index}.commit`);
        await writeFile(path, object);
        return path;
      }),
    );
    const written = await git.text(['hash-object', '-t', 'commit', '-w', '--stdin-paths'], {
      cwd: repoDir,
      input: `${paths.join('\n')}\n`,
      isolated: true,
      ...signal,
    });
    const shas = written.split('\n').filter((line) => line !== '');
    if (shas.length !== expected.length || shas.some((sha, index) => sha !== expected[index])) {
      throw new ConverterError('GIT_FAILED', `git hash-object wrote unexpected commits in ${repoDir}`, {
        data: { expected, written: shas },
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function headerEnd(object: Buffer): number {
  const end = object.indexOf('\n\n', 0, 'latin1');
  return end === -1 ? object.length : end + 1;
}

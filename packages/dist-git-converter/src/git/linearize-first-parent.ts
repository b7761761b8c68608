import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverterError } from '../converter-error';
import type { GitRunner } from './git-runner';

export interface LinearizeFirstParentOptions {
  readonly repoDir: string;
  readonly git: GitRunner;
  /** The commit to start from (HEAD). */
  readonly tipSha: string;
  /** The commits of the range; the first-parent chain stops at the first commit outside it. */
  readonly rangeShas: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

export interface LinearizedHistory {
  /** The rewritten tip: format `<upstream>..<tipSha>` to get one patch per chain commit. */
  readonly tipSha: string;
  /** The original commits of the first-parent chain, oldest first. */
  readonly chain: readonly string[];
  /** Rewritten commit → the original commit it stands for. */
  readonly originalOf: ReadonlyMap<string, string>;
}

/**
 * Linearises a history in the object store only (docs/converter-behaviour.md E7, fixed profile): each commit
 * of the first-parent chain from `tipSha` back to the range start is rewritten with only its
 * (rewritten) first parent, keeping author, committer, dates and message byte for byte. A merge
 * thus becomes an ordinary commit whose diff is the merge result against its first parent; the
 * side-branch commits disappear. No ref, branch or working-tree file is created or changed; the
 * new commit objects are unreferenced and git's gc prunes them in time.
 */
export async function linearizeFirstParent(options: LinearizeFirstParentOptions): Promise<LinearizedHistory> {
  const { repoDir, git, rangeShas } = options;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const parentsOf = new Map<string, string | undefined>();

  const raw = await readCommitObjects(repoDir, git, [...rangeShas], signal);
  for (const [sha, object] of raw) parentsOf.set(sha, firstParent(object));

  const chain: string[] = [];
  for (
    let sha: string | undefined = options.tipSha;
    sha !== undefined && rangeShas.has(sha);
    sha = parentsOf.get(sha)
  ) {
    chain.push(sha);
  }
  chain.reverse();

  const algorithm = options.tipSha.length === 64 ? 'sha256' : 'sha1';
  const originalOf = new Map<string, string>();
  const objects: Buffer[] = [];
  let newParent: string | undefined;
  for (const [index, sha] of chain.entries()) {
    const object = raw.get(sha);
    if (object === undefined)
      throw new ConverterError('GIT_FAILED', `commit ${sha} vanished from ${repoDir}`);
    const parent = index === 0 ? firstParent(object) : newParent;
    const rewritten = withParents(object, parent === undefined ? [] : [parent]);
    const newSha = createHash(algorithm)
      .update(`commit ${rewritten.length}\0`)
      .update(rewritten)
      .digest('hex');
    objects.push(rewritten);
    originalOf.set(newSha, sha);
    newParent = newSha;
  }
  if (newParent === undefined) {
    return { tipSha: options.tipSha, chain, originalOf };
  }

  const dir = await mkdtemp(join(tmpdir(), 'srcgit-linearize-'));
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
    const expected = [...originalOf.keys()];
    if (shas.length !== expected.length || shas.some((sha, index) => sha !== expected[index])) {
      throw new ConverterError(
        'GIT_FAILED',
        `git hash-object wrote unexpected commits while linearising ${repoDir}`,
        {
          data: { expected, written: shas },
        },
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { tipSha: newParent, chain, originalOf };
}

async function readCommitObjects(
  repoDir: string,
  git: GitRunner,
  shas: readonly string[],
  signal: { signal?: AbortSignal },
): Promise<Map<string, Buffer>> {
  const { stdout } = await git.run(['cat-file', '--batch'], {
    cwd: repoDir,
    input: `${shas.join('\n')}\n`,
    isolated: true,
    ...signal,
  });
  const objects = new Map<string, Buffer>();
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

function headerEnd(object: Buffer): number {
  const end = object.indexOf('\n\n', 0, 'latin1');
  return end === -1 ? object.length : end + 1;
}

function firstParent(object: Buffer): string | undefined {
  const header = object.toString('latin1', 0, headerEnd(object));
  return /^parent ([0-9a-f]{40,64})$/m.exec(header)?.[1];
}

/** The commit object with its `parent` lines replaced (right after `tree`, as git writes them). */
function withParents(object: Buffer, parents: readonly string[]): Buffer {
  const end = headerEnd(object);
  const headerLines = object.toString('latin1', 0, end).split('\n');
  const kept: string[] = [];
  let dropping = false;
  for (const line of headerLines) {
    // Signatures and merge tags no longer match the rewritten commit: drop them with their
    // continuation lines, as git commit-tree would.
    if (dropping && line.startsWith(' ')) continue;
    dropping = /^(gpgsig|gpgsig-sha256|mergetag) /.test(line);
    if (dropping || line.startsWith('parent ')) continue;
    kept.push(line);
    if (line.startsWith('tree ')) kept.push(...parents.map((parent) => `parent ${parent}`));
  }
  return Buffer.concat([Buffer.from(kept.join('\n'), 'latin1'), object.subarray(end)]);
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitRunner } from '../git/git-runner';

/** The outcome of a three-way merge: the merged bytes, or the number of conflicting hunks. */
export type MergeResult =
  { readonly ok: true; readonly content: Buffer } | { readonly ok: false; readonly conflicts: number };

/**
 * Carries the change `base → theirs` over to `ours` with `git merge-file` (git's own three-way
 * line merge). Trivial cases are answered without git.
 */
export async function mergeText(
  git: GitRunner,
  cwd: string,
  input: { readonly base: Uint8Array; readonly ours: Uint8Array; readonly theirs: Uint8Array },
  signal?: AbortSignal,
): Promise<MergeResult> {
  const base = Buffer.from(input.base);
  const ours = Buffer.from(input.ours);
  const theirs = Buffer.from(input.theirs);
  if (ours.equals(base) || ours.equals(theirs)) return { ok: true, content: theirs };
  if (theirs.equals(base)) return { ok: true, content: ours };
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-merge-'));
  try {
    const paths = ['ours', 'base', 'theirs'].map((name) => join(dir, name));
    await Promise.all([ours, base, theirs].map((content, index) => writeFile(paths[index] ?? '', content)));
    const result = await git.run(['merge-file', '-p', ...paths], {
      cwd,
      isolated: true,
      okExitCodes: Array.from({ length: 256 }, (_, index) => index),
      ...(signal === undefined ? {} : { signal }),
    });
    return result.exitCode === 0
      ? { ok: true, content: result.stdout }
      : { ok: false, conflicts: result.exitCode };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

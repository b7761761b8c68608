import type { GitRunner } from '../git/git-runner';
import { normalizePatchHeaders } from './normalize-patch-headers';
import { startPatchIdSession } from './patch-id-session';
import { stripDiffPrefixes } from './strip-diff-prefixes';

/** The change between two commits, as `git diff --binary <from> <to> -- <pathspec>` shows it. */
export interface DiffRange {
  readonly from: string;
  readonly to: string;
  /** Strip the `a/`/`b/` prefixes first, as for a `No-prefix` patch. */
  readonly noPrefix?: boolean;
}

export interface ComputeDiffPatchIdsOptions {
  readonly repoDir: string;
  /** The pathspec of patch generation, `--` included (e.g. `['--', '.', ':(exclude).distro']`). */
  readonly pathspec: readonly string[];
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * `git patch-id --stable` of the diff between two commits, for each range: ONE `git diff` process
 * per range (with the pathspec of patch generation, so the diff covers exactly what the patches
 * cover) and ONE `git patch-id` process for all of them, on the canonical form of
 * `normalizePatchHeaders` (as the ids of patch files). A range without any change gets `[]`.
 * Used for the net change of a squashed patch (the identical check) and for exact reverts.
 *
 * @example
 * ```ts
 * const [net] = await computeDiffPatchIds([{ from: `${first}^`, to: last }], {
 *   repoDir, pathspec: ['--', '.', ':(exclude).distro'], git,
 * });
 * ```
 */
export async function computeDiffPatchIds(
  ranges: readonly DiffRange[],
  options: ComputeDiffPatchIdsOptions,
): Promise<string[][]> {
  if (ranges.length === 0) return [];
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const diffs = await Promise.all(
    ranges.map(async (range) => {
      const { stdout } = await options.git.run(
        ['diff', '--binary', '--no-color', '--no-ext-diff', range.from, range.to, ...options.pathspec],
        { cwd: options.repoDir, isolated: true, ...signalOption },
      );
      // stripDiffPrefixes reads a format-patch message: the diff follows a `---` line and a blank
      // line (patch-id reads from the first `diff` line, so the lead-in changes nothing).
      const diff =
        range.noPrefix === true
          ? stripDiffPrefixes(Buffer.concat([Buffer.from('---\n\n', 'latin1'), stdout]))
          : stdout;
      // The canonical form every patch-id compared with a patch file's is computed on.
      return Buffer.from(normalizePatchHeaders(diff.toString('latin1')), 'latin1');
    }),
  );
  const session = startPatchIdSession(options.git, signalOption);
  try {
    for (const diff of diffs) session.add(diff);
    return await session.finish();
  } catch (error) {
    session.abort();
    throw error;
  }
}

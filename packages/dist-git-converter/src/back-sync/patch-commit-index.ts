import type { SourceGitConfig } from '../config/source-git-config';
import type { GitRunner } from '../git/git-runner';
import { generatePatchSeries } from '../patches/generate-patch-series';
import { resolveSyncPath } from '../sync/resolve-sync-path';

/** A source-git commit that contributes to a patch file. */
export interface PatchSourceCommit {
  readonly sha: string;
  readonly subject: string;
}

/**
 * Which source-git commits produce each dist-git patch file: the patch series of source-git HEAD
 * (computed once, on first use, exactly as `update-dist-git` names the files), plus the commits a
 * running back-sync has made.
 */
export interface PatchCommitIndex {
  /** The commits of a patch file, oldest first; empty when source-git has none. */
  commitsOf(fileName: string): Promise<readonly PatchSourceCommit[]>;
  /** Records commits made for a patch file. */
  add(fileName: string, commits: readonly PatchSourceCommit[]): void;
  /** Forgets a patch file (after it was reverted). */
  remove(fileName: string): void;
  /** The paths patches leave out (`patch_generation_ignore_paths` and `files_to_sync` sources). */
  readonly excludePaths: readonly string[];
}

export function createPatchCommitIndex(options: {
  readonly git: GitRunner;
  readonly sourceGitDir: string;
  readonly config: SourceGitConfig;
  readonly signal?: AbortSignal;
}): PatchCommitIndex {
  const { git, sourceGitDir, config, signal } = options;
  const excludePaths = [
    ...config.patchGenerationIgnorePaths,
    ...config.filesToSync
      .flatMap((item, index) =>
        item.src.map((src) => resolveSyncPath(src, sourceGitDir, `files_to_sync[${index}].src`)),
      )
      .filter((src) => src !== ''),
  ];
  const extra = new Map<string, PatchSourceCommit[]>();
  const removed = new Set<string>();
  let series: Promise<Map<string, PatchSourceCommit[]>> | undefined;
  const load = async (): Promise<Map<string, PatchSourceCommit[]>> => {
    if (config.upstreamRef === undefined) return new Map();
    const result = await generatePatchSeries({
      sourceGitDir,
      upstreamRef: config.upstreamRef,
      excludePaths,
      patchComments: config.patchComments,
      git,
      ...(config.paths[0] === undefined || config.paths[0] === './' ? {} : { packagePath: config.paths[0] }),
      ...(signal === undefined ? {} : { signal }),
    });
    return new Map(
      result.patches.map((patch) => [
        patch.fileName,
        patch.commits.map((commit) => ({ sha: commit.sha, subject: commit.subject })),
      ]),
    );
  };
  return {
    excludePaths,
    async commitsOf(fileName) {
      if (removed.has(fileName)) return extra.get(fileName) ?? [];
      series ??= load();
      return [...((await series).get(fileName) ?? []), ...(extra.get(fileName) ?? [])];
    },
    add(fileName, commits) {
      extra.set(fileName, [...(extra.get(fileName) ?? []), ...commits]);
    },
    remove(fileName) {
      removed.add(fileName);
      extra.delete(fileName);
    },
  };
}

import { resolve } from 'node:path';
import { readCommittedConfig, sourceGitConfigPaths } from './config/load-source-git-config';
import { ConverterError } from './converter-error';
import { createGitRunner, type GitRunner } from './git/git-runner';
import {
  applyCommitPlan,
  type BackSyncState,
  type CreatedSourceGitCommit,
} from './back-sync/apply-commit-plan';
import { assertSourceGitPristine } from './back-sync/assert-source-git-pristine';
import { createDistroPathMap } from './back-sync/distro-path-map';
import { listCommits } from './back-sync/list-commits';
import { moveBranch } from './back-sync/move-branch';
import { createPatchCommitIndex } from './back-sync/patch-commit-index';
import { planBackSync } from './back-sync/plan-back-sync';
import { readCommitTree } from './git/read-commit-tree';
import { resolveSyncPath } from './sync/resolve-sync-path';
import { createScratchIndex } from './back-sync/scratch-index';
import { formatSyncStatus } from './status/format-sync-status';
import { syncStatusFromTrailers } from './status/sync-status-from-trailers';

export interface UpdateSourceGitOptions {
  readonly distGitDir: string;
  readonly sourceGitDir: string;
  /**
   * Dist-git commits to bring over, in `git rev-list` syntax (`abc123~..`, `A..B`). Default:
   * every commit after the last synchronisation point.
   */
  readonly range?: string;
  /** Skip the sync-status check (then {@link range} is required), as packit's `--force`. */
  readonly force?: boolean;
  /** Build the commits but leave the source-git branch where it is. */
  readonly dryRun?: boolean;
  readonly git?: GitRunner;
  /** Committer date of the new commits; default: now. */
  readonly clock?: () => Date;
  readonly signal?: AbortSignal;
}

/** What one dist-git commit became in source-git. */
export interface BackSyncedCommit {
  readonly distGitCommit: string;
  readonly subject: string;
  /** The source-git commits made from it, oldest first (none when skipped). */
  readonly sourceGitCommits: readonly CreatedSourceGitCommit[];
  /** `merge`: merge commits contribute nothing; `no-changes`: nothing of it reaches source-git. */
  readonly skipped: 'merge' | 'no-changes' | undefined;
}

/** The result of {@link updateSourceGit}. Versioned: fields are only ever added. */
export interface UpdateSourceGitResult {
  readonly schemaVersion: 1;
  /** `updated`: the branch moved; `up-to-date`: nothing to do; `dry-run`: commits built, branch not moved. */
  readonly outcome: 'updated' | 'up-to-date' | 'dry-run';
  /** Human text: the status when up to date, else a summary. */
  readonly message: string;
  readonly previousHead: string;
  /** Source-git HEAD after the run (the would-be HEAD for a dry run). */
  readonly head: string;
  readonly commits: readonly BackSyncedCommit[];
}

/**
 * Brings dist-git commits into source-git (docs/converter-behaviour.md §3, fixed profile, patch-aware): every
 * dist-git commit after the last synchronised one becomes source-git commits carrying
 * `From-dist-git-commit: <sha>` with the dist-git author and date — `.distro/` changes mirrored
 * (renames keep their directories, edits of renamed files and binary files survive), an added
 * patch applied as a code commit with `Patch-name`/`Patch-id`/`Patch-status` trailers, an updated
 * patch as a fix-up commit with the same `Patch-name`, a removed patch reverted. A change that
 * cannot be brought over safely is refused naming the commit, the file and the reason; then
 * nothing changes (the commits are built in a private index, the branch moves at the end).
 *
 * @throws {ConverterError} `OUT_OF_SYNC` (source-git ahead or diverged; the status text),
 *   `RANGE_INVALID`, `SOURCE_GIT_DIRTY`, `UNSUPPORTED_CHANGE`, `PATCH_APPLY_FAILED`,
 *   `CONFIG_MISSING`/`CONFIG_INVALID`, `SYNC_MARKER_MISSING`/`SYNC_MARKER_INVALID`, `GIT_FAILED`.
 * @example
 * ```ts
 * const result = await updateSourceGit({ distGitDir: 'rpms/beer', sourceGitDir: 'src/beer' });
 * for (const commit of result.commits) console.log(commit.distGitCommit, commit.sourceGitCommits.length);
 * ```
 */
export async function updateSourceGit(options: UpdateSourceGitOptions): Promise<UpdateSourceGitResult> {
  const git = options.git ?? createGitRunner();
  const { signal } = options;
  const signalOption = signal === undefined ? {} : { signal };
  const sourceGitDir = resolve(options.sourceGitDir);
  const distGitDir = resolve(options.distGitDir);
  const previousHead = (
    await git.text(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: sourceGitDir, ...signalOption })
  ).trim();

  let revisionArgs: string[];
  if (options.force === true) {
    if (options.range === undefined || options.range === '') {
      throw new ConverterError(
        'RANGE_INVALID',
        'a dist-git revision range is required with --force (e.g. "abc123~.."): without the sync-status check srcgit cannot tell which commits are new',
      );
    }
    revisionArgs = rangeArgs(options.range);
  } else {
    const report = await syncStatusFromTrailers({ sourceGitDir, distGitDir, git, ...signalOption });
    const text = formatSyncStatus(report);
    if (report.state === 'in-sync') {
      return {
        schemaVersion: 1,
        outcome: 'up-to-date',
        message: text,
        previousHead,
        head: previousHead,
        commits: [],
      };
    }
    if (report.state !== 'dist-git-ahead') {
      throw new ConverterError('OUT_OF_SYNC', text, { data: { state: report.state } });
    }
    if (report.distGit.rewritten) {
      throw new ConverterError(
        'OUT_OF_SYNC',
        `${text}\nsrcgit cannot tell which dist-git commits are new; pass the range to bring over with --force.`,
        { data: { state: report.state } },
      );
    }
    revisionArgs =
      options.range === undefined || options.range === ''
        ? ['--ancestry-path', `${report.distGit.syncedCommit}..HEAD`]
        : rangeArgs(options.range);
  }

  await assertSourceGitPristine(git, sourceGitDir, 'update source-git from dist-git', signal);
  // Configuration and spec come from HEAD's tree, never through a link of the working tree.
  const readTree = (paths: readonly string[]) =>
    readCommitTree({ git, dir: sourceGitDir, commit: previousHead, paths, ...signalOption });
  const { config, path: configPath } = await readCommittedConfig(
    await readTree(sourceGitConfigPaths({ sourceGitDir })),
    { sourceGitDir },
  );
  const commits = await listCommits(git, distGitDir, revisionArgs, signal).catch((error: unknown) => {
    if (error instanceof ConverterError && error.code === 'GIT_FAILED' && options.range !== undefined) {
      throw new ConverterError(
        'RANGE_INVALID',
        `dist-git has no revision range "${options.range}" (in ${distGitDir})`,
        {
          cause: error,
        },
      );
    }
    throw error;
  });
  if (commits.length === 0) {
    return {
      schemaVersion: 1,
      outcome: 'up-to-date',
      message: `The range selects no dist-git commits: nothing to bring into '${sourceGitDir}'.`,
      previousHead,
      head: previousHead,
      commits: [],
    };
  }
  const specPath = resolveSyncPath(config.specfilePath, 'the source-git repository', 'specfile_path');
  const specTree = await readTree([specPath]);
  const specEntry = specTree.entry(specPath);
  const specLink = specTree.obstacle(specPath);
  if (specEntry?.kind !== 'file' || specEntry.mode === '120000' || specLink !== undefined) {
    throw new ConverterError(
      'CONFIG_INVALID',
      specEntry === undefined && specLink === undefined
        ? `${configPath}: specfile_path ${config.specfilePath} does not exist in source-git at HEAD`
        : `${configPath}: specfile_path ${config.specfilePath} is not a regular file in source-git at HEAD (${specLink === undefined ? 'a symbolic link, directory or submodule' : `it goes through ${specLink.path}`}); srcgit reads it from the commit and does not follow links`,
      { data: { specfilePath: config.specfilePath } },
    );
  }
  const distroSpec = await specTree.read(specEntry);
  const plans = await planBackSync({
    git,
    distGitDir,
    config,
    paths: createDistroPathMap(config),
    configPath,
    commits,
    distroSpec: distroSpec.toString('utf8'),
    ...signalOption,
  });

  const clockDate = options.clock?.();
  const index = await createScratchIndex({
    git,
    repoDir: sourceGitDir,
    base: previousHead,
    ...(clockDate === undefined ? {} : { committerDate: `@${Math.floor(clockDate.getTime() / 1000)} +0000` }),
    ...signalOption,
  });
  const results: BackSyncedCommit[] = [];
  const patchCommits = createPatchCommitIndex({ git, sourceGitDir, config, ...signalOption });
  try {
    const state: BackSyncState = { head: previousHead, tree: await index.writeTree() };
    for (const [position, plan] of plans.entries()) {
      const created = await applyCommitPlan(
        plan,
        state,
        {
          git,
          distGitDir,
          sourceGitDir,
          index,
          specfilePath: config.specfilePath,
          patchCommits,
          ...signalOption,
        },
        position === plans.length - 1,
      );
      results.push({
        distGitCommit: plan.commit.sha,
        subject: plan.commit.subject,
        sourceGitCommits: created,
        skipped: created.length > 0 ? undefined : plan.merge ? 'merge' : 'no-changes',
      });
    }
    const made = results.reduce((count, result) => count + result.sourceGitCommits.length, 0);
    const summary = `${made === 1 ? '1 source-git commit' : `${made} source-git commits`} from ${results.length === 1 ? '1 dist-git commit' : `${results.length} dist-git commits`}`;
    if (options.dryRun === true) {
      return {
        schemaVersion: 1,
        outcome: 'dry-run',
        message: `Would make ${summary}.`,
        previousHead,
        head: state.head,
        commits: results,
      };
    }
    if (state.head !== previousHead) {
      await moveBranch(git, sourceGitDir, previousHead, state.head, 'srcgit update-source-git', signal);
    }
    return {
      schemaVersion: 1,
      outcome: 'updated',
      message: `Made ${summary}.`,
      previousHead,
      head: state.head,
      commits: results,
    };
  } finally {
    await index.dispose();
  }
}

function rangeArgs(range: string): string[] {
  if (range.startsWith('-')) {
    throw new ConverterError(
      'RANGE_INVALID',
      `"${range}" is not a revision range (it must not start with "-")`,
    );
  }
  return [range];
}

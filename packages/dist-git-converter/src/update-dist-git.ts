import * as nodeFs from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import {
  findCommittedConfig,
  readCommittedConfig,
  readWorkingTreeConfig,
  sourceGitConfigPaths,
  type LoadedSourceGitConfig,
} from './config/load-source-git-config';
import type { FileSyncItem, SourceGitConfig } from './config/source-git-config';
import { ConverterError } from './converter-error';
import { applyTreeChanges, type TreeChange } from './dist-git/apply-tree-changes';
import { assertPatchNamesFit } from './patches/assert-patch-names-fit';
import { assertDistGitPristine } from './dist-git/assert-dist-git-pristine';
import { buildCommitMessage } from './dist-git/build-commit-message';
import { commitDistGit } from './dist-git/commit-dist-git';
import type { ConverterFs } from './dist-git/converter-fs';
import { resolveGitIdentity } from './dist-git/git-identity';
import { writeCommitMessageFile } from './dist-git/write-commit-message-file';
import { readDistGitHead } from './dist-git/read-dist-git-head';
import type {
  UpdateDistGitPlan,
  UpdateDistGitPlanCommit,
  UpdateDistGitPlanFile,
  UpdateDistGitPlanPatch,
} from './dist-git/update-dist-git-plan';
import { createGitRunner, type GitRunner } from './git/git-runner';
import { readCommitTree, type CommitTree } from './git/read-commit-tree';
import { findIdenticalPatches } from './patches/find-identical-patches';
import { generatePatchSeries } from './patches/generate-patch-series';
import {
  resolveConversionLimits,
  conversionLimitError,
  type ConversionLimits,
} from './limits/conversion-limits';
import type { PatchSeries } from './patches/patch-series';
import { renderDistGitSpec } from './spec/render-dist-git-spec';
import type { SpecPatchChange } from './spec/spec-patch';
import { mergeSpecKeepingChangelog } from './sync/merge-spec-keeping-changelog';
import { resolveSyncPath } from './sync/resolve-sync-path';
import { syncFiles, syncSourcePaths } from './sync/sync-files';
import { blobOid, type CommittedFile, type TreeFile } from './sync/tree-file';

/** What the sync-status pre-check (docs/converter-behaviour.md §2.2 step 1) decided. */
export type SyncStatusCheckResult =
  /** Source-git has commits dist-git lacks: convert. */
  | { readonly action: 'proceed' }
  /** Nothing in source-git is unsynced: return without doing anything (exit 0), with this text. */
  | { readonly action: 'up-to-date'; readonly message: string };

/** What the pre-check gets. It throws (e.g. `OUT_OF_SYNC`) when dist-git is ahead or diverged. */
export interface SyncStatusCheckContext {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly config: SourceGitConfig;
  readonly git: GitRunner;
  /** The conversion's size limits, for a pre-check that converts too (a hand-committed sync). */
  readonly limits?: ConversionLimits;
}

/** Progress of a long run, for a progress display. */
export interface UpdateDistGitProgress {
  readonly phase: 'config' | 'files' | 'patches' | 'identical-check' | 'spec' | 'write' | 'commit';
  /** Commits formatted so far (phase `patches`). */
  readonly done?: number;
  readonly total?: number;
}

export interface UpdateDistGitOptions {
  /**
   * The source-git repository. Its `HEAD` commit is converted: the patches, and the
   * configuration, the spec and the `files_to_sync` files are all read from that commit with
   * git (uncommitted changes are not synced; a symbolic link is never followed).
   */
  readonly sourceGitDir: string;
  /** The dist-git working tree (the repository root). */
  readonly distGitDir: string;
  /**
   * Commit message (`-m`). Given: everything is committed with a `From-source-git-commit`
   * trailer, and "nothing changed" is a `NOTHING_TO_COMMIT` error. Absent: files are written,
   * nothing is staged or committed (packit's behaviour), and the message to commit them with
   * (`Update from source-git` and the trailer) is written to `.git/SRCGIT_COMMIT_MSG`
   * ({@link UpdateDistGitResult.commitMessageFile}).
   */
  readonly message?: string;
  /** Compute the plan only; touch nothing. */
  readonly dryRun?: boolean;
  /** Overrides the configured `upstream_ref` (packit's `--upstream-ref`). */
  readonly upstreamRef?: string;
  /** Configuration file relative to the source-git root. Default `.distro/source-git.yaml`. */
  readonly configPath?: string;
  /** Refuse a dist-git with changes, untracked or ignored files (`DIST_GIT_DIRTY`). Default true. */
  readonly checkPristine?: boolean;
  /**
   * The sync-status pre-check (docs/converter-behaviour.md §2.2 step 1), run after the configuration is read.
   * Not run when absent (packit's `-f`).
   */
  readonly checkSyncStatus?: (context: SyncStatusCheckContext) => Promise<SyncStatusCheckResult>;
  /** The git CLI, for both repositories and for pure text filters. Default {@link createGitRunner}(). */
  readonly git?: GitRunner;
  /** File system for the dist-git working tree's writes. Default `node:fs`. */
  readonly fs?: ConverterFs;
  /** Clock for a `sync_changelog: false` changelog entry. Default `new Date()`. */
  readonly now?: () => Date;
  readonly onProgress?: (progress: UpdateDistGitProgress) => void;
  /**
   * Called (once, before the result) with the source-git working tree's uncommitted or untracked
   * paths under what the conversion reads (the configuration, the spec, the `files_to_sync`
   * sources), when there are any: they are not synced. Not given: not checked (one `git status`
   * less).
   */
  readonly onUncommittedChanges?: (paths: readonly string[]) => void;
  /**
   * Size limits (commits in the range, bytes of a patch, of all patches, of a synced file, of the
   * spec), each checked before the data is read; default `DEFAULT_CONVERSION_LIMITS`. Exceeding
   * one is `LIMIT_EXCEEDED` naming the limit, its value, the offender and how to raise it.
   */
  readonly limits?: Partial<ConversionLimits>;
  readonly signal?: AbortSignal;
}

/** The outcome of {@link updateDistGit}. */
export interface UpdateDistGitResult {
  /**
   * `up-to-date`: the pre-check found nothing to sync; `nothing-to-do`: dist-git already matches;
   * `planned`: dry run; `written`: files written, not committed; `committed`: committed.
   */
  readonly outcome: 'up-to-date' | 'nothing-to-do' | 'planned' | 'written' | 'committed';
  readonly plan: UpdateDistGitPlan;
  /** The new dist-git commit (`committed` only). */
  readonly commitSha: string | undefined;
  /**
   * `written` only: the file holding the prepared commit message, `From-source-git-commit`
   * trailer included (`<dist-git>/.git/SRCGIT_COMMIT_MSG`). Committing the written files with it
   * (`git add -A && git commit -F .git/SRCGIT_COMMIT_MSG`) records the sync point.
   */
  readonly commitMessageFile?: string;
  /** A one-line human summary. */
  readonly summary: string;
}

const DEFAULT_CONFIG_PATH = '.distro/source-git.yaml';

/** The title of the commit message prepared for a packager who commits the written files by hand. */
const HAND_COMMIT_TITLE = 'Update from source-git';

/**
 * Brings a dist-git working tree in line with a source-git repository (packit's
 * `source-git update-dist-git`, docs/converter-behaviour.md §2, fixed profile):
 *
 * 1. reads `.distro/source-git.yaml`; runs the optional sync-status pre-check; refuses a dist-git
 *    that is not pristine;
 * 2. computes the complete new dist-git tree in memory: `files_to_sync` with rsync semantics
 *    (contents compared, `source-git.yaml` never copied), the `sync_changelog: false` spec merge,
 *    the patch files of `upstream_ref..HEAD` (a patch whose changes are identical to the committed
 *    file keeps the committed bytes, every message compared, or for a squashed patch against a
 *    one-message file its net change; a commit and its exact revert make no patch), and the spec with its Patch entries
 *    (edited in place, the dist-git spec as template);
 * 3. only then writes the difference into the working tree, all-or-nothing, and with `message`
 *    stages and commits it with a `From-source-git-commit: <sha>` trailer.
 *
 * Any failure leaves the dist-git working tree, index and branch exactly as they were.
 *
 * @throws ConverterError `CONFIG_MISSING`/`CONFIG_INVALID`, `DIST_GIT_DIRTY`,
 *   `UPSTREAM_REF_UNKNOWN`, `PATCH_NAME_INVALID`/`PATCH_NAME_CONFLICT`/`PATCH_METADATA_INVALID`,
 *   `SPEC_INVALID`, `PATCH_ID_TOO_LOW`, `NOTHING_TO_COMMIT` (with `message`, when nothing
 *   changed), `DIST_GIT_WRITE_FAILED`, `GIT_FAILED`, or whatever `checkSyncStatus` throws.
 * @example
 * ```ts
 * const result = await updateDistGit({
 *   sourceGitDir: 'src/beer',
 *   distGitDir: 'rpms/beer',
 *   message: 'Update from source-git',
 * });
 * result.outcome; // 'committed'
 * result.plan.files; // [{ path: '0001-Switch-to-Amarillo-hops.patch', change: 'added', … }, …]
 * ```
 */
export async function updateDistGit(options: UpdateDistGitOptions): Promise<UpdateDistGitResult> {
  return updateFrom(options, undefined);
}

/** The configuration as committed, when the working tree's copy turned out to differ. */
interface CommittedConfig {
  readonly commit: string;
  readonly loaded: LoadedSourceGitConfig;
}

/** The working tree's configuration is not the commit's: the conversion starts again with the commit's. */
class WorkingTreeConfigDiffers extends Error {
  constructor(readonly committed: CommittedConfig) {
    super('the working tree configuration differs from the commit');
  }
}

async function updateFrom(
  options: UpdateDistGitOptions,
  committed: CommittedConfig | undefined,
): Promise<UpdateDistGitResult> {
  const sourceGitDir = resolve(options.sourceGitDir);
  const distGitDir = resolve(options.distGitDir);
  const gitRunner = options.git ?? createGitRunner();
  const limits = resolveConversionLimits(options.limits);
  const fs = options.fs ?? { promises: nodeFs.promises };
  const progress = options.onProgress ?? (() => undefined);
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };

  progress({ phase: 'config' });
  // The configuration is the commit's. The working tree's copy (read without following links)
  // spares git processes before format-patch; it is checked against the commit while format-patch
  // runs, and the conversion starts again with the commit's when they differ.
  const configOptions = { sourceGitDir, configPath: options.configPath ?? DEFAULT_CONFIG_PATH };
  const loaded =
    committed?.loaded ??
    (await readWorkingTreeConfig(configOptions).catch(() => undefined)) ??
    (await readConfigAt('HEAD'));
  const config = loaded.config;
  const specSourcePath = resolveSyncPath(config.specfilePath, sourceGitDir, 'specfile_path');
  const specFile = `${config.downstreamPackageName}.spec`;
  const upstreamRef = options.upstreamRef ?? config.upstreamRef;

  // Source-git's patches take longest: they are generated while dist-git is examined, and
  // abandoned if a check fails or there is nothing to do.
  const abandon = new AbortController();
  const abandonOption = { signal: abandon.signal };
  // Everything else waits until format-patch runs: each git process costs a fork of this process,
  // and the patches are the critical path.
  let markStarted = (): void => undefined;
  const seriesStarted = new Promise<void>((resolve) => (markStarted = resolve));
  /** The commit format-patch converts, once it runs: the source tree is read from it. */
  let seriesHead: string | undefined;
  const stopSeries = async (): Promise<void> => {
    abandon.abort();
    await pendingSeries?.catch(() => undefined);
  };
  const onAbort = () => abandon.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const pendingSeries =
    upstreamRef === undefined
      ? undefined
      : generatePatchSeries({
          sourceGitDir,
          upstreamRef,
          excludePaths: [
            ...config.patchGenerationIgnorePaths,
            ...config.filesToSync.flatMap((item, index) =>
              item.src
                .map((src) => resolveSyncPath(src, sourceGitDir, `files_to_sync[${index}].src`))
                .filter((src) => src !== ''),
            ),
          ],
          patchComments: config.patchComments,
          git: gitRunner,
          ...(config.paths[0] === undefined || config.paths[0] === './'
            ? {}
            : { packagePath: config.paths[0] }),
          signal: abandon.signal,
          onProgress: ({ done, total }) => progress({ phase: 'patches', done, total }),
          onStarted: ({ headSha }) => {
            seriesHead = headSha;
            markStarted();
          },
          // Ids are computed below, for the patches that differ from their committed file only.
          patchIds: false,
          limits,
        });
  pendingSeries?.catch(() => undefined);
  if (pendingSeries === undefined) markStarted();
  else pendingSeries.then(markStarted, markStarted);
  try {
    return await convert();
  } catch (error) {
    await stopSeries();
    if (error instanceof WorkingTreeConfigDiffers) return updateFrom(options, error.committed);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  /** The configuration of a commit of source-git (git processes: only when the working tree's is unusable). */
  async function readConfigAt(revision: string): Promise<LoadedSourceGitConfig> {
    const commit = (
      await gitRunner.text(['rev-parse', '--verify', '--end-of-options', `${revision}^{commit}`], {
        cwd: sourceGitDir,
      })
    ).trim();
    const tree = await readCommitTree({
      git: gitRunner,
      dir: sourceGitDir,
      commit,
      paths: sourceGitConfigPaths(configOptions),
    });
    const read = await readCommittedConfig(tree, configOptions);
    committed = { commit, loaded: read };
    return read;
  }

  /**
   * Lists what the conversion reads from source-git in the commit being converted (the
   * configuration, the spec, the `files_to_sync` sources) and checks that the configuration used is
   * the commit's.
   */
  async function readSourceTree(): Promise<CommitTree> {
    const commit =
      committed?.commit ??
      seriesHead ??
      (
        await gitRunner.text(['rev-parse', '--verify', 'HEAD^{commit}'], {
          cwd: sourceGitDir,
          ...abandonOption,
        })
      ).trim();
    const tree = await readCommitTree({
      git: gitRunner,
      dir: sourceGitDir,
      commit,
      paths: [...sourceGitConfigPaths(configOptions), specSourcePath, ...syncSourcePaths(config.filesToSync)],
      maxBlobBytes: limits.maxBlobBytes,
      ...abandonOption,
    });
    if (committed === undefined && !isCommittedConfig(tree, configOptions, loaded)) {
      throw new WorkingTreeConfigDiffers({ commit, loaded: await readCommittedConfig(tree, configOptions) });
    }
    assertSpecIsFile(tree, specSourcePath);
    return tree;
  }

  async function convert(): Promise<UpdateDistGitResult> {
    await seriesStarted;
    // The commit's files are listed while format-patch runs.
    const sourceTreeRead = readSourceTree();
    sourceTreeRead.catch(() => undefined);
    const uncommittedRead =
      options.onUncommittedChanges === undefined
        ? undefined
        : listUncommitted(gitRunner, sourceGitDir, [
            ...sourceGitConfigPaths(configOptions),
            specSourcePath,
            ...syncSourcePaths(config.filesToSync),
          ]);
    uncommittedRead?.catch(() => undefined);
    const checkPristine = options.checkPristine !== false;
    // Who commits is asked now, while format-patch runs; it only matters if there is a commit.
    const identitiesRead =
      options.message === undefined || options.dryRun === true
        ? undefined
        : Promise.all([
            resolveGitIdentity(gitRunner, distGitDir, 'author'),
            resolveGitIdentity(gitRunner, distGitDir, 'committer'),
          ]);
    identitiesRead?.catch(() => undefined);
    // The pre-check and reading dist-git HEAD (with the pristine check's status) only read; they
    // run side by side, and their failures are reported in the order of docs/converter-behaviour.md §2.2.
    const [status, headRead] = await Promise.allSettled([
      options.checkSyncStatus?.({ sourceGitDir, distGitDir, config, git: gitRunner, limits }),
      readDistGitHead(distGitDir, gitRunner, { listUntracked: checkPristine }),
    ]);
    if (status.status === 'rejected') throw status.reason;
    if (status.value?.action === 'up-to-date') {
      // The decision stands only if it was made with the commit's configuration.
      await sourceTreeRead;
      await stopSeries();
      return {
        outcome: 'up-to-date',
        commitSha: undefined,
        summary: status.value.message,
        plan: emptyPlan('up-to-date', sourceGitDir, distGitDir, specFile, upstreamRef),
      };
    }
    if (headRead.status === 'rejected') throw headRead.reason;
    const head = headRead.value;
    if (checkPristine) assertDistGitPristine(distGitDir, head);
    let previousSpecRead: Promise<string | undefined> | undefined;
    const readPreviousSpec = (): Promise<string | undefined> =>
      (previousSpecRead ??= head.tree.has(specFile)
        ? head.read(specFile).then((bytes) => decodeSpec(bytes, `dist-git ${specFile}`, limits))
        : Promise.resolve(undefined));
    // While format-patch runs, one `git cat-file` reads the committed spec and patch files: every
    // numbered patch differs after a new commit (its "[PATCH n/m]"), every patch after an init.
    const committedPatches = new Map(
      pendingSeries === undefined
        ? []
        : [...head.tree.keys()]
            .filter((path) => !path.includes('/') && /\.(patch|diff)$/i.test(path))
            .map((path) => [path, head.read(path)] as const),
    );
    for (const read of committedPatches.values()) read.catch(() => undefined);
    if (committedPatches.size > 0) readPreviousSpec().catch(() => undefined);

    // 1. files_to_sync (and the sync_changelog: false spec merge).
    progress({ phase: 'files' });
    const sgSpecPath = specSourcePath;
    const items = config.syncChangelog ? config.filesToSync : withoutSpec(config.filesToSync, sgSpecPath);
    const configRelative = relative(sourceGitDir, config.path).split('\\').join('/');
    const sourceTree = await sourceTreeRead;
    const tree = await syncFiles<CommittedFile>({
      source: sourceTree,
      items,
      tree: head.tree,
      neverCopy: [configRelative],
    });
    if (!config.syncChangelog) {
      const distroSpec = await readSourceGitSpec(sourceTree, sourceGitDir, sgSpecPath, limits);
      const previous = head.tree.get(specFile);
      const merged = await mergeSpecKeepingChangelog({
        distroSpec,
        distGitSpec: await readPreviousSpec(),
        packager: async () => {
          const who =
            (await identitiesRead)?.[1] ?? (await resolveGitIdentity(gitRunner, distGitDir, 'committer'));
          return `${who.name} <${who.email}>`;
        },
        now: (options.now ?? (() => new Date()))(),
      });
      tree.set(specFile, { mode: previous?.mode ?? '100644', content: Buffer.from(merged, 'utf8') });
    }

    // 2. Patches and the spec's Patch entries.
    let series: PatchSeries | undefined;
    let sourceHead: string;
    const patchStatus = new Map<string, UpdateDistGitPlanPatch['status']>();
    let specChanges: readonly SpecPatchChange[] = [];
    let specWarnings: readonly string[] = [];
    let previousSpec: string | undefined;
    if (pendingSeries !== undefined) {
      progress({ phase: 'patches' });
      series = await pendingSeries;
      sourceHead = series.headSha;
      assertSameCommit(sourceGitDir, sourceTree.commit, sourceHead);
      assertPatchNamesFit(series.patches, {
        specFile,
        syncedPaths: [...tree].flatMap(([path, file]) => (file === head.tree.get(path) ? [] : [path])),
      });

      progress({ phase: 'identical-check' });
      // A patch whose bytes equal the committed file is unchanged; one with other bytes keeps the
      // committed bytes when its changes are the same.
      const differing = series.patches.filter((patch) => {
        const old = head.tree.get(patch.fileName);
        return old !== undefined && old.oid !== blobOid(patch.content);
      });
      const [specText, committed] = await Promise.all([
        readPreviousSpec(),
        Promise.all(
          differing.map((patch) => committedPatches.get(patch.fileName) ?? head.read(patch.fileName)),
        ),
      ]);
      previousSpec = specText;
      const identical = await findIdenticalPatches({
        differing: differing.map((patch, index) => ({ patch, committed: committed[index] as Uint8Array })),
        repoDir: sourceGitDir,
        pathspec: series.pathspec,
        git: gitRunner,
        ...signalOption,
      });
      const keepOld = new Map(
        differing.flatMap((patch, index) =>
          identical.has(patch.fileName) ? [[patch.fileName, committed[index] as Uint8Array] as const] : [],
        ),
      );
      for (const patch of series.patches) {
        const old = head.tree.get(patch.fileName);
        const kept = keepOld.get(patch.fileName);
        if (old === undefined) {
          tree.set(patch.fileName, { mode: '100644', content: patch.content });
          patchStatus.set(patch.fileName, 'new');
        } else if (kept !== undefined || old.oid === blobOid(patch.content)) {
          tree.set(
            patch.fileName,
            old.mode === '100644' ? old : { mode: '100644', content: kept ?? patch.content },
          );
          patchStatus.set(patch.fileName, 'unchanged');
        } else {
          tree.set(patch.fileName, { mode: '100644', content: patch.content });
          patchStatus.set(patch.fileName, 'changed');
        }
      }

      progress({ phase: 'spec' });
      const distroSpecEntry = tree.get(specFile);
      if (distroSpecEntry === undefined) {
        throw new ConverterError(
          'SPEC_INVALID',
          `the dist-git spec ${specFile} does not exist after syncing files_to_sync (expected ${config.specfilePath} to be copied to it)`,
          { data: { specFile } },
        );
      }
      const distroSpecBytes =
        'content' in distroSpecEntry ? distroSpecEntry.content : await head.read(specFile);
      const rendered = renderDistGitSpec({
        specPath: config.specfilePath,
        distroSpec: decodeSpec(distroSpecBytes, specFile, limits),
        previousDistGitSpec: previousSpec,
        previousSpecPath: `dist-git ${specFile}`,
        patches: series.patches.map((patch) => ({
          fileName: patch.fileName,
          id: patch.id,
          comment: patch.comment,
          commentIsExplicit: patch.commentIsExplicit,
          presentInSpec: patch.presentInSpec,
        })),
        digits: config.patchGenerationPatchIdDigits,
      });
      specChanges = rendered.changes;
      specWarnings = rendered.warnings;
      tree.set(specFile, { mode: distroSpecEntry.mode, content: Buffer.from(rendered.text, 'utf8') });
    } else {
      sourceHead = sourceTree.commit;
      previousSpec = await readPreviousSpec();
    }

    // 3. The difference, and the plan.
    const uncommitted = await uncommittedRead?.catch(() => []);
    if (uncommitted !== undefined && uncommitted.length > 0) options.onUncommittedChanges?.(uncommitted);
    const changes = diffTrees(head.tree, tree);
    const specAfter = tree.get(specFile);
    const willCommit = options.message !== undefined && options.dryRun !== true && changes.length > 0;
    const commits = series === undefined ? [] : planCommits(series, patchStatus, specChanges);
    const willWrite = options.message === undefined && options.dryRun !== true && changes.length > 0;
    const [commitMessage, identities, handCommitMessage] = await Promise.all([
      options.message === undefined
        ? null
        : buildCommitMessage(gitRunner, distGitDir, options.message, sourceHead),
      willCommit ? identitiesRead : undefined,
      willWrite ? buildCommitMessage(gitRunner, distGitDir, HAND_COMMIT_TITLE, sourceHead) : undefined,
    ]);
    const plan: UpdateDistGitPlan = {
      schemaVersion: 1,
      status: changes.length === 0 ? 'nothing-to-do' : 'changes',
      sourceGit: {
        dir: sourceGitDir,
        head: sourceHead,
        upstreamRef: series?.upstreamRef ?? null,
        upstreamSha: series?.upstreamSha ?? null,
      },
      distGit: { dir: distGitDir, head: head.sha ?? null, specFile },
      commits,
      patches: (series?.patches ?? []).map((patch) => {
        const spec = specChanges.find((change) => change.fileName === patch.fileName);
        return {
          fileName: patch.fileName,
          status: patchStatus.get(patch.fileName) ?? 'new',
          tag: spec === undefined || spec.tag === '' ? null : spec.tag,
          specAction: spec?.action ?? null,
          commits: patch.commits.map((commit) => commit.sha),
        };
      }),
      files: changes.map((change) => planFile(change, specFile, series)),
      specDiff: '',
      commitMessage,
      warnings: specWarnings,
    };
    // A line diff of the whole spec costs ~20 ms after many new Patch tags and a commit does not
    // need it: it is computed when first read (JSON, spread, property access), in its place.
    let specDiffText: string | undefined;
    Object.defineProperty(plan, 'specDiff', {
      enumerable: true,
      get: () =>
        (specDiffText ??= specDiff(
          specFile,
          previousSpec,
          specAfter === undefined
            ? undefined
            : 'content' in specAfter
              ? Buffer.from(specAfter.content).toString('utf8')
              : previousSpec,
        )),
    });

    if (changes.length === 0) {
      if (options.message !== undefined) {
        throw new ConverterError(
          'NOTHING_TO_COMMIT',
          `no changes are present in the dist-git repository ${distGitDir}: nothing to commit`,
          { data: { distGitDir, sourceGitHead: sourceHead } },
        );
      }
      return {
        outcome: 'nothing-to-do',
        plan,
        commitSha: undefined,
        summary: `${distGitDir} already matches ${sourceGitDir} (${sourceHead.slice(0, 12)}): nothing to do`,
      };
    }
    const counts = summarizeFiles(plan.files);
    if (options.dryRun === true) {
      return {
        outcome: 'planned',
        plan,
        commitSha: undefined,
        summary: `would change ${counts} in ${distGitDir}`,
      };
    }

    // 4. Touch the working tree (and the index and branch), all-or-nothing.
    const gitDir = join(distGitDir, '.git');
    progress({ phase: 'write' });
    const applied = await applyTreeChanges({ fs, dir: distGitDir, gitDir, changes });
    if (commitMessage === null || identities === undefined) {
      let commitMessageFile: string | undefined;
      try {
        if (handCommitMessage !== undefined) {
          commitMessageFile = await writeCommitMessageFile({ fs, gitDir, message: handCommitMessage });
        }
      } catch (error) {
        await applied.rollback();
        throw error;
      }
      await applied.commit();
      return {
        outcome: 'written',
        plan,
        commitSha: undefined,
        ...(commitMessageFile === undefined ? {} : { commitMessageFile }),
        summary: `changed ${counts} in ${distGitDir} (not committed)`,
      };
    }
    progress({ phase: 'commit' });
    let commitSha: string;
    try {
      commitSha = await commitDistGit({
        git: gitRunner,
        dir: distGitDir,
        parent: head.sha,
        changes,
        message: commitMessage,
        author: identities[0],
        committer: identities[1],
      });
    } catch (error) {
      await applied.rollback();
      throw error;
    }
    await applied.commit();
    return {
      outcome: 'committed',
      plan,
      commitSha,
      summary: `committed ${commitSha.slice(0, 12)} to ${distGitDir}: ${counts}`,
    };
  }
}

/**
 * Takes the source-git spec out of the sync for `sync_changelog: false`: an item that copies the
 * spec file itself loses that source; an item that copies a directory holding it gets the rule
 * `- /<spec relative to the transfer root>` first (packit appends it; first is safer, as rsync's
 * first matching rule wins). The rule also keeps `--delete` away from the dist-git spec.
 */
function withoutSpec(items: readonly FileSyncItem[], specPath: string): FileSyncItem[] {
  return items.flatMap((item, index) => {
    const src: string[] = [];
    const filters: string[] = [];
    for (const source of item.src) {
      const path = resolveSyncPath(source, 'the source-git repository', `files_to_sync[${index}].src`);
      if (path === specPath) continue;
      src.push(source);
      if (path !== '' && !specPath.startsWith(`${path}/`)) continue;
      // The transfer root is the directory itself for "dir/", its parent for "dir".
      const root =
        source.endsWith('/') || path === '' ? path : path.slice(0, Math.max(0, path.lastIndexOf('/')));
      filters.push(`- /${root === '' ? specPath : specPath.slice(root.length + 1)}`);
    }
    return src.length === 0 ? [] : [{ ...item, src, filters: [...filters, ...item.filters] }];
  });
}

/** True when the configuration read from the working tree is the one the commit holds. */
function isCommittedConfig(
  tree: CommitTree,
  options: { readonly sourceGitDir: string; readonly configPath: string },
  loaded: LoadedSourceGitConfig,
): boolean {
  let file;
  try {
    file = findCommittedConfig(tree, options);
  } catch {
    return false;
  }
  return (
    join(options.sourceGitDir, file.path) === loaded.config.path &&
    file.oid === blobOid(loaded.bytes, file.oid.length === 64 ? 'sha256' : 'sha1')
  );
}

/** The spec is read as committed: a link (or a path through one) is refused, never followed. */
function assertSpecIsFile(tree: CommitTree, specPath: string): void {
  const obstacle = tree.obstacle(specPath);
  const entry = tree.entry(specPath);
  const problem =
    obstacle?.kind === 'file' && obstacle.mode === '120000'
      ? `goes through the symbolic link ${obstacle.path}`
      : obstacle?.kind === 'submodule'
        ? `lies in the git submodule ${obstacle.path}`
        : entry?.kind === 'file' && entry.mode === '120000'
          ? 'is a symbolic link'
          : entry?.kind === 'submodule'
            ? 'is a git submodule'
            : undefined;
  if (problem === undefined) return;
  throw new ConverterError(
    'SPEC_INVALID',
    `the spec file ${specPath} (specfile_path) ${problem}; srcgit reads it from the commit and does not follow links (commit the spec as a regular file)`,
    { data: { specPath } },
  );
}

async function readSourceGitSpec(
  tree: CommitTree,
  sourceGitDir: string,
  specPath: string,
  limits: ConversionLimits,
): Promise<string> {
  const entry = tree.entry(specPath);
  if (entry?.kind !== 'file') {
    throw new ConverterError(
      'SPEC_INVALID',
      `the spec file ${specPath} (specfile_path) does not exist in ${sourceGitDir} at commit ${tree.commit.slice(0, 12)}`,
      { data: { specPath } },
    );
  }
  return decodeSpec(await tree.read(entry), specPath, limits);
}

/** The patches and the files must come from the same commit (HEAD may move while git runs). */
function assertSameCommit(sourceGitDir: string, listed: string, formatted: string): void {
  if (listed === formatted) return;
  throw new ConverterError(
    'SOURCE_GIT_DIRTY',
    `HEAD of ${sourceGitDir} moved during the conversion (from ${listed.slice(0, 12)} to ${formatted.slice(0, 12)}); run it again`,
    { data: { sourceGitDir, listed, formatted } },
  );
}

/** Uncommitted and untracked paths of the working tree under `paths` (one `git status`). */
async function listUncommitted(git: GitRunner, dir: string, paths: readonly string[]): Promise<string[]> {
  const out = await git.run(
    [
      '--literal-pathspecs',
      'status',
      '--porcelain=v1',
      '-z',
      '--no-renames',
      '--untracked-files=all',
      '--',
      ...paths.map((path) => (path === '' ? '.' : path)),
    ],
    { cwd: dir },
  );
  return out.stdout
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3))
    .sort();
}

function decodeSpec(bytes: Uint8Array, where: string, limits: ConversionLimits): string {
  if (bytes.length > limits.maxSpecBytes) {
    throw conversionLimitError('maxSpecBytes', limits.maxSpecBytes, `${where} has ${bytes.length} bytes`, {
      path: where,
      size: bytes.length,
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ConverterError('SPEC_INVALID', `${where}: the spec file is not valid UTF-8 text`, {
      cause,
      data: { path: where },
    });
  }
}

function diffTrees(
  before: ReadonlyMap<string, CommittedFile>,
  after: ReadonlyMap<string, CommittedFile | TreeFile>,
): TreeChange[] {
  const changes: TreeChange[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(path);
    const next = after.get(path);
    if (next !== undefined && !('content' in next)) {
      if (next === old) continue;
      throw new Error(`${path}: a committed file can only stay where it is`);
    }
    if (
      old !== undefined &&
      next !== undefined &&
      old.mode === next.mode &&
      old.oid === blobOid(next.content)
    )
      continue;
    changes.push({ path, before: old, after: next });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function planFile(
  change: TreeChange,
  specFile: string,
  series: PatchSeries | undefined,
): UpdateDistGitPlanFile {
  const isPatch =
    change.after !== undefined && series?.patches.some((p) => p.fileName === change.path) === true;
  return {
    path: change.path,
    change: change.before === undefined ? 'added' : change.after === undefined ? 'deleted' : 'changed',
    origin: change.path === specFile ? 'spec' : isPatch ? 'patch' : 'files_to_sync',
    modeBefore: change.before?.mode ?? null,
    modeAfter: change.after?.mode ?? null,
  };
}

function planCommits(
  series: PatchSeries,
  patchStatus: ReadonlyMap<string, UpdateDistGitPlanPatch['status']>,
  specChanges: readonly SpecPatchChange[],
): UpdateDistGitPlanCommit[] {
  const entries = new Map<string, UpdateDistGitPlanCommit>();
  for (const patch of series.patches) {
    const spec = specChanges.find((change) => change.fileName === patch.fileName);
    for (const [index, commit] of patch.commits.entries()) {
      entries.set(commit.sha, {
        sha: commit.sha,
        subject: commit.subject,
        status: index === 0 ? (patchStatus.get(patch.fileName) ?? 'new') : 'squashed',
        patchFile: patch.fileName,
        tag: spec === undefined || spec.tag === '' ? null : spec.tag,
        reason: null,
      });
    }
  }
  for (const skipped of series.skipped) {
    entries.set(skipped.sha, {
      sha: skipped.sha,
      subject: skipped.subject,
      status: 'ignored',
      patchFile: null,
      tag: null,
      reason: skipped.reason,
    });
  }
  const position = new Map(series.rangeOrder.map((sha, index) => [sha, index]));
  return [...entries.values()].sort(
    (a, b) =>
      (position.get(a.sha) ?? Number.MAX_SAFE_INTEGER) - (position.get(b.sha) ?? Number.MAX_SAFE_INTEGER),
  );
}

function specDiff(specFile: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${specFile}`,
    after === undefined ? '/dev/null' : `b/${specFile}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff starts with an "=====" separator line; a unified diff starts at "---".
  return patch.slice(patch.indexOf('--- '));
}

function summarizeFiles(files: readonly UpdateDistGitPlanFile[]): string {
  const count = (change: UpdateDistGitPlanFile['change']) =>
    files.filter((file) => file.change === change).length;
  const parts = [`${count('added')} added`, `${count('changed')} changed`, `${count('deleted')} deleted`];
  return `${files.length} file${files.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

function emptyPlan(
  status: UpdateDistGitPlan['status'],
  sourceGitDir: string,
  distGitDir: string,
  specFile: string,
  upstreamRef: string | undefined,
): UpdateDistGitPlan {
  return {
    schemaVersion: 1,
    status,
    sourceGit: { dir: sourceGitDir, head: null, upstreamRef: upstreamRef ?? null, upstreamSha: null },
    distGit: { dir: distGitDir, head: null, specFile },
    commits: [],
    patches: [],
    files: [],
    specDiff: '',
    commitMessage: null,
    warnings: [],
  };
}

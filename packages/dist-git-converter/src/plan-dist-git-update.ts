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
import type { TreeChange } from './dist-git/apply-tree-changes';
import { assertPatchNamesFit } from './patches/assert-patch-names-fit';
import { assertDistGitPristine } from './dist-git/assert-dist-git-pristine';
import { buildCommitMessage } from './dist-git/build-commit-message';
import {
  draftConversionRecord,
  joinResumedSeries,
  readConversionRecord,
  resumePointOf,
  type ConversionRecord,
  type ConversionRecordDraft,
  type RecordedPatch,
} from './dist-git/conversion-record';
import type { DistGitUpdate, DistGitWrite } from './dist-git/dist-git-update';
import { resolveGitIdentity, type GitIdentity } from './dist-git/git-identity';
import { readDistGitHead, type DistGitHead } from './dist-git/read-dist-git-head';
import type {
  UpdateDistGitPlan,
  UpdateDistGitPlanCommit,
  UpdateDistGitPlanFile,
  UpdateDistGitPlanPatch,
} from './dist-git/update-dist-git-plan';
import { readHeadCommit } from './cache/read-head-commit';
import { createGitRunner, type GitRunner } from './git/git-runner';
import { readCommitTree, type CommitTree } from './git/read-commit-tree';
import { findIdenticalPatches } from './patches/find-identical-patches';
import { generatePatchSeriesWithFacts, type GeneratedSeries } from './patches/generate-patch-series';
import { ResumeRefused, type SeriesResume } from './patches/series-resume';
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
import type { UpdateDistGitOptions } from './update-dist-git-options';

/** What {@link planDistGitUpdate} takes: {@link UpdateDistGitOptions} without the writing side. */
export type PlanDistGitUpdateOptions = Omit<UpdateDistGitOptions, 'fs'>;

const DEFAULT_CONFIG_PATH = '.distro/source-git.yaml';

/** The title of the commit message prepared for a packager who commits the written files by hand. */
const HAND_COMMIT_TITLE = 'Update from source-git';

/**
 * Plans bringing a dist-git working tree in line with a source-git repository, touching nothing
 * (docs/converter-behaviour.md §2): reads the inputs (configuration, pre-check, dist-git `HEAD`),
 * plans the files (`files_to_sync`), the patches and the spec, and returns the result as plain
 * data for {@link applyDistGitUpdate} — or to print (`--dry-run --json` prints its `plan`).
 *
 * Patches are generated incrementally when this repository remembers the conversion that made
 * dist-git `HEAD` (docs/converter-behaviour.md §2.11): only the commits after it are formatted;
 * whenever that cannot be proven to give the full conversion's bytes, every commit is.
 *
 * @throws ConverterError as {@link updateDistGit} does, but never `NOTHING_TO_COMMIT` or a write error.
 * @example
 * ```ts
 * const update = await planDistGitUpdate({ sourceGitDir: 'src/beer', distGitDir: 'rpms/beer', message: 'Update' });
 * console.log(update.plan.files);
 * const result = await applyDistGitUpdate(update);
 * ```
 */
export async function planDistGitUpdate(options: PlanDistGitUpdateOptions): Promise<DistGitUpdate> {
  let restart: Restart = { committed: undefined, incremental: options.incremental !== false };
  for (;;) {
    try {
      return await planOnce(options, restart);
    } catch (error) {
      if (!(error instanceof RestartPlan)) throw error;
      restart = error.restart;
    }
  }
}

/** The configuration as committed, when the working tree's copy turned out to differ. */
interface CommittedConfig {
  readonly commit: string;
  readonly loaded: LoadedSourceGitConfig;
}

/** How a plan starts again: with the commit's configuration, or without the incremental path. */
interface Restart {
  readonly committed: CommittedConfig | undefined;
  readonly incremental: boolean;
}

/** The plan starts again (the working tree's configuration is not the commit's; or the incremental path did not hold). */
class RestartPlan extends Error {
  constructor(readonly restart: Restart) {
    super('the conversion starts again');
  }
}

/** What every phase of one plan shares. */
interface PlanRun {
  readonly options: PlanDistGitUpdateOptions;
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly git: GitRunner;
  readonly limits: ConversionLimits;
  readonly progress: NonNullable<UpdateDistGitOptions['onProgress']>;
  readonly configOptions: { readonly sourceGitDir: string; readonly configPath: string };
  readonly loaded: LoadedSourceGitConfig;
  readonly config: SourceGitConfig;
  readonly specSourcePath: string;
  readonly specFile: string;
  readonly upstreamRef: string | undefined;
  /** The configuration read from a commit (else the working tree's, checked against the commit). */
  readonly committed: CommittedConfig | undefined;
  readonly incremental: boolean;
}

async function planOnce(options: PlanDistGitUpdateOptions, restart: Restart): Promise<DistGitUpdate> {
  // 1. Read inputs: the configuration; the patches start (the critical path); the rest meanwhile.
  const run = await readConfiguration(options, restart);
  const series = startSeries(run);
  try {
    const inputs = await readInputs(run, series);
    if (inputs.upToDate !== undefined) {
      await series.stop();
      return upToDateUpdate(run, inputs.upToDate);
    }
    // 2. Plan: files_to_sync, the patches, the spec.
    const files = await planFiles(run, inputs);
    const patches =
      series.pending === undefined ? undefined : await planPatches(run, inputs, files, series.pending);
    // 3. Render the result as data.
    return await renderUpdate(run, inputs, files, patches);
  } catch (error) {
    await series.stop();
    throw error;
  } finally {
    series.dispose();
  }
}

/** Step 1a: the configuration (the working tree's copy, checked against the commit's later). */
async function readConfiguration(options: PlanDistGitUpdateOptions, restart: Restart): Promise<PlanRun> {
  const sourceGitDir = resolve(options.sourceGitDir);
  const git = options.git ?? createGitRunner();
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: 'config' });
  // The configuration is the commit's. The working tree's copy (read without following links)
  // spares git processes before format-patch; it is checked against the commit while format-patch
  // runs, and the conversion starts again with the commit's when they differ.
  const configOptions = { sourceGitDir, configPath: options.configPath ?? DEFAULT_CONFIG_PATH };
  let committed = restart.committed;
  let loaded = committed?.loaded ?? (await readWorkingTreeConfig(configOptions).catch(() => undefined));
  if (loaded === undefined) {
    committed = await readConfigAtHead(git, configOptions);
    loaded = committed.loaded;
  }
  const config = loaded.config;
  return {
    options,
    sourceGitDir,
    distGitDir: resolve(options.distGitDir),
    git,
    limits: resolveConversionLimits(options.limits),
    progress,
    configOptions,
    loaded,
    config,
    specSourcePath: resolveSyncPath(config.specfilePath, sourceGitDir, 'specfile_path'),
    specFile: `${config.downstreamPackageName}.spec`,
    upstreamRef: options.upstreamRef ?? config.upstreamRef,
    committed,
    incremental: restart.incremental,
  };
}

/** The configuration of source-git `HEAD` (git processes: only when the working tree's is unusable). */
async function readConfigAtHead(
  git: GitRunner,
  configOptions: { readonly sourceGitDir: string; readonly configPath: string },
): Promise<CommittedConfig> {
  const commit = (
    await git.text(['rev-parse', '--verify', '--end-of-options', 'HEAD^{commit}'], {
      cwd: configOptions.sourceGitDir,
    })
  ).trim();
  const tree = await readCommitTree({
    git,
    dir: configOptions.sourceGitDir,
    commit,
    paths: sourceGitConfigPaths(configOptions),
  });
  return { commit, loaded: await readCommittedConfig(tree, configOptions) };
}

/** The patches being generated: the whole range, or only the commits after a recorded conversion. */
interface SeriesInProgress {
  /** Undefined without `upstream_ref` (no patches). */
  readonly pending: Promise<GeneratedPart> | undefined;
  /** Resolves once format-patch runs (or will not): other git work starts then. */
  readonly started: Promise<void>;
  /** The commit format-patch converts, once it runs. */
  headSha(): string | undefined;
  /** Stops the generation (a check failed, or there is nothing to do). */
  stop(): Promise<void>;
  dispose(): void;
}

/** A generated series; with `resumed`, only the part after the recorded conversion. */
interface GeneratedPart {
  readonly generated: GeneratedSeries;
  readonly resumed?: {
    readonly record: ConversionRecord;
    readonly kept: readonly RecordedPatch[];
    readonly resume: SeriesResume;
  };
}

/**
 * Step 1b: starts the patches at once. With a record of the conversion that made dist-git
 * `HEAD` (same settings, same build), only the commits after it are formatted; a refusal
 * (docs/converter-behaviour.md §2.11) falls back to the whole range.
 */
function startSeries(run: PlanRun): SeriesInProgress {
  const abandon = new AbortController();
  const onAbort = (): void => abandon.abort();
  run.options.signal?.addEventListener('abort', onAbort, { once: true });
  let markStarted = (): void => undefined;
  const started = new Promise<void>((done) => (markStarted = done));
  let headSha: string | undefined;
  const upstreamRef = run.upstreamRef;
  if (upstreamRef === undefined) markStarted();
  const generate = (resume?: SeriesResume): Promise<GeneratedSeries> =>
    generatePatchSeriesWithFacts(
      {
        sourceGitDir: run.sourceGitDir,
        upstreamRef: upstreamRef as string,
        excludePaths: excludedPaths(run),
        patchComments: run.config.patchComments,
        git: run.git,
        ...(packagePathOf(run.config) === undefined ? {} : { packagePath: packagePathOf(run.config) }),
        signal: abandon.signal,
        onProgress: ({ done, total }) => run.progress({ phase: 'patches', done, total }),
        onStarted: (info) => {
          headSha = info.headSha;
          markStarted();
        },
        // Ids are computed later, for the patches that differ from their committed file only.
        patchIds: false,
        limits: run.limits,
      },
      resume,
    );
  const pending =
    upstreamRef === undefined
      ? undefined
      : (async (): Promise<GeneratedPart> => {
          const resumable = run.incremental ? await findResumePoint(run) : undefined;
          if (resumable !== undefined) {
            try {
              return { generated: await generate(resumable.resume), resumed: resumable };
            } catch (error) {
              if (!(error instanceof ResumeRefused)) throw error;
            }
          }
          return { generated: await generate() };
        })();
  pending?.catch(() => undefined);
  pending?.then(markStarted, markStarted);
  return {
    pending,
    started,
    headSha: () => headSha,
    async stop() {
      abandon.abort();
      await pending?.catch(() => undefined);
    },
    dispose() {
      run.options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The recorded conversion dist-git `HEAD` came from, and where to resume after it (no git process). */
async function findResumePoint(
  run: PlanRun,
): Promise<{ record: ConversionRecord; kept: readonly RecordedPatch[]; resume: SeriesResume } | undefined> {
  const distHead = await readHeadCommit(run.distGitDir);
  if (distHead === undefined) return undefined;
  const record = await readConversionRecord(run.sourceGitDir, distHead, settingsKey(run));
  if (record === undefined) return undefined;
  const point = resumePointOf(record);
  return point === undefined ? undefined : { record, ...point };
}

/** What the patch series depends on besides the commits: a record made with other settings is not used. */
function settingsKey(run: PlanRun): string {
  return JSON.stringify({
    upstreamRef: run.upstreamRef ?? null,
    excludePaths: excludedPaths(run),
    packagePath: packagePathOf(run.config) ?? null,
    patchComments: run.config.patchComments,
  });
}

/** `patch_generation_ignore_paths` and the `files_to_sync` sources: left out of the patches. */
function excludedPaths(run: PlanRun): string[] {
  return [
    ...run.config.patchGenerationIgnorePaths,
    ...run.config.filesToSync.flatMap((item, index) =>
      item.src
        .map((src) => resolveSyncPath(src, run.sourceGitDir, `files_to_sync[${index}].src`))
        .filter((src) => src !== ''),
    ),
  ];
}

function packagePathOf(config: SourceGitConfig): string | undefined {
  return config.paths[0] === undefined || config.paths[0] === './' ? undefined : config.paths[0];
}

/** What was read besides the patches. */
interface PlanInputs {
  /** The pre-check found nothing to sync, with this text. */
  readonly upToDate?: string;
  readonly sourceTree: CommitTree;
  readonly head: DistGitHead;
  readonly identities: Promise<readonly [GitIdentity, GitIdentity]> | undefined;
  readonly uncommitted: Promise<string[]> | undefined;
  readonly previousSpec: () => Promise<string | undefined>;
  readonly committedPatches: ReadonlyMap<string, Promise<Uint8Array>>;
}

/**
 * Step 1c: once format-patch runs, the commit's files, the uncommitted check, the identities, the
 * sync-status pre-check and dist-git `HEAD` (with the pristine check), side by side; their
 * failures are reported in the order of docs/converter-behaviour.md §2.2.
 */
async function readInputs(run: PlanRun, series: SeriesInProgress): Promise<PlanInputs> {
  const { options, git, sourceGitDir, distGitDir, config } = run;
  await series.started;
  const sourceTreeRead = readSourceTree(run, series.headSha());
  sourceTreeRead.catch(() => undefined);
  const uncommitted =
    options.onUncommittedChanges === undefined
      ? undefined
      : listUncommitted(git, sourceGitDir, [
          ...sourceGitConfigPaths(run.configOptions),
          run.specSourcePath,
          ...syncSourcePaths(config.filesToSync),
        ]);
  uncommitted?.catch(() => undefined);
  const checkPristine = options.checkPristine !== false;
  // Who commits is asked now, while format-patch runs; it only matters if there is a commit.
  const identities =
    options.message === undefined || options.dryRun === true
      ? undefined
      : Promise.all([
          resolveGitIdentity(git, distGitDir, 'author'),
          resolveGitIdentity(git, distGitDir, 'committer'),
        ] as const);
  identities?.catch(() => undefined);
  const [status, headRead] = await Promise.allSettled([
    options.checkSyncStatus?.({ sourceGitDir, distGitDir, config, git, limits: run.limits }),
    readDistGitHead(distGitDir, git, { listUntracked: checkPristine }),
  ]);
  if (status.status === 'rejected') throw status.reason;
  if (status.value?.action === 'up-to-date') {
    // The decision stands only if it was made with the commit's configuration.
    const sourceTree = await sourceTreeRead;
    return {
      upToDate: status.value.message,
      sourceTree,
      head: undefined as unknown as DistGitHead,
      identities,
      uncommitted,
      previousSpec: () => Promise.resolve(undefined),
      committedPatches: new Map(),
    };
  }
  if (headRead.status === 'rejected') throw headRead.reason;
  const head = headRead.value;
  if (checkPristine) assertDistGitPristine(distGitDir, head);
  let previousSpecRead: Promise<string | undefined> | undefined;
  const previousSpec = (): Promise<string | undefined> =>
    (previousSpecRead ??= head.tree.has(run.specFile)
      ? head.read(run.specFile).then((bytes) => decodeSpec(bytes, `dist-git ${run.specFile}`, run.limits))
      : Promise.resolve(undefined));
  // While format-patch runs, one `git cat-file` reads the committed spec and patch files: every
  // numbered patch differs after a new commit (its "[PATCH n/m]"), every patch after an init.
  const committedPatches = new Map(
    series.pending === undefined
      ? []
      : [...head.tree.keys()]
          .filter((path) => !path.includes('/') && /\.(patch|diff)$/i.test(path))
          .map((path) => [path, head.read(path)] as const),
  );
  for (const read of committedPatches.values()) read.catch(() => undefined);
  if (committedPatches.size > 0) previousSpec().catch(() => undefined);
  return { sourceTree: await sourceTreeRead, head, identities, uncommitted, previousSpec, committedPatches };
}

/**
 * Lists what the conversion reads from source-git in the commit being converted (the
 * configuration, the spec, the `files_to_sync` sources) and checks that the configuration used is
 * the commit's.
 */
async function readSourceTree(run: PlanRun, seriesHead: string | undefined): Promise<CommitTree> {
  const { git, sourceGitDir, configOptions } = run;
  const commit =
    run.committed?.commit ??
    seriesHead ??
    (await git.text(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: sourceGitDir })).trim();
  const tree = await readCommitTree({
    git,
    dir: sourceGitDir,
    commit,
    paths: [
      ...sourceGitConfigPaths(configOptions),
      run.specSourcePath,
      ...syncSourcePaths(run.config.filesToSync),
    ],
    maxBlobBytes: run.limits.maxBlobBytes,
  });
  if (run.committed === undefined && !isCommittedConfig(tree, configOptions, run.loaded)) {
    throw new RestartPlan({
      committed: { commit, loaded: await readCommittedConfig(tree, configOptions) },
      incremental: run.incremental,
    });
  }
  assertSpecIsFile(tree, run.specSourcePath);
  return tree;
}

function upToDateUpdate(run: PlanRun, message: string): DistGitUpdate {
  return {
    status: 'up-to-date',
    plan: emptyPlan('up-to-date', run.sourceGitDir, run.distGitDir, run.specFile, run.upstreamRef),
    sourceGitDir: run.sourceGitDir,
    distGitDir: run.distGitDir,
    distGitHead: undefined,
    changes: [],
    write: { kind: 'none' },
    upToDateMessage: message,
    conversion: 'full',
  };
}

/** The planned dist-git tree after files_to_sync (and the `sync_changelog: false` spec merge). */
type PlannedTree = Map<string, CommittedFile | TreeFile>;

/** Step 2a: `files_to_sync`, and the `sync_changelog: false` spec merge. */
async function planFiles(run: PlanRun, inputs: PlanInputs): Promise<PlannedTree> {
  const { config, sourceGitDir, specSourcePath, specFile } = run;
  run.progress({ phase: 'files' });
  const items = config.syncChangelog ? config.filesToSync : withoutSpec(config.filesToSync, specSourcePath);
  const configRelative = relative(sourceGitDir, config.path).split('\\').join('/');
  const tree = await syncFiles<CommittedFile>({
    source: inputs.sourceTree,
    items,
    tree: inputs.head.tree,
    neverCopy: [configRelative],
  });
  if (!config.syncChangelog) {
    const distroSpec = await readSourceGitSpec(inputs.sourceTree, sourceGitDir, specSourcePath, run.limits);
    const previous = inputs.head.tree.get(specFile);
    const merged = await mergeSpecKeepingChangelog({
      distroSpec,
      distGitSpec: await inputs.previousSpec(),
      packager: async () => {
        const who =
          (await inputs.identities)?.[1] ?? (await resolveGitIdentity(run.git, run.distGitDir, 'committer'));
        return `${who.name} <${who.email}>`;
      },
      now: (run.options.now ?? (() => new Date()))(),
    });
    tree.set(specFile, { mode: previous?.mode ?? '100644', content: Buffer.from(merged, 'utf8') });
  }
  return tree;
}

/** The patches as planned: the series, each file's status, the spec's Patch entries. */
interface PlannedPatches {
  readonly series: PatchSeries;
  readonly status: ReadonlyMap<string, UpdateDistGitPlanPatch['status']>;
  readonly specChanges: readonly SpecPatchChange[];
  readonly specWarnings: readonly string[];
  readonly conversion: 'full' | 'incremental';
  /** The conversion, for the dist-git commit that will hold it. */
  readonly record: ConversionRecordDraft | undefined;
  /** The conversion's leading unchanged patches, for dist-git `HEAD` as it is. */
  readonly headRecord: ConversionRecordDraft | undefined;
}

/** How many items from the start satisfy `test`. */
function leadingCount<T>(items: readonly T[], test: (item: T) => boolean): number {
  const index = items.findIndex((item) => !test(item));
  return index === -1 ? items.length : index;
}

/**
 * Step 2b: the patch files. A patch whose bytes equal the committed file is unchanged; one with
 * other bytes keeps the committed bytes when its changes are the same (§2.7.7); then the spec's
 * Patch entries (edited in place, the dist-git spec as template).
 */
async function planPatches(
  run: PlanRun,
  inputs: PlanInputs,
  tree: PlannedTree,
  pending: Promise<GeneratedPart>,
): Promise<PlannedPatches> {
  const { head } = inputs;
  run.progress({ phase: 'patches' });
  const { series, facts, conversion } = await wholeSeries(run, inputs, await pending);
  assertSameCommit(run.sourceGitDir, inputs.sourceTree.commit, series.headSha);
  assertPatchNamesFit(series.patches, {
    specFile: run.specFile,
    syncedPaths: [...tree].flatMap(([path, file]) => (file === head.tree.get(path) ? [] : [path])),
  });

  run.progress({ phase: 'identical-check' });
  const differing = series.patches.filter((patch) => {
    const old = head.tree.get(patch.fileName);
    return old !== undefined && old.oid !== blobOid(patch.content);
  });
  const committed = await Promise.all(
    differing.map((patch) => inputs.committedPatches.get(patch.fileName) ?? head.read(patch.fileName)),
  );
  const identical = await findIdenticalPatches({
    differing: differing.map((patch, index) => ({ patch, committed: committed[index] as Uint8Array })),
    repoDir: run.sourceGitDir,
    pathspec: series.pathspec,
    git: run.git,
    ...(run.options.signal === undefined ? {} : { signal: run.options.signal }),
  });
  const keepOld = new Map(
    differing.flatMap((patch, index) =>
      identical.has(patch.fileName) ? [[patch.fileName, committed[index] as Uint8Array] as const] : [],
    ),
  );
  const status = new Map<string, UpdateDistGitPlanPatch['status']>();
  for (const patch of series.patches) {
    const old = head.tree.get(patch.fileName);
    const kept = keepOld.get(patch.fileName);
    if (old === undefined) {
      tree.set(patch.fileName, { mode: '100644', content: patch.content });
      status.set(patch.fileName, 'new');
    } else if (kept !== undefined || old.oid === blobOid(patch.content)) {
      tree.set(
        patch.fileName,
        old.mode === '100644' ? old : { mode: '100644', content: kept ?? patch.content },
      );
      status.set(patch.fileName, 'unchanged');
    } else {
      tree.set(patch.fileName, { mode: '100644', content: patch.content });
      status.set(patch.fileName, 'changed');
    }
  }

  run.progress({ phase: 'spec' });
  const distroSpecEntry = tree.get(run.specFile);
  if (distroSpecEntry === undefined) {
    throw new ConverterError(
      'SPEC_INVALID',
      `the dist-git spec ${run.specFile} does not exist after syncing files_to_sync (expected ${run.config.specfilePath} to be copied to it)`,
      { data: { specFile: run.specFile } },
    );
  }
  const distroSpecBytes =
    'content' in distroSpecEntry ? distroSpecEntry.content : await head.read(run.specFile);
  const rendered = renderDistGitSpec({
    specPath: run.config.specfilePath,
    distroSpec: decodeSpec(distroSpecBytes, run.specFile, run.limits),
    previousDistGitSpec: await inputs.previousSpec(),
    previousSpecPath: `dist-git ${run.specFile}`,
    patches: series.patches.map((patch) => ({
      fileName: patch.fileName,
      id: patch.id,
      comment: patch.comment,
      commentIsExplicit: patch.commentIsExplicit,
      presentInSpec: patch.presentInSpec,
    })),
    digits: run.config.patchGenerationPatchIdDigits,
  });
  tree.set(run.specFile, { mode: distroSpecEntry.mode, content: Buffer.from(rendered.text, 'utf8') });
  return {
    series,
    status,
    specChanges: rendered.changes,
    specWarnings: rendered.warnings,
    conversion,
    record: draftConversionRecord(settingsKey(run), series, facts),
    // What dist-git HEAD itself holds: its leading patches the conversion kept byte for byte.
    headRecord: draftConversionRecord(
      settingsKey(run),
      series,
      facts,
      leadingCount(series.patches, (patch) => status.get(patch.fileName) === 'unchanged'),
    ),
  };
}

/**
 * The whole series: as generated, or the recorded patches before the resume point (dist-git
 * `HEAD`'s blobs, which the record proves are the full conversion's bytes) and the new ones. A
 * dist-git `HEAD` that is not the recorded commit after all (it moved), or a recorded patch file
 * missing from it, starts the plan again without the incremental path.
 */
async function wholeSeries(
  run: PlanRun,
  inputs: PlanInputs,
  part: GeneratedPart,
): Promise<{ series: PatchSeries; facts: GeneratedSeries['facts']; conversion: 'full' | 'incremental' }> {
  if (part.resumed === undefined) return { ...part.generated, conversion: 'full' };
  const { record, kept, resume } = part.resumed;
  const { head } = inputs;
  // The committed patch files are being read already (one `git cat-file` for all).
  const read = (fileName: string): Promise<Uint8Array> =>
    inputs.committedPatches.get(fileName) ?? head.read(fileName);
  const restart = new RestartPlan({ committed: run.committed, incremental: false });
  if (head.sha !== record.distCommit || kept.some((patch) => !head.tree.has(patch.fileName))) throw restart;
  const bytes = new Map(
    await Promise.all(kept.map(async (patch) => [patch.fileName, await read(patch.fileName)] as const)),
  );
  const joined = joinResumedSeries(
    record,
    kept,
    resume,
    part.generated,
    (fileName) => bytes.get(fileName) as Uint8Array,
  );
  // The last recorded group is formatted again (a new commit may join it); when none did, it is the
  // recorded patch, whose bytes in dist-git HEAD are the full conversion's (no identical check needed).
  const last = record.patches.at(-1);
  const again = joined.series.patches[kept.length];
  if (
    last !== undefined &&
    again !== undefined &&
    again.fileName === last.fileName &&
    again.commits.length === last.commits.length &&
    again.commits.every((commit, index) => commit.sha === last.commits[index]?.sha) &&
    head.tree.has(last.fileName)
  ) {
    const content = await read(last.fileName);
    const patches = joined.series.patches.map((patch, index) =>
      index === kept.length ? { ...patch, content } : patch,
    );
    return { series: { ...joined.series, patches }, facts: joined.facts, conversion: 'incremental' };
  }
  return { ...joined, conversion: 'incremental' };
}

/** Step 3: the difference, the plan and how to write it. */
async function renderUpdate(
  run: PlanRun,
  inputs: PlanInputs,
  tree: PlannedTree,
  patches: PlannedPatches | undefined,
): Promise<DistGitUpdate> {
  const { options, specFile } = run;
  const { head } = inputs;
  const sourceHead = patches?.series.headSha ?? inputs.sourceTree.commit;
  const previousSpec = await inputs.previousSpec();
  const uncommitted = await inputs.uncommitted?.catch(() => []);
  if (uncommitted !== undefined && uncommitted.length > 0) options.onUncommittedChanges?.(uncommitted);
  const changes = diffTrees(head.tree, tree);
  const specAfter = tree.get(specFile);
  const willCommit = options.message !== undefined && options.dryRun !== true && changes.length > 0;
  const willWrite = options.message === undefined && options.dryRun !== true && changes.length > 0;
  const [commitMessage, identities, handCommitMessage] = await Promise.all([
    options.message === undefined
      ? null
      : buildCommitMessage(run.git, run.distGitDir, options.message, sourceHead),
    willCommit ? inputs.identities : undefined,
    willWrite ? buildCommitMessage(run.git, run.distGitDir, HAND_COMMIT_TITLE, sourceHead) : undefined,
  ]);
  const series = patches?.series;
  const patchStatus = patches?.status ?? new Map<string, UpdateDistGitPlanPatch['status']>();
  const specChanges = patches?.specChanges ?? [];
  const plan: UpdateDistGitPlan = {
    schemaVersion: 1,
    status: changes.length === 0 ? 'nothing-to-do' : 'changes',
    sourceGit: {
      dir: run.sourceGitDir,
      head: sourceHead,
      upstreamRef: series?.upstreamRef ?? null,
      upstreamSha: series?.upstreamSha ?? null,
    },
    distGit: { dir: run.distGitDir, head: head.sha ?? null, specFile },
    commits: series === undefined ? [] : planCommits(series, patchStatus, specChanges),
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
    warnings: patches?.specWarnings ?? [],
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
  const write: DistGitWrite =
    commitMessage !== null && identities !== undefined
      ? { kind: 'commit', message: commitMessage, author: identities[0], committer: identities[1] }
      : willWrite
        ? { kind: 'files', handCommitMessage }
        : { kind: 'none' };
  return {
    status: changes.length === 0 ? 'nothing-to-do' : 'changes',
    plan,
    sourceGitDir: run.sourceGitDir,
    distGitDir: run.distGitDir,
    distGitHead: head.sha,
    changes,
    write,
    conversion: patches?.conversion ?? 'full',
    ...(patches?.record === undefined ? {} : { record: patches.record }),
    ...(patches?.headRecord === undefined ? {} : { headRecord: patches.headRecord }),
  };
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

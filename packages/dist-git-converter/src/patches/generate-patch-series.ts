import { ConverterError, isConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { linearizeFirstParent } from '../git/linearize-first-parent';
import { readRangeCommits, type RangeCommit } from '../git/read-range-commits';
import { resolveUpstreamRef } from '../git/resolve-upstream-ref';
import {
  conversionLimitError,
  resolveConversionLimits,
  type ConversionLimits,
} from '../limits/conversion-limits';
import { computePatchIds } from './compute-patch-ids';
import { findRevertPairs, revertedShas } from './find-revert-pairs';
import { fixupRole, foldFixupCommits } from './fold-fixup-commits';
import { formatPatchFileName } from './patch-file-name';
import {
  commitName,
  hasMetadataTrailers,
  readTrailerMetadata,
  readYamlMetadata,
  type PatchMetadata,
} from './patch-metadata';
import type { PatchCommit, PatchSeries, PlannedPatch, SkippedCommit } from './patch-series';
import { FormatPatchFeed, type FedMessage } from './format-patch-feed';
import type { ResolvedUpstreamRef } from '../git/resolve-upstream-ref';
import { readGitVersion } from '../git/read-git-version';
import { ResumeRefused, type SeriesFacts, type SeriesResume } from './series-resume';
import { unsafePatchNameReason } from './unsafe-patch-name-reason';
import { startPatchIdSession } from './patch-id-session';
import { squashByName, squashLegacy } from './squash-patches';
import { stripDiffPrefixes } from './strip-diff-prefixes';

/** Progress of a long patch generation: `done` of `total` commits formatted. */
export interface PatchSeriesProgress {
  readonly done: number;
  readonly total: number;
}

export interface GeneratePatchSeriesOptions {
  /** The source-git working tree (its `HEAD` is the end of the range). */
  readonly sourceGitDir: string;
  /** `upstream_ref`: tag, branch, sha, or a glob matched against tags (fixed Q2). */
  readonly upstreamRef: string;
  /**
   * Paths (git pathspecs relative to the repository root) left out of the patches:
   * `patch_generation_ignore_paths` followed by the `files_to_sync` sources (docs/converter-behaviour.md
   * §2.3).
   */
  readonly excludePaths: readonly string[];
  /** `patch_comments`: the comment of a patch without `Patch-status`. */
  readonly patchComments: 'subject' | 'none';
  readonly git: GitRunner;
  /**
   * Monorepos: the package's directory relative to the repository root (the first of its
   * `paths`); patches only contain changes under it. Default `.` (the whole repository).
   */
  readonly packagePath?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PatchSeriesProgress) => void;
  /**
   * Compute `git patch-id` of every planned patch (default true). False: `patchIds` stays empty
   * and no `git patch-id` runs — for a caller that computes ids only for the patches it compares
   * (`computePatchIds` of `content` gives the same ids).
   */
  readonly patchIds?: boolean;
  /**
   * Called once the long-running git processes (`format-patch`, `patch-id`) run, or when it is
   * clear they will not (nothing to format). A caller with other git work can start it then, so
   * that the critical path is not delayed: every git process costs the converter a fork. Gets
   * the commit the range ends at (what `HEAD` was resolved to), so the caller need not ask again.
   */
  readonly onStarted?: (started: { readonly headSha: string }) => void;
  /**
   * Size limits (default `DEFAULT_CONVERSION_LIMITS`): commits in the range, bytes of one
   * patch and of all; checked while `format-patch` streams, so nothing over a limit is kept.
   */
  readonly limits?: Partial<ConversionLimits>;
}

/** One commit on its way to a patch: its metadata, its final bytes, its name. */
interface Entry {
  readonly sha: string;
  readonly commit: RangeCommit;
  readonly metadata: PatchMetadata;
  readonly name: string;
  /** Its format-patch message number; undefined for an empty present-in-spec commit. */
  readonly number: number | undefined;
  readonly content: Buffer;
  /** Its ids, or undefined when they must be computed again (No-prefix decided late). */
  readonly patchIds: readonly string[] | undefined;
}

const EMPTY = Buffer.alloc(0);

/**
 * Turns the downstream commits `upstream_ref..HEAD` of a source-git repository into the patch
 * files of dist-git (docs/converter-behaviour.md §2.3–2.4, §2.7; fixed profile): ONE `git format-patch
 * --stdout` for the whole range, with git's default configuration (byte-identical to what
 * `git format-patch` writes), split into messages as it streams; ONE `git patch-id` process fed
 * at the same time; one `git log` for the commits' messages. Metadata trailers (or legacy YAML)
 * are read in memory; `Ignore-patch` commits are dropped, `No-prefix` ones stripped, adjacent
 * equal names squashed byte for byte.
 *
 * Nothing is written: the result is data for the caller to apply (all-or-nothing). The history
 * is never changed: a linearised history (E7) only adds unreferenced objects.
 *
 * @throws ConverterError `UPSTREAM_REF_UNKNOWN` (ref not found, or not an ancestor of HEAD),
 *   `PATCH_NAME_INVALID` (a `Patch-name` with `/` or `..`, or an empty present-in-spec commit
 *   without one), `PATCH_NAME_CONFLICT` (the same name on non-adjacent patches),
 *   `PATCH_METADATA_INVALID` (a metadata value of the wrong type), `LIMIT_EXCEEDED` (too many
 *   commits, a patch or the series too large: see `limits`), `GIT_FAILED`.
 * @example
 * ```ts
 * const series = await generatePatchSeries({
 *   sourceGitDir: '/src/beer',
 *   upstreamRef: config.upstreamRef,
 *   excludePaths: ['.distro'],
 *   patchComments: config.patchComments,
 *   git: createGitRunner(),
 * });
 * for (const patch of series.patches) await writeFile(join(distGit, patch.fileName), patch.content);
 * ```
 */
export async function generatePatchSeries(options: GeneratePatchSeriesOptions): Promise<PatchSeries> {
  return (await generatePatchSeriesWithFacts(options)).series;
}

/** A generated series, and the facts of its run an incremental conversion resumes from. */
export interface GeneratedSeries {
  readonly series: PatchSeries;
  readonly facts: SeriesFacts;
}

/**
 * {@link generatePatchSeries}, also returning the facts an incremental run needs; with `resume`,
 * only the commits after `resume.fromSha` are formatted (numbered as in the whole range) and the
 * series holds only their patches. A resumed run that cannot prove its result equals the whole
 * range's rejects with {@link ResumeRefused}.
 */
export async function generatePatchSeriesWithFacts(
  options: GeneratePatchSeriesOptions,
  resume?: SeriesResume,
): Promise<GeneratedSeries> {
  // Every git process of this run stops when the caller aborts or when the run fails.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await generate(options, controller.signal, resume);
  } catch (error) {
    controller.abort();
    if (
      resume !== undefined &&
      isConverterError(error) &&
      (error.code === 'LIMIT_EXCEEDED' || error.code === 'PATCH_NAME_CONFLICT')
    ) {
      // Limits of the whole range, and repeated names (folding), are the full conversion's to judge.
      throw new ResumeRefused(error.code);
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Everything the steps of one run share. */
interface SeriesRun {
  readonly options: GeneratePatchSeriesOptions;
  readonly signal: AbortSignal;
  readonly limits: ConversionLimits;
  readonly upstream: ResolvedUpstreamRef;
  readonly pathspec: readonly string[];
  readonly neutralFormat: readonly string[];
  /** Where this run's range starts: upstream, or the resumed commit. */
  readonly base: string;
  readonly resume: SeriesResume | undefined;
}

async function generate(
  options: GeneratePatchSeriesOptions,
  signal: AbortSignal,
  resume: SeriesResume | undefined,
): Promise<GeneratedSeries> {
  // 1. Read inputs: the range and git's defaults.
  const run = await resolveRun(options, signal, resume);
  if (run.base === run.upstream.headSha) {
    options.onStarted?.({ headSha: run.upstream.headSha });
    return {
      series: seriesOf(run, [], [], resume?.dialect ?? 'yaml', []),
      facts: emptyFacts(resume),
    };
  }
  // 2. format-patch first; the commit list while it streams.
  const session = options.patchIds === false ? undefined : startPatchIdSession(options.git, { signal });
  const speculative = new AbortController();
  let feed = new FormatPatchFeed(feedLimits(run));
  let formatting = runFormatPatch(
    run,
    run.upstream.headSha,
    feed,
    AbortSignal.any([signal, speculative.signal]),
  );
  formatting.catch(() => undefined);
  const listing = readRangeCommits({
    repoDir: options.sourceGitDir,
    range: `${run.base}..${run.upstream.headSha}`,
    git: options.git,
    signal,
  });
  options.onStarted?.({ headSha: run.upstream.headSha });
  const commits = await listing;
  const range = await planCandidates(run, commits, async (tipSha) => {
    // The range is formatted again from the linearised history.
    speculative.abort();
    await formatting.catch(() => undefined);
    feed = new FormatPatchFeed(feedLimits(run));
    formatting = runFormatPatch(run, tipSha, feed, signal);
  });
  // 3. Render: messages as they stream, then entries, reverts and squash groups.
  options.onProgress?.({
    done: Math.min(feed.stream.boundaries.length, range.candidates.length),
    total: range.candidates.length,
  });
  const streamed = await streamMessages(run, range, feed, () => formatting, session);
  const entries = buildEntries(run, range, streamed);
  const ids = await lateIdsOf(run, entries, session !== undefined);
  const { kept, cancelledNumbered } = await cancelReverts(run, entries, range.skipped);
  const legacySquash = streamed.dialect === 'yaml' && kept.some((entry) => entry.metadata.squashCommits);
  // Legacy squash_commits groups reach back over every earlier commit.
  if (resume !== undefined && legacySquash) throw new ResumeRefused('a commit has the legacy squash_commits');
  const groups = legacySquash ? squashLegacy(kept) : squashByName(kept);
  const patches = groups.map((group) => plannedPatch(run, range, group, ids));
  options.onProgress?.({ done: range.candidates.length, total: range.candidates.length });
  return {
    series: seriesOf(
      run,
      patches,
      range.skipped,
      streamed.dialect,
      commits.map((commit) => commit.sha),
    ),
    facts: {
      messageCount: (resume?.startNumber ?? 1) - 1 + feed.messages.length,
      streamBytes: (resume?.earlierBytes ?? 0) + feed.stream.length,
      commitCount: (resume?.earlierCommitCount ?? 0) + commits.length,
      cancelledNumbered: (resume?.numberGap ?? 0) + cancelledNumbered,
      hasMerges: range.hasMerges,
      legacySquash,
      firstTrailerCommit: resume?.firstTrailerCommit ?? streamed.firstTrailerCommit,
      firstNumbers: groups.map((group) => group.members[0]?.number),
    },
  };
}

/** Step 1: the upstream commit, git's default signature and the pathspec. */
async function resolveRun(
  options: GeneratePatchSeriesOptions,
  signal: AbortSignal,
  resume: SeriesResume | undefined,
): Promise<SeriesRun> {
  const { sourceGitDir: repoDir, git } = options;
  const [upstream, version] = await Promise.all([
    resolveUpstreamRef({ repoDir, upstreamRef: options.upstreamRef, git, signal }),
    readGitVersion(git, repoDir, signal),
  ]);
  if (resume !== undefined && resume.upstreamSha !== upstream.sha) {
    throw new ResumeRefused('upstream_ref points to another commit');
  }
  // git's default signature is its version; the repository's own configuration cannot change
  // what format-patch prints (Q16): these flags restore every default -c cannot.
  const neutralFormat = [
    `--signature=${version}`,
    '--no-add-header',
    '--no-to',
    '--no-cc',
    '--no-notes',
    '--no-attach',
    '--no-from',
  ];
  const pathspec = [
    '--',
    options.packagePath ?? '.',
    ...options.excludePaths.map((path) => `:(exclude)${path}`),
  ];
  return {
    options,
    signal,
    limits: resolveConversionLimits(options.limits),
    upstream,
    pathspec,
    neutralFormat,
    base: resume?.fromSha ?? upstream.sha,
    resume,
  };
}

/**
 * The feed's limits: a resumed run has the earlier messages' bytes and count behind it (it is
 * refused when it reaches a limit, so the full conversion judges).
 */
function feedLimits(run: SeriesRun): ConversionLimits {
  const resume = run.resume;
  if (resume === undefined) return run.limits;
  return {
    ...run.limits,
    maxCommits: Math.max(0, run.limits.maxCommits - (resume.startNumber - 1)),
    // A message's "[PATCH n/m]" may grow by a digit when the total does.
    maxPatchSeriesBytes: Math.max(
      0,
      run.limits.maxPatchSeriesBytes - resume.earlierBytes - 2 * resume.startNumber,
    ),
  };
}

/** `git format-patch --stdout` of the run's range (numbered as in the whole range when resumed), fed to `feed`. */
function runFormatPatch(run: SeriesRun, tip: string, feed: FormatPatchFeed, signal: AbortSignal) {
  const { options } = run;
  const startNumber = run.resume?.startNumber ?? 1;
  // With --start-number, git numbers "[PATCH n/m]" with m = start - 1 + the messages it prints.
  const numbering = startNumber > 1 ? ['--numbered', `--start-number=${startNumber}`] : [];
  return options.git.run(
    [
      'format-patch',
      '--stdout',
      '--binary',
      ...numbering,
      ...run.neutralFormat,
      `${run.base}..${tip}`,
      ...run.pathspec,
    ],
    {
      cwd: options.sourceGitDir,
      isolated: true,
      signal,
      onStdout: (chunk) => {
        feed.push(chunk);
        const total = feed.total;
        if (options.onProgress !== undefined && total > 0) {
          options.onProgress({ done: Math.min(feed.stream.boundaries.length, total), total });
        }
      },
    },
  );
}

/** The commits of the range that may make patches, and those that cannot (merges). */
interface RangePlan {
  readonly commits: readonly RangeCommit[];
  readonly bySha: ReadonlyMap<string, RangeCommit>;
  readonly candidates: readonly RangeCommit[];
  /** Grows while the run goes on: every commit without a patch, and why. */
  readonly skipped: SkippedCommit[];
  readonly originalOf: (sha: string) => string | undefined;
  readonly hasMerges: boolean;
  /** After a fold: each candidate's position in the unfolded chain, which git's numbered names follow. */
  readonly positionOf?: ReadonlyMap<string, number>;
}

/**
 * Step 2: checks the range (limits, `upstream_ref` an ancestor) and picks the candidates; history
 * whose merges bring in commits from before `upstream_ref` (E7, "merge storm") is linearised along
 * first parents, in the object store only, and `reformat` formats it again.
 */
async function planCandidates(
  run: SeriesRun,
  commits: readonly RangeCommit[],
  reformat: (tipSha: string) => Promise<void>,
): Promise<RangePlan> {
  const { options, upstream, limits, resume } = run;
  const repoDir = options.sourceGitDir;
  if (commits.length + (resume?.earlierCommitCount ?? 0) > limits.maxCommits) {
    if (resume !== undefined) throw new ResumeRefused('the range has too many commits');
    throw conversionLimitError(
      'maxCommits',
      limits.maxCommits,
      `${upstream.ref}..HEAD has ${commits.length} commits`,
      { commits: commits.length },
    );
  }
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  if (!commits.some((commit) => commit.parents.includes(run.base))) {
    if (resume !== undefined) throw new ResumeRefused('the converted commit is not an ancestor of HEAD');
    throw new ConverterError(
      'UPSTREAM_REF_UNKNOWN',
      `upstream_ref "${upstream.ref}" (${upstream.sha.slice(0, 12)}) is not an ancestor of HEAD in ${repoDir}: the downstream commits must be based on it`,
      {
        data: {
          upstreamRef: options.upstreamRef,
          upstreamSha: upstream.sha,
          headSha: upstream.headSha,
          repoDir,
        },
      },
    );
  }
  const skipped: SkippedCommit[] = [];
  const hasMerges = commits.some((commit) => commit.parents.length > 1);
  if (resume !== undefined && hasMerges) throw new ResumeRefused('the new commits hold a merge');
  if (commits.some((commit) => commit.parents.some((parent) => parent !== run.base && !bySha.has(parent)))) {
    const linear = await linearizeFirstParent({
      repoDir,
      git: options.git,
      tipSha: upstream.headSha,
      rangeShas: new Set(bySha.keys()),
      signal: run.signal,
    });
    await reformat(linear.tipSha);
    const chain = new Set(linear.chain);
    for (const commit of commits) if (!chain.has(commit.sha)) skipped.push(skip(commit, 'merge'));
    return {
      commits,
      bySha,
      candidates: linear.chain.map((sha) => bySha.get(sha) as RangeCommit),
      skipped,
      originalOf: (sha) => linear.originalOf.get(sha),
      hasMerges,
    };
  }
  for (const commit of commits) if (commit.parents.length > 1) skipped.push(skip(commit, 'merge'));
  const linear = commits.filter((commit) => commit.parents.length <= 1);
  // A fix-up at the end with the name of an earlier, non-adjacent patch is folded into it.
  // (A resumed run does not fold: a repeated name makes it refuse, and the full conversion folds.)
  const folded = hasMerges || resume !== undefined ? undefined : await foldFixups(run, linear);
  if (folded !== undefined) {
    await reformat(folded.tipSha);
    const chain = new Map(folded.commits.map((commit) => [commit.sha, commit]));
    return {
      commits,
      bySha: new Map([...bySha, ...chain]),
      candidates: folded.commits,
      skipped,
      originalOf: (sha) => (chain.has(sha) ? sha : undefined),
      hasMerges,
      positionOf: folded.positionOf,
    };
  }
  return {
    commits,
    bySha,
    candidates: linear,
    skipped,
    originalOf: (sha) => (bySha.has(sha) ? sha : undefined),
    hasMerges,
  };
}

/** The hook of fix-up folding (docs/converter-behaviour.md §2.7.5): the folded chain, if any commit moved. */
function foldFixups(run: SeriesRun, linear: readonly RangeCommit[]) {
  const dialect = linear.some((commit) => hasMetadataTrailers(commit.message)) ? 'trailers' : 'yaml';
  return foldFixupCommits({
    repoDir: run.options.sourceGitDir,
    git: run.options.git,
    commits: linear,
    baseTree: run.upstream.treeSha,
    roleOf: (commit) => {
      try {
        return fixupRole({ metadata: readMetadataOf(dialect, commit) });
      } catch (error) {
        return fixupRole({ error });
      }
    },
    pathspec: run.pathspec,
    maxDiffBytes: run.limits.maxPatchBytes,
    signal: run.signal,
  });
}

/** The streamed messages mapped back to their commits, the metadata dialect and the ids. */
interface StreamedMessages {
  readonly emitted: ReadonlyMap<string, { readonly number: number; readonly message: FedMessage }>;
  readonly dialect: 'trailers' | 'yaml';
  readonly firstTrailerCommit: string | undefined;
  readonly metadataOf: (commit: RangeCommit) => PatchMetadata;
  readonly ids: readonly string[][];
  readonly withIds: boolean;
}

/**
 * Step 3: feeds the messages to patch-id as soon as the commit list says how (No-prefix), while
 * format-patch still prints; then maps them back to the (original) commits and picks the
 * metadata dialect (§2.7.1: only commits that make a patch count; a resumed run must keep the
 * dialect of the whole range).
 */
async function streamMessages(
  run: SeriesRun,
  range: RangePlan,
  feed: FormatPatchFeed,
  formatting: () => Promise<unknown>,
  session: ReturnType<typeof startPatchIdSession> | undefined,
): Promise<StreamedMessages> {
  const { candidates, bySha, originalOf } = range;
  feed.total = candidates.length;
  const provisionalDialect =
    run.resume?.dialect === 'trailers' || candidates.some((commit) => hasMetadataTrailers(commit.message))
      ? 'trailers'
      : 'yaml';
  const provisional = new Map<string, { metadata: PatchMetadata } | { error: unknown }>();
  const provisionalMetadata = (commit: RangeCommit): { metadata: PatchMetadata } | { error: unknown } => {
    let known = provisional.get(commit.sha);
    if (known === undefined) {
      try {
        known = { metadata: readMetadataOf(provisionalDialect, commit) };
      } catch (error) {
        known = { error };
      }
      provisional.set(commit.sha, known);
    }
    return known;
  };
  const seen = new Set<string>();
  feed.start({
    session,
    accept: (sha) => {
      const original = originalOf(sha);
      if (original === undefined || seen.has(original)) return false;
      seen.add(original);
      return true;
    },
    transform: (sha, raw) => {
      const known = provisionalMetadata(bySha.get(originalOf(sha) as string) as RangeCommit);
      return 'metadata' in known && known.metadata.noPrefix ? stripDiffPrefixes(raw) : raw;
    },
  });
  await formatting();
  feed.finish();
  const ids = session === undefined ? [] : await session.finish();

  const firstNumber = run.resume?.startNumber ?? 1;
  // Numbered as format-patch numbers the chain, or a folded chain as the unfolded one.
  const { positionOf } = range;
  const order = feed.messages.map((message) => originalOf(message.sha) as string);
  const numbered =
    positionOf === undefined
      ? order
      : [...order].sort((a, b) => (positionOf.get(a) ?? 0) - (positionOf.get(b) ?? 0));
  const numberOf = new Map(numbered.map((sha, index) => [sha, index + firstNumber]));
  const emitted = new Map(
    feed.messages.map((message, index) => [
      order[index] as string,
      { number: numberOf.get(order[index] as string) ?? index + firstNumber, message },
    ]),
  );
  const firstTrailerCommit = candidates.find(
    (commit) =>
      (emitted.has(commit.sha) || isEmpty(run, range, commit)) && hasMetadataTrailers(commit.message),
  )?.sha;
  const dialect =
    run.resume?.dialect === 'trailers' || firstTrailerCommit !== undefined ? 'trailers' : 'yaml';
  // The first trailer after legacy YAML metadata changes how every earlier commit is read.
  if (run.resume !== undefined && dialect !== run.resume.dialect)
    throw new ResumeRefused('the metadata dialect changes');
  const metadataOf = (commit: RangeCommit): PatchMetadata => {
    if (dialect !== provisionalDialect) return readMetadataOf(dialect, commit);
    const known = provisionalMetadata(commit);
    if ('error' in known) throw known.error;
    return known.metadata;
  };
  return { emitted, dialect, firstTrailerCommit, metadataOf, ids, withIds: session !== undefined };
}

/** Whether a commit changes nothing at all (its tree is its parent's). */
function isEmpty(run: SeriesRun, range: RangePlan, commit: RangeCommit): boolean {
  const parent = commit.parents[0];
  if (parent === undefined) return false;
  const parentTree = parent === run.upstream.sha ? run.upstream.treeSha : range.bySha.get(parent)?.treeSha;
  return parentTree === commit.treeSha;
}

/**
 * Step 4: walks the commits oldest first into entries (emitted ones take format-patch's order,
 * identical in practice); `Ignore-patch`, only-ignored-paths and empty commits are skipped, an
 * empty present-in-spec commit gets an empty file (E4/E5 fixed).
 */
function buildEntries(run: SeriesRun, range: RangePlan, streamed: StreamedMessages): Entry[] {
  const { candidates, bySha, skipped } = range;
  const { emitted, metadataOf, ids } = streamed;
  const emittedInOrder = [...emitted.keys()];
  let nextEmitted = 0;
  const entries: Entry[] = [];
  for (const candidate of candidates) {
    if (emitted.has(candidate.sha)) {
      const commit = bySha.get(emittedInOrder[nextEmitted++] as string) as RangeCommit;
      const { number, message } = emitted.get(commit.sha) as { number: number; message: FedMessage };
      const metadata = metadataOf(commit);
      if (metadata.ignore) {
        skipped.push(skip(commit, 'ignore-patch'));
        continue;
      }
      const name = patchName(commit, metadata, formatPatchFileName(number, commit.message));
      const streamedWithoutPrefix = message.content !== message.raw;
      entries.push({
        sha: commit.sha,
        commit,
        metadata,
        name,
        number,
        ...(metadata.noPrefix === streamedWithoutPrefix
          ? { content: message.content, patchIds: message.idIndexes.flatMap((index) => ids[index] ?? []) }
          : {
              content: metadata.noPrefix ? stripDiffPrefixes(message.raw) : message.raw,
              patchIds: streamed.withIds ? undefined : [],
            }),
      });
      continue;
    }
    if (!isEmpty(run, range, candidate)) {
      skipped.push(skip(candidate, 'only-ignored-paths'));
      continue;
    }
    const metadata = metadataOf(candidate);
    if (metadata.ignore) {
      skipped.push(skip(candidate, 'ignore-patch'));
    } else if (metadata.presentInSpec) {
      if (metadata.name === undefined) {
        throw new ConverterError(
          'PATCH_NAME_INVALID',
          `Empty commit ${candidate.sha} is referencing a patch which is present in spec file but the name is not defined in the commit metadata - please define it.`,
          { data: { sha: candidate.sha } },
        );
      }
      entries.push({
        sha: candidate.sha,
        commit: candidate,
        metadata,
        name: patchName(candidate, metadata, ''),
        number: undefined,
        content: EMPTY,
        patchIds: [],
      });
    } else {
      skipped.push(skip(candidate, 'empty'));
    }
  }
  assertResumable(run, entries);
  return entries;
}

/**
 * A resumed run stands only when its new commits cannot change an earlier patch: none takes the
 * name of an earlier patch (it would squash into it, fold into it or conflict with it), and none
 * reverts an earlier commit.
 */
function assertResumable(run: SeriesRun, entries: readonly Entry[]): void {
  const resume = run.resume;
  if (resume === undefined) return;
  for (const entry of entries) {
    if (resume.earlierNames.has(entry.name)) {
      throw new ResumeRefused(`${entry.sha.slice(0, 12)} names the earlier patch ${entry.name}`);
    }
    if (revertedShas(entry.commit.message).some((sha) => resume.earlierShas.has(sha))) {
      throw new ResumeRefused(`${entry.sha.slice(0, 12)} reverts an earlier commit`);
    }
  }
}

/** Ids of the messages whose No-prefix was decided differently while streaming. */
async function lateIdsOf(
  run: SeriesRun,
  entries: readonly Entry[],
  withIds: boolean,
): Promise<(entry: Entry) => readonly string[]> {
  const late = entries.filter((entry) => entry.patchIds === undefined);
  const lateIds =
    !withIds || late.length === 0
      ? []
      : await computePatchIds(
          late.map((entry) => entry.content),
          run.options.git,
          { signal: run.signal },
        );
  return (entry) => entry.patchIds ?? lateIds[late.findIndex((other) => other.sha === entry.sha)] ?? [];
}

/**
 * Step 5: a commit and its exact revert cancel out: neither makes a patch, and git's numbered
 * names of the later patches close the gap.
 */
async function cancelReverts(
  run: SeriesRun,
  entries: readonly Entry[],
  skipped: SkippedCommit[],
): Promise<{ kept: Entry[]; cancelledNumbered: number }> {
  const pairs = await findRevertPairs(
    entries.map((entry) => ({ commit: entry.commit, hasChanges: entry.content.length > 0 })),
    { repoDir: run.options.sourceGitDir, pathspec: run.pathspec, git: run.options.git, signal: run.signal },
  );
  const cancelled = new Set(pairs.flatMap((pair) => [pair.reverted, pair.revert]));
  const earlierGap = run.resume?.numberGap ?? 0;
  const kept: Entry[] = [];
  for (const entry of entries) {
    if (cancelled.has(entry.sha)) {
      skipped.push(skip(entry.commit, 'reverted'));
      continue;
    }
    const gap =
      earlierGap +
      entries.filter(
        (other) =>
          cancelled.has(other.sha) &&
          other.number !== undefined &&
          entry.number !== undefined &&
          other.number < entry.number,
      ).length;
    kept.push(
      gap === 0 || entry.metadata.name !== undefined || entry.number === undefined
        ? entry
        : { ...entry, name: formatPatchFileName(entry.number - gap, entry.commit.message) },
    );
  }
  const cancelledNumbered = entries.filter(
    (entry) => cancelled.has(entry.sha) && entry.number !== undefined,
  ).length;
  return { kept, cancelledNumbered };
}

/** Step 6: one squash group as a planned patch file. */
function plannedPatch(
  run: SeriesRun,
  range: RangePlan,
  group: { readonly name: string; readonly lead: Entry; readonly members: readonly Entry[] },
  idsOf: (entry: Entry) => readonly string[],
): PlannedPatch {
  const { lead, members } = group;
  const explicit = lead.metadata.status;
  const netChange = netChangeOf(range, members);
  return {
    fileName: group.name,
    content: members.length === 1 ? lead.content : Buffer.concat(members.map((member) => member.content)),
    commits: members.map((member) => patchCommit(member.commit)),
    id: lead.metadata.id,
    comment: explicit ?? (run.options.patchComments === 'subject' ? lead.commit.subject : undefined),
    commentIsExplicit: explicit !== undefined,
    presentInSpec: lead.metadata.presentInSpec,
    patchIds: members.flatMap((member) => idsOf(member)),
    ...(netChange === undefined ? {} : { netChange }),
  };
}

/** The net change of a squashed group is one diff when nothing between its commits adds to it. */
function netChangeOf(range: RangePlan, members: readonly Entry[]): PlannedPatch['netChange'] {
  const first = members[0];
  const last = members.at(-1);
  const from = first?.commit.parents[0];
  if (
    range.hasMerges ||
    first === undefined ||
    last === undefined ||
    members.length < 2 ||
    from === undefined
  )
    return undefined;
  if (members.some((member) => member.metadata.noPrefix !== first.metadata.noPrefix)) return undefined;
  const inGroup = new Set(members.map((member) => member.sha));
  const start = range.candidates.indexOf(first.commit);
  const end = range.candidates.indexOf(last.commit);
  const skippedReason = new Map(range.skipped.map((commit) => [commit.sha, commit.reason]));
  for (const between of range.candidates.slice(start, end + 1)) {
    if (inGroup.has(between.sha)) continue;
    const reason = skippedReason.get(between.sha);
    if (reason !== 'only-ignored-paths' && reason !== 'empty' && reason !== 'reverted') return undefined;
  }
  return { from, to: last.sha, noPrefix: first.metadata.noPrefix };
}

function seriesOf(
  run: SeriesRun,
  patches: PlannedPatch[],
  skipped: SkippedCommit[],
  dialect: 'trailers' | 'yaml',
  rangeOrder: readonly string[],
): PatchSeries {
  return {
    upstreamRef: run.upstream.ref,
    upstreamSha: run.upstream.sha,
    headSha: run.upstream.headSha,
    patches,
    skipped,
    metadataDialect: dialect,
    pathspec: run.pathspec,
    rangeOrder,
  };
}

function emptyFacts(resume: SeriesResume | undefined): SeriesFacts {
  return {
    messageCount: (resume?.startNumber ?? 1) - 1,
    streamBytes: resume?.earlierBytes ?? 0,
    commitCount: resume?.earlierCommitCount ?? 0,
    cancelledNumbered: resume?.numberGap ?? 0,
    hasMerges: false,
    legacySquash: false,
    firstTrailerCommit: resume?.firstTrailerCommit,
    firstNumbers: [],
  };
}

function readMetadataOf(dialect: 'trailers' | 'yaml', commit: RangeCommit): PatchMetadata {
  return dialect === 'trailers' ? readTrailerMetadata(commit) : readYamlMetadata(commit);
}

function patchName(commit: RangeCommit, metadata: PatchMetadata, fallback: string): string {
  const name = metadata.name;
  if (name === undefined) return fallback;
  const reason = unsafePatchNameReason(name);
  if (reason !== undefined) {
    throw new ConverterError(
      'PATCH_NAME_INVALID',
      `${commitName(commit)}: Patch-name ${JSON.stringify(name)} is not a valid patch file name: ${reason}`,
      { data: { sha: commit.sha, name, rule: reason } },
    );
  }
  return name;
}

function patchCommit(commit: RangeCommit): PatchCommit {
  return {
    sha: commit.sha,
    subject: commit.subject,
    authorName: commit.authorName,
    authorEmail: commit.authorEmail,
  };
}

function skip(commit: RangeCommit, reason: SkippedCommit['reason']): SkippedCommit {
  return { sha: commit.sha, subject: commit.subject, reason };
}

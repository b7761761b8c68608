import { ConverterError } from '../converter-error';
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
import { findRevertPairs } from './find-revert-pairs';
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
  // Every git process of this run stops when the caller aborts or when the run fails.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await generate(options, controller.signal);
  } catch (error) {
    controller.abort();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function generate(options: GeneratePatchSeriesOptions, signal: AbortSignal): Promise<PatchSeries> {
  const { sourceGitDir: repoDir, git } = options;
  const limits = resolveConversionLimits(options.limits);
  const [upstream, version] = await Promise.all([
    resolveUpstreamRef({ repoDir, upstreamRef: options.upstreamRef, git, signal }),
    git.text(['version'], { cwd: repoDir, isolated: true, signal }),
  ]);
  // git's default signature is its version; the repository's own configuration cannot change
  // what format-patch prints (Q16): these flags restore every default -c cannot.
  const neutralFormat = [
    `--signature=${version.replace(/^git version /, '').trim()}`,
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
  const result = (
    patches: PlannedPatch[],
    skipped: SkippedCommit[],
    dialect: 'trailers' | 'yaml',
    rangeOrder: readonly string[] = [],
  ): PatchSeries => ({
    upstreamRef: upstream.ref,
    upstreamSha: upstream.sha,
    headSha: upstream.headSha,
    patches,
    skipped,
    metadataDialect: dialect,
    pathspec,
    rangeOrder,
  });
  if (upstream.sha === upstream.headSha) {
    options.onStarted?.({ headSha: upstream.headSha });
    return result([], [], 'yaml');
  }
  const session = options.patchIds === false ? undefined : startPatchIdSession(git, { signal });
  let total = 0;
  const formatPatch = (tip: string, feed: FormatPatchFeed, runSignal: AbortSignal = signal) =>
    git.run(
      ['format-patch', '--stdout', '--binary', ...neutralFormat, `${upstream.sha}..${tip}`, ...pathspec],
      {
        cwd: repoDir,
        isolated: true,
        signal: runSignal,
        onStdout: (chunk) => {
          feed.push(chunk);
          if (options.onProgress !== undefined && total > 0) {
            options.onProgress({ done: Math.min(feed.stream.boundaries.length, total), total });
          }
        },
      },
    );

  // format-patch and the commit list run side by side; messages are fed to patch-id as soon as
  // the commit list says how (No-prefix), while format-patch still prints.
  let feed = new FormatPatchFeed(limits);
  const speculative = new AbortController();
  let formatting = formatPatch(upstream.headSha, feed, AbortSignal.any([signal, speculative.signal]));
  formatting.catch(() => undefined);
  const listing = readRangeCommits({
    repoDir,
    range: `${upstream.sha}..${upstream.headSha}`,
    git,
    signal,
  });
  options.onStarted?.({ headSha: upstream.headSha });
  const commits = await listing;
  if (commits.length > limits.maxCommits) {
    throw conversionLimitError(
      'maxCommits',
      limits.maxCommits,
      `${upstream.ref}..HEAD has ${commits.length} commits`,
      { commits: commits.length },
    );
  }
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  if (!commits.some((commit) => commit.parents.includes(upstream.sha))) {
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

  // History whose merges bring in commits from before upstream_ref (E7, "merge storm") is
  // linearised along first parents, in the object store only.
  const skipped: SkippedCommit[] = [];
  let candidates: RangeCommit[];
  let originalOf: (sha: string) => string | undefined;
  const hasMerges = commits.some((commit) => commit.parents.length > 1);
  if (
    commits.some((commit) => commit.parents.some((parent) => parent !== upstream.sha && !bySha.has(parent)))
  ) {
    // The range is formatted again from the linearised history.
    speculative.abort();
    await formatting.catch(() => undefined);
    const linear = await linearizeFirstParent({
      repoDir,
      git,
      tipSha: upstream.headSha,
      rangeShas: new Set(bySha.keys()),
      signal,
    });
    const chain = new Set(linear.chain);
    candidates = linear.chain.map((sha) => bySha.get(sha) as RangeCommit);
    for (const commit of commits) if (!chain.has(commit.sha)) skipped.push(skip(commit, 'merge'));
    originalOf = (sha) => linear.originalOf.get(sha);
    feed = new FormatPatchFeed(limits);
    formatting = formatPatch(linear.tipSha, feed);
  } else {
    candidates = commits.filter((commit) => commit.parents.length <= 1);
    for (const commit of commits) if (commit.parents.length > 1) skipped.push(skip(commit, 'merge'));
    originalOf = (sha) => (bySha.has(sha) ? sha : undefined);
  }
  total = candidates.length;
  options.onProgress?.({ done: Math.min(feed.stream.boundaries.length, total), total });

  // While streaming, No-prefix is decided with the dialect of all candidates; the final dialect
  // only counts commits that make a patch (§2.7.1) and is checked afterwards.
  const provisionalDialect = candidates.some((commit) => hasMetadataTrailers(commit.message))
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
  await formatting;
  feed.finish();
  const ids = session === undefined ? [] : await session.finish();

  // Messages in format-patch order, mapped back to the (original) commits.
  const emitted = new Map(
    feed.messages.map((message, index) => [
      originalOf(message.sha) as string,
      { number: index + 1, message },
    ]),
  );
  const treeOfParent = (commit: RangeCommit): string | undefined => {
    const parent = commit.parents[0];
    if (parent === undefined) return undefined;
    if (parent === upstream.sha) return upstream.treeSha;
    return bySha.get(parent)?.treeSha;
  };
  const isEmpty = (commit: RangeCommit): boolean => treeOfParent(commit) === commit.treeSha;
  const dialect = candidates.some(
    (commit) => (emitted.has(commit.sha) || isEmpty(commit)) && hasMetadataTrailers(commit.message),
  )
    ? 'trailers'
    : 'yaml';
  const metadataOf = (commit: RangeCommit): PatchMetadata => {
    if (dialect !== provisionalDialect) return readMetadataOf(dialect, commit);
    const known = provisionalMetadata(commit);
    if ('error' in known) throw known.error;
    return known.metadata;
  };

  // Walk the commits oldest first; emitted ones take format-patch's order (identical in practice).
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
              patchIds: session === undefined ? [] : undefined,
            }),
      });
      continue;
    }
    if (!isEmpty(candidate)) {
      skipped.push(skip(candidate, 'only-ignored-paths'));
      continue;
    }
    const metadata = metadataOf(candidate);
    if (metadata.ignore) {
      skipped.push(skip(candidate, 'ignore-patch'));
    } else if (metadata.presentInSpec) {
      // E4/E5 fixed: an empty commit standing for a patch that is in the spec gets an empty file.
      if (metadata.name === undefined) {
        throw new ConverterError(
          'PATCH_NAME_INVALID',
          `Empty commit ${candidate.sha} is referencing a patch which is present in spec file but the name is not defined in the commit metadata - please define it.`,
          { data: { sha: candidate.sha } },
        );
      }
      const name = patchName(candidate, metadata, '');
      entries.push({
        sha: candidate.sha,
        commit: candidate,
        metadata,
        name,
        number: undefined,
        content: EMPTY,
        patchIds: [],
      });
    } else {
      skipped.push(skip(candidate, 'empty'));
    }
  }

  // Messages whose No-prefix was decided differently while streaming get their ids now.
  const late = entries.filter((entry) => entry.patchIds === undefined);
  const lateIds =
    late.length === 0
      ? []
      : await computePatchIds(
          late.map((entry) => entry.content),
          git,
          { signal },
        );
  const idsOf = (entry: Entry): readonly string[] =>
    entry.patchIds ?? lateIds[late.findIndex((other) => other.sha === entry.sha)] ?? [];

  // A commit and its exact revert cancel out: neither makes a patch, and git's numbered names of
  // the later patches close the gap.
  const pairs = await findRevertPairs(
    entries.map((entry) => ({ commit: entry.commit, hasChanges: entry.content.length > 0 })),
    { repoDir, pathspec, git, signal },
  );
  const cancelled = new Set(pairs.flatMap((pair) => [pair.reverted, pair.revert]));
  const kept: Entry[] = [];
  for (const entry of entries) {
    if (cancelled.has(entry.sha)) {
      skipped.push(skip(entry.commit, 'reverted'));
      continue;
    }
    const gap = entries.filter(
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

  const groups =
    dialect === 'yaml' && kept.some((entry) => entry.metadata.squashCommits)
      ? squashLegacy(kept)
      : squashByName(kept);
  // The net change of a squashed group is one diff when nothing between its commits adds to it.
  const position = new Map(candidates.map((commit, index) => [commit.sha, index]));
  const skippedReason = new Map(skipped.map((commit) => [commit.sha, commit.reason]));
  const netChangeOf = (members: readonly Entry[]): PlannedPatch['netChange'] => {
    const first = members[0];
    const last = members.at(-1);
    const from = first?.commit.parents[0];
    if (hasMerges || first === undefined || last === undefined || members.length < 2 || from === undefined)
      return undefined;
    if (members.some((member) => member.metadata.noPrefix !== first.metadata.noPrefix)) return undefined;
    const inGroup = new Set(members.map((member) => member.sha));
    const start = position.get(first.sha) ?? 0;
    const end = position.get(last.sha) ?? -1;
    for (const between of candidates.slice(start, end + 1)) {
      if (inGroup.has(between.sha)) continue;
      const reason = skippedReason.get(between.sha);
      if (reason !== 'only-ignored-paths' && reason !== 'empty' && reason !== 'reverted') return undefined;
    }
    return { from, to: last.sha, noPrefix: first.metadata.noPrefix };
  };
  const patches = groups.map((group): PlannedPatch => {
    const { lead, members } = group;
    const explicit = lead.metadata.status;
    const netChange = netChangeOf(members);
    return {
      fileName: group.name,
      content: members.length === 1 ? lead.content : Buffer.concat(members.map((member) => member.content)),
      commits: members.map((member) => patchCommit(member.commit)),
      id: lead.metadata.id,
      comment: explicit ?? (options.patchComments === 'subject' ? lead.commit.subject : undefined),
      commentIsExplicit: explicit !== undefined,
      presentInSpec: lead.metadata.presentInSpec,
      patchIds: members.flatMap((member) => idsOf(member)),
      ...(netChange === undefined ? {} : { netChange }),
    };
  });
  options.onProgress?.({ done: total, total });
  return result(
    patches,
    skipped,
    dialect,
    commits.map((commit) => commit.sha),
  );
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

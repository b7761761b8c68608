import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { linearizeFirstParent } from '../git/linearize-first-parent';
import { readRangeCommits, type RangeCommit } from '../git/read-range-commits';
import { resolveUpstreamRef } from '../git/resolve-upstream-ref';
import { computePatchIds } from './compute-patch-ids';
import { formatPatchFileName } from './patch-file-name';
import {
  commitName,
  hasMetadataTrailers,
  readTrailerMetadata,
  readYamlMetadata,
  type PatchMetadata,
} from './patch-metadata';
import type { PatchCommit, PatchSeries, PlannedPatch, SkippedCommit } from './patch-series';
import { splitMbox } from './split-mbox';
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
   * `patch_generation_ignore_paths` followed by the `files_to_sync` sources (converter-spec §2.3).
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
}

/** One commit on its way to a patch: its metadata, its message bytes, its numbered name. */
interface Entry {
  readonly commit: RangeCommit;
  readonly metadata: PatchMetadata;
  /** The final file name (metadata name, else git's numbered name). */
  readonly name: string;
  readonly content: Buffer;
}

const EMPTY = Buffer.alloc(0);
const PROGRESS_MARK = Buffer.from(' Mon Sep 17 00:00:00 2001\n', 'latin1');

/**
 * Turns the downstream commits `upstream_ref..HEAD` of a source-git repository into the patch
 * files of dist-git (converter-spec §2.3–2.4, §2.7; fixed profile): ONE `git format-patch
 * --stdout` for the whole range, with git's default configuration (byte-identical to what
 * `git format-patch` prints), split into messages; metadata trailers (or legacy YAML) read in
 * memory; `Ignore-patch` commits dropped, `No-prefix` ones stripped, adjacent equal names squashed
 * byte for byte; and ONE `git patch-id` process for the ids of every message.
 *
 * Nothing is written: the result is data for the caller to apply (all-or-nothing).
 *
 * @throws ConverterError `UPSTREAM_REF_UNKNOWN` (ref not found, or not an ancestor of HEAD),
 *   `PATCH_NAME_INVALID` (a `Patch-name` with `/` or `..`, or an empty present-in-spec commit
 *   without one), `PATCH_NAME_CONFLICT` (the same name on non-adjacent patches),
 *   `PATCH_METADATA_INVALID` (a trailer value of the wrong type), `GIT_FAILED`.
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
  const { sourceGitDir: repoDir, git, signal } = options;
  const signalOption = signal === undefined ? {} : { signal };
  const upstream = await resolveUpstreamRef({
    repoDir,
    upstreamRef: options.upstreamRef,
    git,
    ...signalOption,
  });
  const pathspec = [
    '--',
    options.packagePath ?? '.',
    ...options.excludePaths.map((path) => `:(exclude)${path}`),
  ];

  let progressTotal = 0;
  const formatPatch = (tip: string, total: () => number) =>
    git.run(['format-patch', '--stdout', '--binary', `${upstream.sha}..${tip}`, ...pathspec], {
      cwd: repoDir,
      isolated: true,
      ...signalOption,
      ...(options.onProgress === undefined ? {} : { onStdout: progressCounter(options.onProgress, total) }),
    });

  // The commit list and format-patch run side by side: one pass over the range each.
  let commitsKnown = false;
  const pendingFormat = formatPatch(upstream.headSha, () => (commitsKnown ? progressTotal : 0)).catch(
    (error: unknown) => error,
  );
  const commits =
    upstream.sha === upstream.headSha
      ? []
      : await readRangeCommits({
          repoDir,
          range: `${upstream.sha}..${upstream.headSha}`,
          git,
          ...signalOption,
        });
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  if (commits.length > 0 && !commits.some((commit) => commit.parents.includes(upstream.sha))) {
    await pendingFormat;
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
  // linearised along first parents, in memory only.
  const needsLinearising = commits.some((commit) =>
    commit.parents.some((parent) => parent !== upstream.sha && !bySha.has(parent)),
  );
  let formatted: Buffer;
  let candidates: RangeCommit[];
  let originalOf: (sha: string) => string | undefined;
  const skipped: SkippedCommit[] = [];
  if (needsLinearising) {
    await pendingFormat;
    const linear = await linearizeFirstParent({
      repoDir,
      git,
      tipSha: upstream.headSha,
      rangeShas: new Set(bySha.keys()),
      ...signalOption,
    });
    const chain = new Set(linear.chain);
    candidates = linear.chain.map((sha) => bySha.get(sha) as RangeCommit);
    for (const commit of commits) {
      if (!chain.has(commit.sha)) skipped.push(skip(commit, 'merge'));
    }
    progressTotal = candidates.length;
    commitsKnown = true;
    formatted = (await formatPatch(linear.tipSha, () => progressTotal)).stdout;
    originalOf = (sha) => linear.originalOf.get(sha);
  } else {
    candidates = commits.filter((commit) => commit.parents.length <= 1);
    progressTotal = candidates.length;
    commitsKnown = true;
    const result = await pendingFormat;
    if (!isGitResult(result)) throw result;
    formatted = result.stdout;
    originalOf = (sha) => (bySha.has(sha) ? sha : undefined);
    for (const commit of commits) if (commit.parents.length > 1) skipped.push(skip(commit, 'merge'));
  }

  // Messages, in format-patch order, mapped back to the (original) commits.
  const seen = new Set<string>();
  const messages = splitMbox(formatted, (sha) => {
    const original = originalOf(sha);
    if (original === undefined || seen.has(original)) return false;
    seen.add(original);
    return true;
  });
  const emitted = new Map<string, { number: number; bytes: Buffer }>();
  messages.forEach((message, index) => {
    if (message.sha === undefined) {
      if (message.bytes.toString('latin1').trim() === '') return;
      throw new ConverterError(
        'GIT_FAILED',
        `git format-patch printed text before the first patch in ${repoDir}`,
      );
    }
    // With --stdout git writes one extra newline before every message but the first; the files
    // it writes with -o do not have it.
    const last = index === messages.length - 1;
    const bytes = !last && message.bytes.at(-1) === 0x0a ? message.bytes.subarray(0, -1) : message.bytes;
    emitted.set(originalOf(message.sha) as string, { number: emitted.size + 1, bytes });
  });

  // Commits that format-patch left out: empty, or touching only excluded paths.
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
  const readMetadata = dialect === 'trailers' ? readTrailerMetadata : readYamlMetadata;

  // Walk commits oldest first; emitted ones take format-patch's order (identical in practice).
  const emittedInOrder = [...emitted.keys()];
  let nextEmitted = 0;
  const entries: Entry[] = [];
  for (const candidate of candidates) {
    let commit = candidate;
    if (emitted.has(candidate.sha)) {
      commit = bySha.get(emittedInOrder[nextEmitted++] as string) as RangeCommit;
      const message = emitted.get(commit.sha) as { number: number; bytes: Buffer };
      const metadata = readMetadata(commit);
      if (metadata.ignore) {
        skipped.push(skip(commit, 'ignore-patch'));
        continue;
      }
      const name = patchName(commit, metadata, formatPatchFileName(message.number, commit.message));
      entries.push({
        commit,
        metadata,
        name,
        content: metadata.noPrefix ? stripDiffPrefixes(message.bytes) : message.bytes,
      });
      continue;
    }
    if (!isEmpty(commit)) {
      skipped.push(skip(commit, 'only-ignored-paths'));
      continue;
    }
    const metadata = readMetadata(commit);
    if (metadata.ignore) {
      skipped.push(skip(commit, 'ignore-patch'));
    } else if (metadata.presentInSpec) {
      // E4/E5 fixed: an empty commit standing for a patch that is in the spec gets an empty file.
      if (metadata.name === undefined) {
        throw new ConverterError(
          'PATCH_NAME_INVALID',
          `Empty commit ${commit.sha} is referencing a patch which is present in spec file but the name is not defined in the commit metadata - please define it.`,
          { data: { sha: commit.sha } },
        );
      }
      entries.push({ commit, metadata, name: patchName(commit, metadata, ''), content: EMPTY });
    } else {
      skipped.push(skip(commit, 'empty'));
    }
  }

  const groups =
    dialect === 'yaml' && entries.some((entry) => entry.metadata.squashCommits)
      ? squashLegacy(entries)
      : squashByName(entries);
  const contents = groups.map((group) =>
    group.members.length === 1
      ? (group.members[0] as Entry).content
      : Buffer.concat(group.members.map((m) => m.content)),
  );
  const patchIds = await computePatchIds(contents, git, signalOption);

  const patches = groups.map((group, index): PlannedPatch => {
    const { lead } = group;
    const explicit = lead.metadata.status;
    return {
      fileName: group.name,
      content: contents[index] as Buffer,
      commits: group.members.map((member) => patchCommit(member.commit)),
      id: lead.metadata.id,
      comment: explicit ?? (options.patchComments === 'subject' ? lead.commit.subject : undefined),
      commentIsExplicit: explicit !== undefined,
      presentInSpec: lead.metadata.presentInSpec,
      patchIds: patchIds[index] ?? [],
    };
  });
  options.onProgress?.({ done: progressTotal, total: progressTotal });

  return {
    upstreamRef: upstream.ref,
    upstreamSha: upstream.sha,
    headSha: upstream.headSha,
    patches,
    skipped,
    metadataDialect: dialect,
  };
}

interface Group {
  readonly name: string;
  /** The commit whose metadata the group carries (the first, or the legacy marked one). */
  readonly lead: Entry;
  readonly members: readonly Entry[];
}

/** Fixed profile squashing (§2.7.5): adjacent equal names become one file; others conflict. */
function squashByName(entries: readonly Entry[]): Group[] {
  const groups: { name: string; lead: Entry; members: Entry[] }[] = [];
  const used = new Set<string>();
  for (const entry of entries) {
    const last = groups.at(-1);
    if (last !== undefined && last.name === entry.name) {
      last.members.push(entry);
      continue;
    }
    if (used.has(entry.name)) {
      throw new ConverterError(
        'PATCH_NAME_CONFLICT',
        `Non-adjacent patches cannot have the same name: ${entry.name}.`,
        {
          data: { name: entry.name, sha: entry.commit.sha },
        },
      );
    }
    used.add(entry.name);
    groups.push({ name: entry.name, lead: entry, members: [entry] });
  }
  return groups;
}

/**
 * Legacy `squash_commits` grouping (§2.7.5): commits newer than the newest `squash_commits`
 * commit join its group; going older, every commit with metadata starts a group and commits
 * without metadata join the group of the next newer commit that has some.
 */
function squashLegacy(entries: readonly Entry[]): Group[] {
  let newest = -1;
  entries.forEach((entry, index) => {
    if (entry.metadata.squashCommits) newest = index;
  });
  const groups: { lead: Entry; members: Entry[] }[] = [];
  let current: { lead: Entry; members: Entry[] } | undefined;
  for (let index = newest; index >= 0; index--) {
    const entry = entries[index] as Entry;
    const marked = entry.metadata.squashCommits || entry.metadata.presentInSpec || entry.metadata.hasMetadata;
    if (current === undefined || marked) {
      current = { lead: entry, members: [entry] };
      groups.unshift(current);
    } else {
      current.members.unshift(entry);
    }
  }
  const newestGroup = groups.at(-1);
  if (newestGroup !== undefined) newestGroup.members.push(...entries.slice(newest + 1));
  const names = new Set<string>();
  return groups.map((group) => {
    const name = group.lead.name;
    if (names.has(name)) {
      throw new ConverterError(
        'PATCH_NAME_CONFLICT',
        `Non-adjacent patches cannot have the same name: ${name}.`,
        {
          data: { name, sha: group.lead.commit.sha },
        },
      );
    }
    names.add(name);
    return { name, lead: group.lead, members: group.members };
  });
}

function patchName(commit: RangeCommit, metadata: PatchMetadata, fallback: string): string {
  const name = metadata.name;
  if (name === undefined) return fallback;
  if (
    name.trim() === '' ||
    name === '.' ||
    name.includes('/') ||
    name.includes('..') ||
    /[\0\n]/.test(name)
  ) {
    throw new ConverterError(
      'PATCH_NAME_INVALID',
      `${commitName(commit)}: Patch-name ${JSON.stringify(name)} is not a valid patch file name: it must be a plain file name in the dist-git root (no "/", no "..", not empty)`,
      { data: { sha: commit.sha, name } },
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

function isGitResult(value: unknown): value is { stdout: Buffer } {
  return typeof value === 'object' && value !== null && 'stdout' in value;
}

/** Counts format-patch messages as they stream by and reports them. */
function progressCounter(
  onProgress: (progress: PatchSeriesProgress) => void,
  total: () => number,
): (chunk: Buffer) => void {
  let done = 0;
  let carry = Buffer.alloc(0);
  return (chunk) => {
    const window = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    let found = 0;
    for (let at = window.indexOf(PROGRESS_MARK); at !== -1; at = window.indexOf(PROGRESS_MARK, at + 1))
      found++;
    carry = Buffer.from(window.subarray(Math.max(0, window.length - PROGRESS_MARK.length + 1)));
    if (found === 0) return;
    done += found;
    const known = total();
    onProgress({ done: known > 0 ? Math.min(done, known) : done, total: Math.max(known, done) });
  };
}

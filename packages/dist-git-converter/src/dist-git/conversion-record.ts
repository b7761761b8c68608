import { join } from 'node:path';
import { readCacheFile, srcgitCacheDir, writeCacheFile } from '../cache/cache-file';
import { converterBuildId } from '../cache/converter-build-id';
import { findCommonGitDir } from '../cache/find-common-git-dir';
import type { PatchCommit, PatchSeries, PlannedPatch, SkippedCommit } from '../patches/patch-series';
import type { SeriesFacts, SeriesResume } from '../patches/series-resume';
import { unsafePatchNameReason } from '../patches/unsafe-patch-name-reason';

/**
 * A conversion srcgit finished: dist-git commit `distCommit`'s tree is exactly what converting
 * source-git commit `sourceCommit` gives, with these settings and this build; and the patch
 * series of that conversion, without the bytes (they are `distCommit`'s blobs). An incremental
 * conversion resumes from it (docs/converter-behaviour.md §2.10).
 */
export interface ConversionRecord {
  readonly build: string;
  /** The settings the series depends on (pathspec, patch comments, upstream commit), as one key. */
  readonly settings: string;
  readonly sourceCommit: string;
  readonly distCommit: string;
  readonly upstreamSha: string;
  readonly dialect: 'trailers' | 'yaml';
  readonly facts: Omit<SeriesFacts, 'firstNumbers' | 'firstTrailerCommit'>;
  /** The first commit that made the dialect `trailers` (§2.7.1); null: none. */
  readonly firstTrailerCommit: string | null;
  readonly rangeOrder: readonly string[];
  readonly skipped: readonly SkippedCommit[];
  readonly patches: readonly RecordedPatch[];
}

/** A patch of the recorded series: what the plan and the spec need, and its first message number. */
export interface RecordedPatch {
  readonly fileName: string;
  readonly commits: readonly PatchCommit[];
  readonly id: number | null;
  readonly comment: string | null;
  readonly commentIsExplicit: boolean;
  readonly presentInSpec: boolean;
  readonly firstNumber: number | null;
}

/** Conversion records kept per source-git repository (the newest first). */
const MAX_RECORDS = 16;
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const RECORDS_FILE = 'conversions.json';

/** The record of the conversion that made dist-git commit `distCommit`, with these settings and this build. */
export async function readConversionRecord(
  sourceGitDir: string,
  distCommit: string,
  settings: string,
): Promise<ConversionRecord | undefined> {
  const file = await recordsFile(sourceGitDir);
  if (file === undefined) return undefined;
  const [records, build] = await Promise.all([readRecords(file), converterBuildId()]);
  return records.find(
    (record) => record.distCommit === distCommit && record.settings === settings && record.build === build,
  );
}

/** A record before the dist-git commit it describes exists: {@link draftConversionRecord}. */
export type ConversionRecordDraft = Omit<ConversionRecord, 'build' | 'distCommit'>;

/**
 * The record of a conversion with these settings, series and facts (the bytes are left out).
 * With `keep`, only the first `keep` patches and the commits before the next patch: a record of
 * what the dist-git commit the conversion started from holds (its leading unchanged patches),
 * written even when that commit is not the whole conversion. Undefined when no such record can
 * be made (no patch kept, or a revert pair whose count the prefix cannot tell).
 */
export function draftConversionRecord(
  settings: string,
  series: PatchSeries,
  facts: SeriesFacts,
  keep: number = series.patches.length,
): ConversionRecordDraft | undefined {
  const { firstNumbers, firstTrailerCommit, ...counts } = facts;
  const patches = series.patches.slice(0, keep);
  const next = series.patches[keep]?.commits[0]?.sha;
  const cut = next === undefined ? series.rangeOrder.length : series.rangeOrder.indexOf(next);
  if (patches.length === 0 || cut < 0) return undefined;
  const rangeOrder = series.rangeOrder.slice(0, cut);
  const inPrefix = new Set(rangeOrder);
  const skipped = series.skipped.filter((commit) => inPrefix.has(commit.sha));
  if (keep < series.patches.length && series.skipped.some((commit) => commit.reason === 'reverted'))
    return undefined;
  return {
    settings,
    sourceCommit: rangeOrder.at(-1) ?? series.upstreamSha,
    upstreamSha: series.upstreamSha,
    dialect: series.metadataDialect,
    facts: counts,
    firstTrailerCommit: firstTrailerCommit ?? null,
    rangeOrder,
    skipped,
    patches: patches.map((patch, index) => ({
      fileName: patch.fileName,
      commits: patch.commits,
      id: patch.id ?? null,
      comment: patch.comment ?? null,
      commentIsExplicit: patch.commentIsExplicit,
      presentInSpec: patch.presentInSpec,
      firstNumber: firstNumbers[index] ?? null,
    })),
  };
}

/**
 * Remembers that dist-git commit `distCommit`'s tree is the conversion `draft` describes
 * (atomically; the oldest records beyond the bound are dropped).
 */
export async function writeConversionRecord(
  sourceGitDir: string,
  draft: ConversionRecordDraft,
  distCommit: string,
): Promise<void> {
  const file = await recordsFile(sourceGitDir);
  if (file === undefined) return;
  const record: ConversionRecord = { ...draft, build: await converterBuildId(), distCommit };
  // One record per dist-git commit, and per source-git commit and settings (syncing the same
  // commit again, e.g. into fresh clones, replaces its record instead of pushing older ones out).
  const kept = (await readRecords(file)).filter(
    (other) =>
      other.distCommit !== distCommit &&
      !(other.sourceCommit === record.sourceCommit && other.settings === record.settings),
  );
  await writeCacheFile(file, { version: 1, records: [record, ...kept].slice(0, MAX_RECORDS) });
}

/**
 * Where a conversion resumes from a record: after its last patch group but one when that group
 * may be continued (a named squash group: a new commit with its name joins it), else after the
 * recorded commit. Undefined when the record cannot be resumed from (legacy `squash_commits`
 * groups, a merge, folded fix-ups, an empty file as last group).
 */
export function resumePointOf(
  record: ConversionRecord,
): { resume: SeriesResume; kept: readonly RecordedPatch[] } | undefined {
  if (record.facts.hasMerges || record.facts.legacySquash) return undefined;
  // Commits rewritten while converting (folded fix-ups) are not in the range: not resumable.
  const inRange = new Set(record.rangeOrder);
  if (record.patches.some((patch) => patch.commits.some((commit) => !inRange.has(commit.sha))))
    return undefined;
  const last = record.patches.at(-1);
  if (last === undefined) return undefined;
  // The last group is formatted again, so that a new commit with its name continues it.
  const first = last.commits[0];
  const firstNumber = last.firstNumber;
  const position = first === undefined ? -1 : record.rangeOrder.indexOf(first.sha);
  if (first === undefined || firstNumber === null || position < 0) return undefined;
  const after = new Set(record.rangeOrder.slice(position));
  // A revert pair that spans the restart point would be split: not resumable.
  if (record.skipped.some((commit) => commit.reason === 'reverted' && after.has(commit.sha)))
    return undefined;
  const kept = record.patches.slice(0, -1);
  const resume = resumeAfter(record, undefined, firstNumber, kept, position);
  // The recorded metadata was read in the record's dialect: the earlier part must have it alone.
  return resume.dialect === record.dialect ? { resume, kept } : undefined;
}

function resumeAfter(
  record: ConversionRecord,
  fromSha: string | undefined,
  startNumber: number,
  kept: readonly RecordedPatch[],
  earlierCommitCount: number,
): SeriesResume {
  const earlier = record.rangeOrder.slice(0, earlierCommitCount);
  const trailerKnown = record.firstTrailerCommit !== null && earlier.includes(record.firstTrailerCommit);
  return {
    // The parent of the restart commit is the commit before it in the (linear) range, or upstream.
    fromSha: fromSha ?? earlier.at(-1) ?? record.upstreamSha,
    upstreamSha: record.upstreamSha,
    // The earlier part's own dialect (resumePointOf refuses one that differs from the record's).
    dialect: trailerKnown ? 'trailers' : 'yaml',
    firstTrailerCommit: trailerKnown ? (record.firstTrailerCommit ?? undefined) : undefined,
    startNumber,
    numberGap: record.facts.cancelledNumbered,
    earlierShas: new Set(earlier),
    earlierNames: new Set(kept.map((patch) => patch.fileName)),
    earlierCommitCount,
    // Bytes of the earlier messages are not known one by one: the whole recorded stream (safe side).
    earlierBytes: record.facts.streamBytes,
  };
}

/**
 * The whole series: the recorded patches before the resume point (their bytes are the recorded
 * dist-git commit's blobs, `contentOf`) followed by the newly generated ones.
 */
export function joinResumedSeries(
  record: ConversionRecord,
  kept: readonly RecordedPatch[],
  resume: SeriesResume,
  generated: { readonly series: PatchSeries; readonly facts: SeriesFacts },
  contentOf: (fileName: string) => Uint8Array,
): { series: PatchSeries; facts: SeriesFacts } {
  const earlier = record.rangeOrder.slice(0, resume.earlierCommitCount);
  const earlierSet = new Set(earlier);
  const keptPatches: PlannedPatch[] = kept.map((patch) => ({
    fileName: patch.fileName,
    content: contentOf(patch.fileName),
    commits: patch.commits,
    id: patch.id ?? undefined,
    comment: patch.comment ?? undefined,
    commentIsExplicit: patch.commentIsExplicit,
    presentInSpec: patch.presentInSpec,
    patchIds: [],
  }));
  const { series, facts } = generated;
  return {
    series: {
      ...series,
      patches: [...keptPatches, ...series.patches],
      skipped: [...record.skipped.filter((commit) => earlierSet.has(commit.sha)), ...series.skipped],
      rangeOrder: [...earlier, ...series.rangeOrder],
    },
    facts: {
      ...facts,
      firstNumbers: [...kept.map((patch) => patch.firstNumber ?? undefined), ...facts.firstNumbers],
    },
  };
}

async function recordsFile(sourceGitDir: string): Promise<string | undefined> {
  const gitDir = await findCommonGitDir(sourceGitDir);
  return gitDir === undefined ? undefined : join(srcgitCacheDir(gitDir), RECORDS_FILE);
}

async function readRecords(file: string): Promise<ConversionRecord[]> {
  const parsed = await readCacheFile(file, MAX_FILE_BYTES);
  if (typeof parsed !== 'object' || parsed === null) return [];
  const { version, records } = parsed as { version?: unknown; records?: unknown };
  if (version !== 1 || !Array.isArray(records)) return [];
  return records.filter(isConversionRecord).slice(0, MAX_RECORDS);
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function isConversionRecord(value: unknown): value is ConversionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const facts = record.facts as Record<string, unknown> | undefined;
  return (
    typeof record.build === 'string' &&
    typeof record.settings === 'string' &&
    isSha(record.sourceCommit) &&
    isSha(record.distCommit) &&
    isSha(record.upstreamSha) &&
    (record.dialect === 'trailers' || record.dialect === 'yaml') &&
    typeof facts === 'object' &&
    facts !== null &&
    ['messageCount', 'streamBytes', 'commitCount', 'cancelledNumbered'].every((key) =>
      Number.isSafeInteger(facts[key]),
    ) &&
    typeof facts.hasMerges === 'boolean' &&
    typeof facts.legacySquash === 'boolean' &&
    (record.firstTrailerCommit === null || isSha(record.firstTrailerCommit)) &&
    Array.isArray(record.rangeOrder) &&
    record.rangeOrder.every(isSha) &&
    Array.isArray(record.skipped) &&
    record.skipped.every(isSkippedCommit) &&
    Array.isArray(record.patches) &&
    record.patches.every(isRecordedPatch)
  );
}

function isSha(value: unknown): value is string {
  return typeof value === 'string' && SHA.test(value);
}

function isSkippedCommit(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const commit = value as Record<string, unknown>;
  return (
    isSha(commit.sha) &&
    typeof commit.subject === 'string' &&
    ['ignore-patch', 'only-ignored-paths', 'empty', 'merge', 'reverted'].includes(commit.reason as string)
  );
}

function isRecordedPatch(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const patch = value as Record<string, unknown>;
  return (
    // A record is read from a repository's git directory: bounded and checked like any input.
    typeof patch.fileName === 'string' &&
    unsafePatchNameReason(patch.fileName) === undefined &&
    (patch.comment === null || (typeof patch.comment === 'string' && patch.comment.length <= 65_536)) &&
    Array.isArray(patch.commits) &&
    patch.commits.every(
      (commit: unknown) =>
        typeof commit === 'object' &&
        commit !== null &&
        isSha((commit as Record<string, unknown>).sha) &&
        ['subject', 'authorName', 'authorEmail'].every(
          (key) => typeof (commit as Record<string, unknown>)[key] === 'string',
        ),
    ) &&
    (patch.id === null || Number.isSafeInteger(patch.id)) &&
    (patch.comment === null || typeof patch.comment === 'string') &&
    typeof patch.commentIsExplicit === 'boolean' &&
    typeof patch.presentInSpec === 'boolean' &&
    (patch.firstNumber === null || Number.isSafeInteger(patch.firstNumber))
  );
}

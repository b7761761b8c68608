import type { SpecPatchEntry } from './find-patch-entries';
import type { SpecDocument, SpecLine, SpecSection } from './spec-document';

const SOURCE_TAG = /^source\d*/i;

/** Where an entry numbered `number` goes, and which existing line its style is copied from. */
export interface PatchInsertion {
  /** 0-based line index to insert before. */
  readonly lineIndex: number;
  /** The Patch tag the new tag copies its name width and separator from, when there is one. */
  readonly referencePatch: SpecPatchEntry | undefined;
  /** Without Patch tags: the last `Source` tag of the main preamble, for the separator. */
  readonly referenceSource: SpecLine | undefined;
}

/**
 * The placement rule of docs/converter-behaviour.md §2.8 step 6 (fixed profile). For a `%patchlist` entry:
 * after the last entry of the last `%patchlist` section (right after its header when empty). For a
 * tag: directly after the main-preamble Patch tag numerically closest to `number` (before it when
 * that tag's number is higher, above its comment block); without Patch tags, after the last
 * `Source\d*` tag; without those, after the last tag of the main preamble. A new tag never lands
 * inside an `%if` block the reference sits in: it goes after the `%endif` that closes it (the
 * `%endif` hoisting rule), or before the `%if` when placed above the reference.
 */
export function findPatchInsertionIndex(
  document: SpecDocument,
  entries: readonly SpecPatchEntry[],
  number: number,
  kind: 'tag' | 'patchlist',
): PatchInsertion {
  if (kind === 'patchlist') {
    const list = document.sections.findLast((section) => section.keyword === 'patchlist');
    if (list !== undefined) {
      const last = entries.findLast((entry) => entry.kind === 'patchlist' && entry.section === list);
      const lineIndex = last?.endLineIndex ?? (list.headerLineIndex ?? list.startLineIndex) + 1;
      return { lineIndex, referencePatch: last, referenceSource: undefined };
    }
  }

  const tags = entries.filter((entry) => entry.kind === 'tag' && entry.section.isMainPreamble);
  const closest = closestPatchEntry(tags, number);
  if (closest !== undefined) {
    const lineIndex =
      closest.number <= number ? indexAfterEntry(document, closest) : indexBeforeEntry(document, closest);
    return { lineIndex, referencePatch: closest, referenceSource: undefined };
  }

  return placementWithoutPatchTags(document);
}

/**
 * Where the first Patch tag goes in a spec without any: after the last `Source\d*` tag of the
 * main preamble (past its `%endif`), else after the last tag, else after the last non-blank line.
 */
export function placementWithoutPatchTags(document: SpecDocument): PatchInsertion {
  const main = document.sections.find((section) => section.isMainPreamble) as SpecSection;
  const mainLines = document.lines.slice(main.startLineIndex, main.endLineIndex);
  const source = mainLines.findLast((line) => line.kind === 'tag' && SOURCE_TAG.test(line.tag?.name ?? ''));
  const anchor = source ?? mainLines.findLast((line) => line.kind === 'tag');
  if (anchor !== undefined) {
    let end = anchor.index + 1;
    while (document.lines[end]?.continues === anchor.index) end++;
    return {
      lineIndex: indexAfter(document, main, anchor.index, end, baselineDepth(document, main)),
      referencePatch: undefined,
      referenceSource: source,
    };
  }
  const lastContent = mainLines.findLast((line) => line.kind !== 'blank');
  return {
    lineIndex: lastContent === undefined ? main.startLineIndex : lastContent.index + 1,
    referencePatch: undefined,
    referenceSource: undefined,
  };
}

/**
 * The line index right after an entry. For a main-preamble tag inside an `%if` block (deeper than
 * the `Name` tag), after the `%endif` that closes it, so that what is inserted is not conditional.
 */
export function indexAfterEntry(document: SpecDocument, entry: SpecPatchEntry): number {
  if (entry.kind !== 'tag' || !entry.section.isMainPreamble) return entry.endLineIndex;
  return indexAfter(
    document,
    entry.section,
    entry.lineIndex,
    entry.endLineIndex,
    baselineDepth(document, entry.section),
  );
}

/** The line index right before an entry's comment block, or before the `%if` block around a main-preamble tag. */
export function indexBeforeEntry(document: SpecDocument, entry: SpecPatchEntry): number {
  if (entry.kind !== 'tag' || !entry.section.isMainPreamble) return entry.commentStartIndex;
  const outer = entry.conditions[baselineDepth(document, entry.section)];
  if (outer === undefined) return entry.commentStartIndex;
  let lineIndex = outer.lineIndex;
  while (lineIndex > 0 && document.lines[lineIndex - 1]?.kind === 'comment') lineIndex--;
  return lineIndex;
}

/**
 * The entry numerically closest to `number`; on a tie the lower number wins, and among equal
 * numbers the last one in the file.
 */
export function closestPatchEntry(
  entries: readonly SpecPatchEntry[],
  number: number,
): SpecPatchEntry | undefined {
  let best: SpecPatchEntry | undefined;
  for (const entry of entries) {
    if (best === undefined) {
      best = entry;
      continue;
    }
    const distance = Math.abs(entry.number - number);
    const bestDistance = Math.abs(best.number - number);
    if (distance < bestDistance || (distance === bestDistance && entry.number <= best.number)) best = entry;
  }
  return best;
}

/** The `%if` depth of the main preamble's `Name` tag: new tags are placed at this depth. */
function baselineDepth(document: SpecDocument, main: SpecSection): number {
  for (let index = main.startLineIndex; index < main.endLineIndex; index++) {
    const line = document.lines[index];
    if (line?.kind === 'tag' && line.tag?.baseName.toLowerCase() === 'name') return line.conditions.length;
  }
  return 0;
}

/** Right after the line group `[lineIndex, end)`, moved past the `%endif`s that bring it back to `baseline`. */
function indexAfter(
  document: SpecDocument,
  main: SpecSection,
  lineIndex: number,
  end: number,
  baseline: number,
): number {
  let depth = document.lines[lineIndex]?.conditions.length ?? 0;
  if (depth <= baseline) return end;
  for (let index = end; index < main.endLineIndex; index++) {
    const line = document.lines[index];
    if (line?.kind !== 'conditional') continue;
    if (line.conditional?.startsWith('if')) depth++;
    else if (line.conditional === 'endif' && --depth <= baseline) return index + 1;
  }
  return end;
}

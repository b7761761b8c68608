import { diffArrays } from 'diff';

import type { SpecPatchEntry } from './find-patch-entries';
import { planPatchRemoval } from './remove-patch-entries';
import type { SpecDocument, SpecEol, SpecLine } from './spec-document';

/**
 * Managed lines that could not stay where they were, to be placed again by the rule of
 * docs/converter-behaviour.md §2.8.
 */
export interface DisplacedPatchBlock {
  /** The block's lines as written in the template (comment blocks, tags, blank lines between). */
  readonly lines: readonly string[];
  /** The lowest number among the block's entries (placement key). */
  readonly number: number;
  readonly kind: 'tag' | 'patchlist';
  /** Expanded file names of the template's entries of the same kind before the block, nearest first. */
  readonly precedingFileNames: readonly string[];
  /** Expanded file names of the template's entries of the same kind after the block, nearest first. */
  readonly followingFileNames: readonly string[];
}

export interface SpecTemplateMerge {
  readonly text: string;
  readonly displaced: readonly DisplacedPatchBlock[];
}

const COMMENT = /^[ \t\v\f\r]*#/;

interface OutputLine {
  readonly text: string;
  readonly eol: SpecEol;
}

/**
 * Carries the packager's changes (base → `distro`) over to the `template` with a three-way line
 * merge, where base = `template` without the `managed` entries (what `removePatchEntries` gives).
 * Because base → template only inserts the managed blocks, the merge is exact: every block goes
 * into the gap of `distro` that corresponds to its gap in base, with its exact bytes. A block whose
 * gap `distro` rewrote or inserted into (a conflict), or that would land right below a comment
 * line of `distro` (and so take it as its own), is not guessed at: the distro side wins and the
 * block is returned in `displaced`. With `distro` equal to base the result is `template`.
 */
export function mergeSpecTemplate(
  template: SpecDocument,
  templateEntries: readonly SpecPatchEntry[],
  managed: readonly SpecPatchEntry[],
  distro: SpecDocument,
): SpecTemplateMerge {
  const removed = planPatchRemoval(template, managed);
  const kept: SpecLine[] = [];
  /** gaps[g] = template lines between kept line g-1 and kept line g. */
  const gaps: SpecLine[][] = [[]];
  for (const line of template.lines) {
    if (removed[line.index]) {
      (gaps.at(-1) as SpecLine[]).push(line);
    } else {
      kept.push(line);
      gaps.push([]);
    }
  }
  const templateEndsWithoutNewline = template.lines.at(-1)?.eol === '';
  const baseKeys = kept.map((line, index) =>
    lineKey(
      line.text,
      index === kept.length - 1 && templateEndsWithoutNewline ? '' : line.eol || template.eol,
    ),
  );
  const distroKeys = distro.lines.map((line) => lineKey(line.text, line.eol));
  const entryAt = new Map(managed.map((entry) => [entry.lineIndex, entry]));

  const out: OutputLine[] = [];
  const displaced: DisplacedPatchBlock[] = [];
  const emitted: boolean[] = gaps.map(() => false);
  const displaceGap = (gap: number): void => {
    if (emitted[gap]) return;
    emitted[gap] = true;
    const block = displacedBlock(gaps[gap] ?? [], entryAt, templateEntries);
    if (block !== undefined) displaced.push(block);
  };
  const emitGap = (gap: number): void => {
    if (emitted[gap]) return;
    const lines = gaps[gap] ?? [];
    // A block right below a comment line would take that comment as its own: place it again instead.
    if (lines[0] !== undefined && lines[0].kind !== 'blank' && COMMENT.test(out.at(-1)?.text ?? '')) {
      displaceGap(gap);
      return;
    }
    emitted[gap] = true;
    for (const line of lines) out.push({ text: line.text, eol: line.eol });
  };

  let base = 0;
  let position = 0;
  const changes = diffArrays(baseKeys, distroKeys);
  for (let c = 0; c < changes.length; c++) {
    const change = changes[c];
    if (change === undefined) continue;
    if (!change.added && !change.removed) {
      for (let k = 0; k < change.count; k++) {
        emitGap(base);
        pushDistroLine(out, distro, position);
        base++;
        position++;
      }
      continue;
    }
    let removedCount = 0;
    let addedCount = 0;
    for (; c < changes.length; c++) {
      const hunk = changes[c];
      if (hunk === undefined || (!hunk.added && !hunk.removed)) break;
      if (hunk.removed) removedCount += hunk.count;
      else addedCount += hunk.count;
    }
    c--;
    if (removedCount === 0) {
      displaceGap(base);
    } else {
      emitGap(base);
      for (let gap = base + 1; gap < base + removedCount; gap++) displaceGap(gap);
    }
    for (let k = 0; k < addedCount; k++) pushDistroLine(out, distro, position + k);
    base += removedCount;
    position += addedCount;
  }
  emitGap(base);

  let text = '';
  for (let index = 0; index < out.length; index++) {
    const line = out[index] as OutputLine;
    text += line.text + (line.eol === '' && index < out.length - 1 ? distro.eol : line.eol);
  }
  return { text, displaced };
}

function lineKey(text: string, eol: SpecEol): string {
  return text + eol;
}

function pushDistroLine(out: OutputLine[], distro: SpecDocument, index: number): void {
  const line = distro.lines[index];
  if (line !== undefined) out.push({ text: line.text, eol: line.eol });
}

function displacedBlock(
  lines: readonly SpecLine[],
  entryAt: ReadonlyMap<number, SpecPatchEntry>,
  templateEntries: readonly SpecPatchEntry[],
): DisplacedPatchBlock | undefined {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.kind === 'blank') start++;
  while (end > start && lines[end - 1]?.kind === 'blank') end--;
  const entries = lines.flatMap((line) => {
    const entry = entryAt.get(line.index);
    return entry === undefined ? [] : [entry];
  });
  const first = entries[0];
  const last = entries.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const sameKind = templateEntries.filter((entry) => entry.kind === first.kind);
  const firstPosition = sameKind.indexOf(first);
  const lastPosition = sameKind.indexOf(last);
  return {
    lines: lines.slice(start, end).map((line) => line.text),
    number: Math.min(...entries.map((entry) => entry.number)),
    kind: first.kind,
    precedingFileNames: sameKind
      .slice(0, Math.max(0, firstPosition))
      .reverse()
      .map((entry) => entry.expandedFileName),
    followingFileNames: sameKind.slice(lastPosition + 1).map((entry) => entry.expandedFileName),
  };
}

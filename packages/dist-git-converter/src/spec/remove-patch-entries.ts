import { editSpecLines } from './edit-spec-lines';
import type { SpecLineEdit } from './edit-spec-lines';
import { findPatchEntries } from './find-patch-entries';
import type { SpecPatchEntry } from './find-patch-entries';
import { parseSpec } from './parse-spec';
import type { SpecDocument } from './spec-document';

/**
 * Removes the `Patch` tags and `%patchlist` lines the predicate selects, each with the comment
 * block directly above it — what `init` writes into `.distro/` (docs/converter-behaviour.md §5.3 step 4).
 * An `%if…%endif` left with nothing but blank lines is removed with the comment above it, and the
 * blank lines around each removed block collapse into at most one. All other bytes are kept.
 *
 * @example
 * removePatchEntries('Source: a.tar.gz\n\n# Fix\nPatch1: fix.patch\n\nProvides: x\n', () => true)
 * // 'Source: a.tar.gz\n\nProvides: x\n'
 */
export function removePatchEntries(text: string, predicate: (entry: SpecPatchEntry) => boolean): string {
  const document = parseSpec(text);
  const selected = findPatchEntries(document).filter((entry) => predicate(entry));
  return selected.length === 0 ? text : removeEntriesFromDocument(document, selected);
}

/** {@link removePatchEntries} for entries of an already parsed document; returns the new text. */
export function removeEntriesFromDocument(
  document: SpecDocument,
  entries: readonly SpecPatchEntry[],
): string {
  const removed = planPatchRemoval(document, entries);
  const edits: SpecLineEdit[] = [];
  for (let index = 0; index < removed.length; index++) {
    if (!removed[index]) continue;
    let end = index;
    while (removed[end + 1] === true) end++;
    edits.push({ start: index, deleteCount: end - index + 1, insert: [] });
    index = end;
  }
  return editSpecLines(document, edits);
}

/**
 * Which lines removing `entries` deletes (true = removed): the entries with their comment blocks,
 * `%if` blocks emptied by that, and the blank lines that collapse around them.
 */
export function planPatchRemoval(document: SpecDocument, entries: readonly SpecPatchEntry[]): boolean[] {
  const { lines } = document;
  const removed: boolean[] = lines.map(() => false);
  for (const entry of entries) {
    for (let index = entry.commentStartIndex; index < entry.endLineIndex; index++) removed[index] = true;
  }
  removeEmptiedConditionals(document, removed);

  for (let start = 0; start < lines.length; start++) {
    if (!removed[start] && lines[start]?.kind !== 'blank') continue;
    let end = start;
    let touched = false;
    while (end < lines.length && (removed[end] === true || lines[end]?.kind === 'blank')) {
      if (removed[end]) touched = true;
      end++;
    }
    if (touched) {
      let keptBlank = false;
      for (let index = start; index < end; index++) {
        if (removed[index]) continue;
        if (keptBlank) removed[index] = true;
        keptBlank = true;
      }
    }
    start = end;
  }
  return removed;
}

function removeEmptiedConditionals(document: SpecDocument, removed: boolean[]): void {
  const { lines } = document;
  const open: number[] = [];
  for (const line of lines) {
    if (line.kind !== 'conditional') continue;
    if (line.conditional?.startsWith('if')) {
      open.push(line.index);
      continue;
    }
    if (line.conditional !== 'endif') continue;
    const start = open.pop();
    if (start === undefined) continue;
    let touched = false;
    let empty = true;
    for (let index = start + 1; index < line.index && empty; index++) {
      const inner = lines[index];
      if (removed[index]) touched = true;
      else if (inner?.kind === 'blank') continue;
      else if (
        inner?.kind === 'conditional' &&
        inner.conditions.length === (lines[start]?.conditions.length ?? 0)
      )
        continue;
      else empty = false;
    }
    if (!touched || !empty) continue;
    for (let index = start; index <= line.index; index++) removed[index] = true;
    for (let index = start - 1; index >= 0 && lines[index]?.kind === 'comment'; index--)
      removed[index] = true;
  }
}

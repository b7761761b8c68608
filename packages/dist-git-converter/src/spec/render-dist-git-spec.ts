import { alignTagSeparator } from './align-tag-separator';
import { assertValidSpec } from './assert-valid-spec';
import { assignPatchNumbers } from './assign-patch-numbers';
import type { PatchNumberRequest } from './assign-patch-numbers';
import { editSpecLines } from './edit-spec-lines';
import type { SpecLineEdit } from './edit-spec-lines';
import { findPatchEntries } from './find-patch-entries';
import type { SpecPatchEntry } from './find-patch-entries';
import { findPatchInsertionIndex, indexAfterEntry, indexBeforeEntry } from './find-patch-insertion-index';
import { mergeSpecTemplate } from './merge-spec-template';
import type { DisplacedPatchBlock } from './merge-spec-template';
import { parseSpec } from './parse-spec';
import { planPatchInsertions } from './plan-patch-insertions';
import { planPrepPatchLines } from './plan-prep-patch-lines';
import { removeEntriesFromDocument } from './remove-patch-entries';
import { renderPatchComment } from './render-patch-comment';
import type { SpecDocument } from './spec-document';
import type {
  RenderDistGitSpecInput,
  RenderDistGitSpecResult,
  SpecPatch,
  SpecPatchChange,
} from './spec-patch';

/**
 * Produces the dist-git spec: the `.distro` spec with an entry for every generated patch, using
 * the previous dist-git spec as the template so that nothing churns.
 *
 * 1. Entries written in `distroSpec` (hand-written patches) are spec content and stay as they are.
 * 2. "Managed" entries are those of `previousDistGitSpec` whose file `distroSpec` does not
 *    reference. The packager's changes (previous minus managed → `distroSpec`) are carried over to
 *    the previous spec by a three-way line merge, so managed entries keep their exact bytes
 *    (comment block, tag name, separator, blank lines). Where the packager's change overlaps a
 *    managed block, `distroSpec` wins and the block is placed again by the rule of
 *    docs/converter-behaviour.md §2.8.
 * 3. Managed entries whose file is no longer generated are removed; patches not yet referenced are
 *    added in order (`addPatchEntry` rules); a comment is replaced only when `commentIsExplicit`
 *    and the rendered text differs; `presentInSpec` patches are not touched; numbers follow
 *    `assignPatchNumbers` (requested ids, ascending in application order, existing numbers kept).
 *
 * 4. `%prep` applies every generated patch (`planPrepPatchLines`): an explicit `%patch` line is
 *    added in the file's style for a patch `%prep` does not apply, the line of a patch no entry
 *    declares any more is removed, and a patch the build cannot be made to apply is a warning.
 *
 * If `distroSpec` equals `removePatchEntries(previousDistGitSpec, managed)` and the patches name
 * the same files in the same order, the result is `previousDistGitSpec` byte for byte.
 *
 * @throws {ConverterError} `SPEC_INVALID` (path and line) for a spec rpm would reject or without
 *   `Name`; `PATCH_ID_TOO_LOW` for a requested id that would re-order patches.
 */
export function renderDistGitSpec(input: RenderDistGitSpecInput): RenderDistGitSpecResult {
  const distro = parseSpec(input.distroSpec);
  assertValidSpec(distro, input.specPath);
  const distroNames = new Set(findPatchEntries(distro).map((entry) => entry.expandedFileName));

  let text = input.distroSpec;
  let displaced: readonly DisplacedPatchBlock[] = [];
  let managedNames = new Set<string>();
  if (input.previousDistGitSpec !== undefined) {
    const previous = parseSpec(input.previousDistGitSpec);
    assertValidSpec(previous, input.previousSpecPath ?? `dist-git ${fileNameOf(input.specPath)}`);
    const previousEntries = findPatchEntries(previous);
    const managed = previousEntries.filter((entry) => !distroNames.has(entry.expandedFileName));
    managedNames = new Set(managed.map((entry) => entry.expandedFileName));
    ({ text, displaced } = mergeSpecTemplate(previous, previousEntries, managed, distro));
  }
  let document = text === input.distroSpec ? distro : parseSpec(text);
  ({ text, document } = placeDisplacedBlocks(text, document, displaced));

  const wanted = new Set(input.patches.map((patch) => patch.fileName));
  const obsolete = findPatchEntries(document).filter(
    (entry) => managedNames.has(entry.expandedFileName) && !wanted.has(entry.expandedFileName),
  );
  if (obsolete.length > 0) {
    text = removeEntriesFromDocument(document, obsolete);
    document = parseSpec(text);
  }

  const entries = findPatchEntries(document);
  const byName = new Map<string, SpecPatchEntry>();
  for (const entry of entries)
    if (!byName.has(entry.expandedFileName)) byName.set(entry.expandedFileName, entry);
  const series = input.patches.filter((patch) => !patch.presentInSpec && !distroNames.has(patch.fileName));
  const seriesEntries = series.map((patch) => byName.get(patch.fileName));
  const inSeries = new Set(seriesEntries);
  const requests: PatchNumberRequest[] = series.map((patch, index) => {
    const entry = seriesEntries[index];
    return {
      fileName: patch.fileName,
      id: patch.id,
      current: entry?.number,
      renumberable: entry === undefined || (entry.kind === 'tag' && entry.numberIsExplicit),
    };
  });
  const fixed = entries.filter((entry) => !inSeries.has(entry)).map((entry) => entry.number);
  const numbers = assignPatchNumbers(requests, fixed, input.specPath);

  const outcome = new Map<SpecPatch, SpecPatchChange>();
  const edits: SpecLineEdit[] = [];
  const retiredNumbers = new Set(obsolete.map((entry) => entry.number));
  for (const [index, patch] of series.entries()) {
    const entry = seriesEntries[index];
    const number = numbers[index] as number;
    if (entry === undefined) continue;
    let change: SpecPatchChange = {
      fileName: patch.fileName,
      tag: entry.tagName,
      number: entry.number,
      action: 'kept',
    };
    if (patch.commentIsExplicit) {
      const comment = renderPatchComment(patch.comment);
      if (!sameLines(comment, entry.commentLines)) {
        edits.push({
          start: entry.commentStartIndex,
          deleteCount: entry.lineIndex - entry.commentStartIndex,
          insert: comment,
        });
        change = { ...change, action: 'comment-updated' };
      }
    }
    if (entry.tag !== undefined && entry.numberIsExplicit && number !== entry.number) {
      const { name, line } = renumberedTag(entry, number);
      edits.push({ start: entry.lineIndex, deleteCount: 1, insert: [line] });
      retiredNumbers.add(entry.number);
      change = { ...change, tag: name, number, action: 'renumbered' };
    }
    outcome.set(patch, change);
  }
  if (edits.length > 0) {
    text = editSpecLines(document, edits);
    document = parseSpec(text);
  }

  const additions = series.flatMap((patch, index) =>
    seriesEntries[index] === undefined
      ? [{ fileName: patch.fileName, number: numbers[index] as number, comment: patch.comment }]
      : [],
  );
  if (additions.length > 0) {
    text = editSpecLines(
      document,
      planPatchInsertions(document, findPatchEntries(document), additions, input.digits),
    );
    document = parseSpec(text);
  }

  const finalEntries = new Map<string, SpecPatchEntry>();
  for (const entry of findPatchEntries(document)) {
    if (!finalEntries.has(entry.expandedFileName)) finalEntries.set(entry.expandedFileName, entry);
  }
  const prepLines = planPrepPatchLines(document, {
    specPath: input.specPath,
    patches: series.flatMap((patch) => {
      const entry = finalEntries.get(patch.fileName);
      return entry === undefined ? [] : [{ fileName: patch.fileName, number: entry.number }];
    }),
    retiredNumbers,
  });
  if (prepLines.edits.length > 0) text = editSpecLines(document, prepLines.edits);

  const added = new Set(additions.map((addition) => addition.fileName));
  const changes: SpecPatchChange[] = input.patches.map((patch) => {
    const known = outcome.get(patch);
    if (known !== undefined) return known;
    const entry = finalEntries.get(patch.fileName);
    if (added.has(patch.fileName) && entry !== undefined) {
      return { fileName: patch.fileName, tag: entry.tagName, number: entry.number, action: 'added' };
    }
    return {
      fileName: patch.fileName,
      tag: entry?.tagName ?? '',
      number: entry?.number,
      action: patch.presentInSpec ? 'present-in-spec' : 'kept',
    };
  });
  for (const entry of obsolete) {
    changes.push({
      fileName: entry.expandedFileName,
      tag: entry.tagName,
      number: entry.number,
      action: 'removed',
    });
  }
  return { text, changes, warnings: prepLines.warnings };
}

/**
 * Puts blocks the merge could not keep in place back: after the nearest entry that preceded them
 * in the template and is still there, else before the nearest one that followed them, else by the
 * §2.8 rule — so the order of entries (and with it rpm's implicit numbers) is kept.
 */
function placeDisplacedBlocks(
  text: string,
  document: SpecDocument,
  displaced: readonly DisplacedPatchBlock[],
): { text: string; document: SpecDocument } {
  for (const block of displaced) {
    const hasList = document.sections.some((section) => section.keyword === 'patchlist');
    // List lines need their %patchlist section; without it their patches are added again as tags.
    if (block.kind === 'patchlist' && !hasList) continue;
    const entries = findPatchEntries(document).filter((entry) => entry.kind === block.kind);
    const byName = new Map(entries.map((entry) => [entry.expandedFileName, entry]));
    const preceding = block.precedingFileNames
      .map((name) => byName.get(name))
      .find((entry) => entry !== undefined);
    const following = block.followingFileNames
      .map((name) => byName.get(name))
      .find((entry) => entry !== undefined);
    const lineIndex =
      preceding !== undefined
        ? indexAfterEntry(document, preceding)
        : following !== undefined
          ? indexBeforeEntry(document, following)
          : findPatchInsertionIndex(document, entries, block.number, block.kind).lineIndex;
    text = editSpecLines(document, [{ start: lineIndex, deleteCount: 0, insert: block.lines }]);
    document = parseSpec(text);
  }
  return { text, document };
}

function renumberedTag(entry: SpecPatchEntry, number: number): { name: string; line: string } {
  const tag = entry.tag;
  if (tag === undefined) return { name: entry.tagName, line: entry.fileName };
  const name = tag.baseName + String(number).padStart(entry.width, '0');
  const separator = alignTagSeparator(tag.separator, tag.name.length, name.length);
  return { name, line: name + tag.qualifier + separator + tag.value };
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}

function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

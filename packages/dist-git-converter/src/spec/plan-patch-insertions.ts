import { alignTagSeparator } from './align-tag-separator';
import type { SpecLineEdit } from './edit-spec-lines';
import type { SpecPatchEntry } from './find-patch-entries';
import { indexAfterEntry, indexBeforeEntry, placementWithoutPatchTags } from './find-patch-insertion-index';
import type { PatchInsertion } from './find-patch-insertion-index';
import { renderPatchComment } from './render-patch-comment';
import type { SpecDocument } from './spec-document';

/** A new entry with its number already decided. */
export interface PatchInsertionItem {
  readonly fileName: string;
  readonly number: number;
  readonly comment: string | undefined;
}

/** What a new tag copies from its reference tag. */
interface TagStyle {
  readonly baseName: string;
  readonly numbered: boolean;
  readonly width: number;
  readonly separator: string;
  readonly nameLength: number;
}

/** An entry planned in this batch: its lines go into `slots[slot]` (before original line `slot`). */
interface Planned {
  readonly number: number;
  readonly style: TagStyle | undefined;
  readonly lines: readonly string[];
  readonly slot: number;
}

type Candidate =
  | { readonly number: number; readonly original: SpecPatchEntry; readonly planned?: undefined }
  | { readonly number: number; readonly original?: undefined; readonly planned: Planned };

/**
 * Plans the insertion of several entries, in order, as if each were added to the spec the previous
 * ones produced (the docs/converter-behaviour.md §2.8 rules of `addPatchEntry`), but against the one parsed
 * document: entries planned earlier count as neighbours and references. Returns line edits for
 * `editSpecLines`; the cost is linear in the spec plus the number of entries, so thousands of patches are
 * cheap.
 */
export function planPatchInsertions(
  document: SpecDocument,
  entries: readonly SpecPatchEntry[],
  items: readonly PatchInsertionItem[],
  digits: number,
): SpecLineEdit[] {
  const slots = new Map<number, Planned[]>();
  const list = document.sections.findLast((section) => section.keyword === 'patchlist');
  const originals = entries.filter((entry) =>
    list === undefined
      ? entry.kind === 'tag' && entry.section.isMainPreamble
      : entry.kind === 'patchlist' && entry.section === list,
  );
  const planned: Planned[] = [];
  let withoutTags: PatchInsertion | undefined;

  for (const item of items) {
    let slot: number;
    let position: number;
    let line: string;
    let style: TagStyle | undefined;
    if (list !== undefined) {
      ({ slot, position } = afterLastListEntry(
        originals,
        planned,
        slots,
        list.headerLineIndex ?? list.startLineIndex,
      ));
      line = item.fileName;
    } else {
      const closest = closestCandidate(originals, planned, slots, item.number);
      let reference: TagStyle | undefined;
      if (closest === undefined) {
        withoutTags ??= placementWithoutPatchTags(document);
        slot = withoutTags.lineIndex;
        position = 0;
      } else if (closest.original !== undefined) {
        const after = closest.number <= item.number;
        slot = after
          ? indexAfterEntry(document, closest.original)
          : indexBeforeEntry(document, closest.original);
        position = after ? 0 : (slots.get(slot)?.length ?? 0);
        reference = styleOf(closest.original);
      } else {
        slot = closest.planned.slot;
        const at = (slots.get(slot) ?? []).indexOf(closest.planned);
        position = closest.number <= item.number ? at + 1 : at;
        reference = closest.planned.style;
      }
      ({ line, style } = tagLine(item, reference, withoutTags, digits));
    }
    const entry: Planned = {
      number: item.number,
      style,
      lines: [...renderPatchComment(item.comment), line],
      slot,
    };
    const inSlot = slots.get(slot) ?? [];
    inSlot.splice(position, 0, entry);
    slots.set(slot, inSlot);
    planned.push(entry);
  }

  return [...slots].map(([start, inSlot]) => ({
    start,
    deleteCount: 0,
    insert: inSlot.flatMap((entry) => entry.lines),
  }));
}

function styleOf(entry: SpecPatchEntry): TagStyle | undefined {
  const tag = entry.tag;
  if (tag === undefined) return undefined;
  return {
    baseName: tag.baseName,
    numbered: tag.number !== undefined,
    width: entry.width,
    separator: tag.separator,
    nameLength: tag.name.length + tag.qualifier.length,
  };
}

function tagLine(
  item: PatchInsertionItem,
  reference: TagStyle | undefined,
  withoutTags: PatchInsertion | undefined,
  digits: number,
): { line: string; style: TagStyle } {
  let name: string;
  let separator = ': ';
  if (reference !== undefined) {
    name = reference.numbered
      ? reference.baseName + String(item.number).padStart(reference.width, '0')
      : reference.baseName;
    separator = alignTagSeparator(reference.separator, reference.nameLength, name.length);
  } else {
    name = digits === 0 ? 'Patch' : `Patch${String(item.number).padStart(digits, '0')}`;
    const source = withoutTags?.referenceSource?.tag;
    if (source !== undefined) {
      separator = alignTagSeparator(
        source.separator,
        source.name.length + source.qualifier.length,
        name.length,
      );
    }
  }
  const written = name.slice('Patch'.length);
  return {
    line: name + separator + item.fileName,
    style: {
      baseName: reference?.baseName ?? 'Patch',
      numbered: written !== '',
      width: written.startsWith('0') ? written.length : 0,
      separator,
      nameLength: name.length,
    },
  };
}

/** Document order: original line `L` sorts after everything planned in slot `L`. */
function orderOf(
  candidate: Candidate,
  slots: ReadonlyMap<number, readonly Planned[]>,
): [number, number, number] {
  if (candidate.original !== undefined) return [candidate.original.lineIndex, 1, 0];
  const slot = candidate.planned.slot;
  return [slot, 0, (slots.get(slot) ?? []).indexOf(candidate.planned)];
}

function isLater(a: [number, number, number], b: [number, number, number]): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];
}

/** Like `closestPatchEntry`: the lower number wins a tie, the later entry among equal numbers. */
function closestCandidate(
  originals: readonly SpecPatchEntry[],
  planned: readonly Planned[],
  slots: ReadonlyMap<number, readonly Planned[]>,
  number: number,
): Candidate | undefined {
  let best: Candidate | undefined;
  const consider = (candidate: Candidate): void => {
    if (best === undefined) {
      best = candidate;
      return;
    }
    const distance = Math.abs(candidate.number - number);
    const bestDistance = Math.abs(best.number - number);
    if (
      distance < bestDistance ||
      (distance === bestDistance &&
        (candidate.number < best.number ||
          (candidate.number === best.number && isLater(orderOf(candidate, slots), orderOf(best, slots)))))
    ) {
      best = candidate;
    }
  };
  for (const original of originals) consider({ number: original.number, original });
  for (const entry of planned) consider({ number: entry.number, planned: entry });
  return best;
}

/** After the last list entry; every entry planned in list mode was appended last, so the newest one is last. */
function afterLastListEntry(
  originals: readonly SpecPatchEntry[],
  planned: readonly Planned[],
  slots: ReadonlyMap<number, readonly Planned[]>,
  headerLineIndex: number,
): { slot: number; position: number } {
  const lastPlanned = planned.at(-1);
  if (lastPlanned !== undefined) {
    return { slot: lastPlanned.slot, position: (slots.get(lastPlanned.slot) ?? []).indexOf(lastPlanned) + 1 };
  }
  return { slot: originals.at(-1)?.endLineIndex ?? headerLineIndex + 1, position: 0 };
}

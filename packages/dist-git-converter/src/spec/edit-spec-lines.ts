import type { SpecDocument, SpecEol } from './spec-document';

/** Replace `deleteCount` lines starting at `start` with `insert` (texts without line endings). */
export interface SpecLineEdit {
  /** 0-based line index; insertions go before this line (`lines.length` appends). */
  readonly start: number;
  readonly deleteCount: number;
  readonly insert: readonly string[];
}

/**
 * Applies non-overlapping line edits to a document and returns the new text. Untouched lines keep
 * their bytes; inserted lines get the document's line ending; a file that ended without a newline
 * still does.
 */
export function editSpecLines(document: SpecDocument, edits: readonly SpecLineEdit[]): string {
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.start - b.edit.start || a.order - b.order)
    .map(({ edit }) => edit);
  const out: { text: string; eol: SpecEol }[] = [];
  const { lines } = document;
  let position = 0;
  for (const edit of sorted) {
    if (edit.start < position) throw new RangeError(`overlapping spec edits at line ${edit.start + 1}`);
    for (; position < edit.start; position++) {
      const line = lines[position];
      if (line !== undefined) out.push({ text: line.text, eol: line.eol });
    }
    for (const text of edit.insert) out.push({ text, eol: document.eol });
    position = edit.start + edit.deleteCount;
  }
  for (; position < lines.length; position++) {
    const line = lines[position];
    if (line !== undefined) out.push({ text: line.text, eol: line.eol });
  }

  const endsWithoutNewline = lines.at(-1)?.eol === '';
  let text = '';
  for (let i = 0; i < out.length; i++) {
    const line = out[i] as { text: string; eol: SpecEol };
    const last = i === out.length - 1;
    const eol = last && endsWithoutNewline ? '' : line.eol === '' ? document.eol : line.eol;
    text += line.text + eol;
  }
  return text;
}

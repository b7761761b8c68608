import { expandMacros } from './expand-macros';
import type { SpecCondition, SpecDocument, SpecLine, SpecSection, SpecTag } from './spec-document';

/** A `Patch` tag or a `%patchlist` line, with everything needed to edit or move it. */
export interface SpecPatchEntry {
  readonly kind: 'tag' | 'patchlist';
  /** 0-based index of the tag / list line. */
  readonly lineIndex: number;
  /** 0-based index one past the entry's last physical line (continuation lines included). */
  readonly endLineIndex: number;
  /** 0-based index of the first line of the comment block above; `lineIndex` when there is none. */
  readonly commentStartIndex: number;
  /** The comment lines directly above the entry (no blank line in between), as written. */
  readonly commentLines: readonly string[];
  /** The tag name as written (`Patch0007`, `Patch`), or `%patchlist` for list lines. */
  readonly tagName: string;
  /** The number rpm gives the patch: the written one, or the implicit one rpm assigns. */
  readonly number: number;
  /** False for `Patch:` without a number and for `%patchlist` lines. */
  readonly numberIsExplicit: boolean;
  /** Digit width new tags copy from this one: the written digits' length when they start with `0`, else 0. */
  readonly width: number;
  /** The file name as written (trimmed). */
  readonly fileName: string;
  /** The file name with the spec's simple macros expanded (`%{name}-fix.patch` → `curl-fix.patch`). */
  readonly expandedFileName: string;
  /** The `%if…` blocks around the entry, outermost first. */
  readonly conditions: readonly SpecCondition[];
  readonly section: SpecSection;
  /** The parsed tag for `tag` entries. */
  readonly tag: SpecTag | undefined;
}

interface NumberingFrame {
  readonly start: number;
  max: number;
}

/**
 * Every `Patch` tag (in any `%package` preamble) and every `%patchlist` line, in file order, with
 * the number rpm gives it. Unnumbered `Patch:` tags and `%patchlist` lines are numbered as rpm
 * does: one past the highest number seen so far (0 for the first). Inside `%if`/`%else` branches
 * each branch starts from the number before the `%if`, and after `%endif` numbering continues
 * after the highest branch (rpm evaluates the condition; this is the static approximation).
 *
 * @example
 * findPatchEntries(parseSpec('Name: x\n# fix\nPatch: a.patch\n')).map((e) => [e.number, e.commentLines])
 * // [[0, ['# fix']]]
 */
export function findPatchEntries(document: SpecDocument): SpecPatchEntry[] {
  const entries: SpecPatchEntry[] = [];
  const { lines } = document;
  const frames: NumberingFrame[] = [];
  let next = 0;
  for (const line of lines) {
    if (line.kind === 'conditional') {
      next = advanceNumbering(line, frames, next);
      continue;
    }
    const isPatchTag = line.kind === 'tag' && line.tag?.baseName.toLowerCase() === 'patch';
    const isListEntry = line.kind === 'list-entry' && line.section.keyword === 'patchlist';
    if (!isPatchTag && !isListEntry) continue;

    const tag = isPatchTag ? line.tag : undefined;
    const explicit = tag?.number;
    const number = explicit ?? next;
    if (number >= next) next = number + 1;
    const fileName = (tag === undefined ? line.text : tag.value).trim();
    let commentStartIndex = line.index;
    while (commentStartIndex > 0 && lines[commentStartIndex - 1]?.kind === 'comment') commentStartIndex--;
    let endLineIndex = line.index + 1;
    while (lines[endLineIndex]?.continues === line.index) endLineIndex++;
    entries.push({
      kind: tag === undefined ? 'patchlist' : 'tag',
      lineIndex: line.index,
      endLineIndex,
      commentStartIndex,
      commentLines: lines.slice(commentStartIndex, line.index).map((comment) => comment.text),
      tagName: tag === undefined ? '%patchlist' : tag.name,
      number,
      numberIsExplicit: explicit !== undefined,
      width: tag !== undefined && tag.digits.startsWith('0') ? tag.digits.length : 0,
      fileName,
      expandedFileName: expandMacros(fileName, document.macros, { where: `spec line ${line.index + 1}` }),
      conditions: line.conditions,
      section: line.section,
      tag,
    });
  }
  return entries;
}

function advanceNumbering(line: SpecLine, frames: NumberingFrame[], next: number): number {
  switch (line.conditional) {
    case 'if':
    case 'ifarch':
    case 'ifnarch':
    case 'ifos':
    case 'ifnos':
      frames.push({ start: next, max: next });
      return next;
    case 'else':
    case 'elif':
    case 'elifarch':
    case 'elifos': {
      const top = frames.at(-1);
      if (top === undefined) return next;
      top.max = Math.max(top.max, next);
      return top.start;
    }
    case 'endif': {
      const top = frames.pop();
      return top === undefined ? next : Math.max(top.max, next);
    }
    case undefined:
      return next;
  }
}

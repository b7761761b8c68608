/**
 * @module
 * `markdownPlainLines`: the lines of a Markdown comment that GitLab shows as plain text — where a
 * command may be written — and not as code, a quotation or a hidden comment.
 */
import { findHtmlComments } from '../templates/html-comments';

/** A fenced code block being read: its fence character and length, and where it was opened. */
interface OpenFence {
  readonly char: '`' | '~';
  readonly length: number;
  /** `true` when opened after a list marker: then any line holding only the fence closes it. */
  readonly inListItem: boolean;
}

/** Where the previous line left the scan. */
type Block = 'none' | 'paragraph' | 'quote' | 'indented-code' | 'raw-html';

/** HTML blocks whose content is shown as is (CommonMark HTML block type 1). */
const RAW_HTML_TAGS = ['pre', 'script', 'style', 'textarea'] as const;

/**
 * The plain lines of `body` (each without its indentation), in order. Left out, following
 * CommonMark and erring towards leaving out:
 * - fenced code blocks: a fence of 3 or more `` ` `` or `~` indented by up to 3 spaces (an info
 *   string allowed; a backtick fence's info string has no backtick), or after a list marker, up to
 *   a closing fence of the same character at least as long, or to the end of the comment;
 * - indented code blocks: lines indented by 4 or more columns (a tab counts to the next multiple
 *   of 4) that do not continue a paragraph, with the blank lines among them;
 * - block quotes: lines starting with `>` (after up to 3 spaces), and the lines after them up to
 *   the next blank line (lazy continuation);
 * - `<pre>`, `<script>`, `<style>` and `<textarea>` blocks, up to their closing tag's line;
 * - every line that holds any part of an HTML comment.
 *
 * One pass over the comment: linear in its length, whatever it holds.
 *
 * @example
 * markdownPlainLines('Hi\n```\n/srcgit retest\n```\n> /srcgit retest\n/srcgit help');
 * // ['Hi', '/srcgit help']
 */
export function markdownPlainLines(body: string): string[] {
  const rawLines = body.split('\n');
  const hidden = linesInHtmlComments(body, rawLines);
  const lines = rawLines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const plain: string[] = [];
  let fence: OpenFence | null = null;
  let rawHtmlEnd: string | null = null;
  let block: Block = 'none';
  lines.forEach((line, index) => {
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      return;
    }
    if (block === 'raw-html') {
      if (line.toLowerCase().includes(rawHtmlEnd ?? '')) block = 'none';
      return;
    }
    if (line.trim() === '') {
      if (block !== 'indented-code') block = 'none';
      return;
    }
    const indent = indentation(line);
    if (indent >= 4 && block !== 'paragraph' && block !== 'quote') {
      block = 'indented-code';
      return;
    }
    const content = line.trimStart();
    const opened = indent >= 4 ? null : openedFence(content);
    if (opened !== null) {
      fence = opened;
      block = 'none';
      return;
    }
    if (block === 'quote' || (indent < 4 && content.startsWith('>'))) {
      block = 'quote';
      return;
    }
    const rawHtml = indent >= 4 ? undefined : RAW_HTML_TAGS.find((tag) => opensRawHtml(content, tag));
    if (rawHtml !== undefined) {
      rawHtmlEnd = `</${rawHtml}>`;
      block = line.toLowerCase().includes(rawHtmlEnd) ? 'none' : 'raw-html';
      return;
    }
    // A line holding a comment may start an HTML block, which no indented line continues.
    if (hidden[index] === true) {
      block = 'none';
      return;
    }
    block = 'paragraph';
    plain.push(content.trimEnd());
  });
  return plain;
}

/** Which of the lines of `body` (split at `\n`, `rawLines`) hold any part of an HTML comment. */
function linesInHtmlComments(body: string, rawLines: readonly string[]): boolean[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of rawLines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const hidden = rawLines.map(() => false);
  let line = 0;
  for (const comment of findHtmlComments(body)) {
    while (line + 1 < starts.length && (starts[line + 1] ?? Infinity) <= comment.start) line += 1;
    hidden[line] = true;
    while (line + 1 < starts.length && (starts[line + 1] ?? Infinity) < comment.end) {
      line += 1;
      hidden[line] = true;
    }
  }
  return hidden;
}

/** The indentation of `line` in columns (a tab advances to the next multiple of 4). */
function indentation(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === ' ') columns += 1;
    else if (char === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

/** The fence `content` (a line without its indentation) opens, if any. */
function openedFence(content: string): OpenFence | null {
  const listMarker = /^(?:[-+*]|\d{1,9}[.)])[ \t]+/.exec(content);
  const rest = listMarker === null ? content : content.slice(listMarker[0].length).trimStart();
  const char = rest[0];
  if (char !== '`' && char !== '~') return null;
  let length = 0;
  while (rest[length] === char) length += 1;
  if (length < 3) return null;
  if (char === '`' && rest.slice(length).includes('`')) return null;
  return { char, length, inListItem: listMarker !== null };
}

/** Whether `line` closes `fence`: only the fence character, at least as many, and blanks. */
function closesFence(line: string, fence: OpenFence): boolean {
  if (!fence.inListItem && indentation(line) >= 4) return false;
  const content = line.trim();
  if (content.length < fence.length) return false;
  for (const char of content) if (char !== fence.char) return false;
  return true;
}

/** Whether `content` starts an HTML block of `tag` whose content is shown as is. */
function opensRawHtml(content: string, tag: string): boolean {
  const start = `<${tag}`;
  if (content.slice(0, start.length).toLowerCase() !== start) return false;
  const after = content[start.length];
  return after === undefined || after === '>' || after === ' ' || after === '\t';
}

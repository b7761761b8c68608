/** One trailer of a commit message, as `git interpret-trailers` reads it. */
export interface Trailer {
  /** The token, trimmed (e.g. `Patch-name`). Case is kept; git compares tokens case-insensitively. */
  readonly token: string;
  /**
   * The value, trimmed, with continuation lines kept as written (newline + indentation), as
   * `git interpret-trailers --only-trailers` prints it.
   */
  readonly value: string;
  /** The value with continuation lines joined by single spaces (`--unfold`, as `--parse` prints it). */
  readonly unfoldedValue: string;
}

const COMMENT = '#';
const SEPARATORS = ':';
/** Trailers git itself writes; their presence lowers the bar for a trailer block (25 % rule). */
const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', '(cherry picked from commit '];
const CUT_LINE = `${COMMENT} ------------------------ >8 ------------------------\n`;

/**
 * Reads the trailers of a commit message with git's rules (trailer.c of git 2.39, default
 * configuration): the message ends at a `---` divider line; trailing comments and blank lines are
 * ignored; the trailer block is the last paragraph (never the title paragraph) if all its lines
 * are trailers or continuation lines, or if at least 25 % are and one is git-generated
 * (`Signed-off-by: `, `(cherry picked from commit `); a trailer line is a token of letters, digits
 * and `-` (optionally followed by blanks) and `:`; lines starting with whitespace continue the
 * previous trailer. One pass in memory, no git process.
 *
 * @example
 * ```ts
 * parseTrailers('Fix\n\nBody.\n\nPatch-name: fix.patch\nSigned-off-by: A <a@b>\n');
 * // [{ token: 'Patch-name', value: 'fix.patch', … }, { token: 'Signed-off-by', … }]
 * ```
 */
export function parseTrailers(message: string): Trailer[] {
  const patchStart = findPatchStart(message);
  const trailerEnd = patchStart - ignoredTrailingBytes(message, patchStart);
  const trailerStart = findTrailerStart(message, trailerEnd);

  const lines = splitKeepingNewlines(message.slice(trailerStart, trailerEnd));
  const entries: string[] = [];
  let lastIsTrailer = false;
  for (const line of lines) {
    if (lastIsTrailer && isSpace(line[0])) {
      entries[entries.length - 1] += line;
      continue;
    }
    entries.push(line);
    lastIsTrailer = findSeparator(line) >= 1;
  }

  const trailers: Trailer[] = [];
  for (const entry of entries) {
    if (entry.startsWith(COMMENT)) continue;
    const separator = findSeparator(entry);
    if (separator < 1) continue;
    const token = trimSpace(entry.slice(0, separator));
    const value = trimSpace(entry.slice(separator + 1));
    trailers.push({ token, value, unfoldedValue: unfold(value) });
  }
  return trailers;
}

/** git's `isspace` (sane ctype): space, tab, newline, carriage return. */
function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function isAlnum(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  return text.slice(start, end);
}

function nextLine(text: string, position: number): number {
  const newline = text.indexOf('\n', position);
  return newline === -1 ? text.length : newline + 1;
}

/** Start of the last line of `text[0, length)`, or -1 when length is 0. */
function lastLine(text: string, length: number): number {
  if (length === 0) return -1;
  if (length === 1) return 0;
  for (let index = length - 2; index >= 0; index--) {
    if (text[index] === '\n') return index + 1;
  }
  return 0;
}

function isBlankLine(text: string, position: number): boolean {
  let index = position;
  while (index < text.length && text[index] !== '\n' && isSpace(text[index])) index++;
  return index >= text.length || text[index] === '\n';
}

/** The first line that starts with `---` followed by whitespace ends the message (patch divider). */
function findPatchStart(text: string): number {
  for (let position = 0; position < text.length; position = nextLine(text, position)) {
    if (text.startsWith('---', position) && isSpace(text[position + 3])) return position;
  }
  return text.length;
}

/** Position of the separator of a `<token>[blanks]:` line, 0 if the line starts with it, else -1. */
function findSeparator(line: string): number {
  let whitespaceFound = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (SEPARATORS.includes(char)) return index;
    if (!whitespaceFound && (isAlnum(char) || char === '-')) continue;
    if (index !== 0 && (char === ' ' || char === '\t')) {
      whitespaceFound = true;
      continue;
    }
    break;
  }
  return -1;
}

/** git's `wt_status_locate_end`: where a `# --- >8 ---` scissors line cuts the message. */
function locateEnd(text: string, length: number): number {
  if (text.startsWith(CUT_LINE)) return 0;
  const found = text.indexOf(`\n${CUT_LINE}`);
  return found !== -1 && found + 1 < length ? found + 1 : length;
}

/** git's `ignore_non_trailer`: the length of trailing comments, blank lines and a `Conflicts:` block. */
function ignoredTrailingBytes(text: string, length: number): number {
  let beginningOfComments = 0;
  let lineStart = 0;
  let inConflictsBlock = false;
  const cutoff = locateEnd(text, length);
  while (lineStart < cutoff) {
    const newline = text.indexOf('\n', lineStart);
    const next = newline === -1 || newline >= length ? length : newline + 1;
    const first = text[lineStart];
    if (first === COMMENT || first === '\n') {
      if (beginningOfComments === 0) beginningOfComments = lineStart;
    } else if (text.startsWith('Conflicts:\n', lineStart)) {
      inConflictsBlock = true;
      if (beginningOfComments === 0) beginningOfComments = lineStart;
    } else if (inConflictsBlock && first === '\t') {
      // a path of the conflicts block
    } else if (beginningOfComments !== 0) {
      beginningOfComments = 0;
      inConflictsBlock = false;
    }
    lineStart = next;
  }
  return beginningOfComments !== 0 ? length - beginningOfComments : length - cutoff;
}

/** git's `find_trailer_start`: where the trailer block of `text[0, length)` starts, or `length`. */
function findTrailerStart(text: string, length: number): number {
  let position = 0;
  for (; position < length; position = nextLine(text, position)) {
    if (text[position] === COMMENT) continue;
    if (isBlankLine(text, position)) break;
  }
  const endOfTitle = position;

  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  let possibleContinuationLines = 0;
  for (let line = lastLine(text, length); line >= endOfTitle; line = lastLine(text, line)) {
    if (text[line] === COMMENT) {
      nonTrailerLines += possibleContinuationLines;
      possibleContinuationLines = 0;
      continue;
    }
    if (isBlankLine(text, line)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuationLines;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return nextLine(text, line);
      if (trailerLines > 0 && nonTrailerLines === 0) return nextLine(text, line);
      return length;
    }
    onlySpaces = false;

    if (GIT_GENERATED_PREFIXES.some((prefix) => text.startsWith(prefix, line))) {
      trailerLines++;
      possibleContinuationLines = 0;
      recognizedPrefix = true;
      continue;
    }
    const lineEnd = text.indexOf('\n', line);
    const lineText = text.slice(line, lineEnd === -1 ? text.length : lineEnd);
    const separator = findSeparator(lineText);
    if (separator >= 1 && !isSpace(lineText[0])) {
      trailerLines++;
      possibleContinuationLines = 0;
    } else if (isSpace(lineText[0])) {
      possibleContinuationLines++;
    } else {
      nonTrailerLines++;
      nonTrailerLines += possibleContinuationLines;
      possibleContinuationLines = 0;
    }
    if (line === 0) break;
  }
  return length;
}

function splitKeepingNewlines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const next = nextLine(text, start);
    lines.push(text.slice(start, next));
    start = next;
  }
  return lines;
}

/** git's `unfold_value`: each newline and the whitespace after it become one space. */
function unfold(value: string): string {
  let out = '';
  let index = 0;
  while (index < value.length) {
    const char = value[index++] as string;
    if (char === '\n') {
      while (index < value.length && isSpace(value[index])) index++;
      out += ' ';
    } else {
      out += char;
    }
  }
  return trimSpace(out);
}

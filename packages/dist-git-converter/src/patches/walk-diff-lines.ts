/** What a line of a patch is, as far as the diff structure goes. */
export type DiffLineRole =
  /** Outside any file diff: commit message, diffstat, signature, free text. */
  | 'text'
  /** A `diff …` line starting a file diff. */
  | 'diff-header'
  /** An extended header line (`index`, `new file mode`, `rename from`, …). */
  | 'header'
  /** `--- <old>` of a file header (never a removed line inside a hunk). */
  | 'old-file'
  /** `+++ <new>` of a file header. */
  | 'new-file'
  | 'hunk-header'
  /** A context, removed or added line of a hunk, or `\ No newline at end of file`. */
  | 'hunk'
  /** `GIT binary patch` and its data. */
  | 'binary';

export interface DiffLine {
  /** The line including its `\n` (absent on a last line without one). */
  readonly text: string;
  readonly role: DiffLineRole;
  /** For `old-file`: whether a `diff …` line came before it in the same file header. */
  readonly hasDiffHeader: boolean;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/**
 * Classifies the lines of a patch (git or GNU diff format) by their role, counting hunk lines
 * so that a removed line reading `--- x` is never taken for a file header. Works on any string;
 * callers pass bytes decoded as latin1 to keep them intact.
 */
export function walkDiffLines(text: string): DiffLine[] {
  const lines = splitLines(text);
  const result: DiffLine[] = [];
  let state: 'text' | 'header' | 'hunk' | 'after-hunk' | 'binary' = 'text';
  let inFile = false;
  let hasDiffHeader = false;
  let before = 0;
  let after = 0;
  const push = (line: string, role: DiffLineRole): void => {
    result.push({ text: line, role, hasDiffHeader });
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (state === 'hunk') {
      const first = line[0];
      if (first === '\\') {
        push(line, 'hunk');
        continue;
      }
      if (first === ' ' || first === '\n' || first === '-' || first === '+') {
        if (first !== '+') before--;
        if (first !== '-') after--;
        push(line, 'hunk');
        if (before <= 0 && after <= 0) state = 'after-hunk';
        continue;
      }
      state = 'after-hunk';
    }
    if (state === 'after-hunk' && line.startsWith('\\')) {
      push(line, 'hunk');
      continue;
    }
    if (line.startsWith('diff ')) {
      state = 'header';
      inFile = true;
      hasDiffHeader = true;
      push(line, 'diff-header');
      continue;
    }
    if (state === 'binary') {
      push(line, 'binary');
      continue;
    }
    if (line.startsWith('@@ -') && inFile && state !== 'text') {
      const match = HUNK_HEADER.exec(line);
      if (match !== null) {
        before = match[1] === undefined ? 1 : Number.parseInt(match[1], 10);
        after = match[2] === undefined ? 1 : Number.parseInt(match[2], 10);
        push(line, 'hunk-header');
        state = before > 0 || after > 0 ? 'hunk' : 'after-hunk';
        continue;
      }
    }
    if (state === 'header') {
      if (line.startsWith('--- ')) {
        push(line, 'old-file');
        continue;
      }
      if (line.startsWith('+++ ')) {
        push(line, 'new-file');
        continue;
      }
      if (line.startsWith('GIT binary patch')) {
        state = 'binary';
        push(line, 'binary');
        continue;
      }
      if (/^[A-Za-z]/.test(line)) {
        push(line, 'header');
        continue;
      }
      state = 'text';
      inFile = false;
    }
    // Outside a file: a header-less `--- old` / `+++ new` pair starts a file (GNU diff -u).
    if (line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ ')) {
      hasDiffHeader = false;
      inFile = true;
      state = 'header';
      push(line, 'old-file');
      continue;
    }
    state = state === 'after-hunk' ? 'after-hunk' : 'text';
    if (state === 'text') inFile = false;
    push(line, 'text');
  }
  return result;
}

function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

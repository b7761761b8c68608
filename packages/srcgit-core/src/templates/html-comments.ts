/**
 * @module
 * `findHtmlComments`: where the HTML comments of a text are, found in one linear scan.
 */

/** An HTML comment of a text: `text.slice(start, end)` is `<!--` … its closer (or the text's end). */
export interface HtmlCommentSpan {
  readonly start: number;
  readonly end: number;
}

const OPENER = '<!--';
const CLOSERS = ['-->', '--!>'] as const;

/**
 * The HTML comments of `text`, left to right, as an HTML parser ends them: a comment opens at
 * `<!--` and closes at the first `-->` or `--!>` after it; one without a closer runs to the end of
 * the text. (GitLab renders what is inside invisibly, so whatever hides there is never a plain
 * line.) Linear in the length of `text`: each closer position is searched for once and reused
 * until the scan passes it.
 *
 * @example
 * [...findHtmlComments('a <!-- b --> c <!-- d')]; // [{ start: 2, end: 12 }, { start: 15, end: 21 }]
 */
export function* findHtmlComments(text: string): Generator<HtmlCommentSpan> {
  // The next occurrence of each closer at or after the scan position (-1: none left).
  const next = CLOSERS.map(() => 0);
  let position = 0;
  for (;;) {
    const start = text.indexOf(OPENER, position);
    if (start < 0) return;
    let end = text.length;
    CLOSERS.forEach((closer, index) => {
      if (next[index] !== -1 && (next[index] ?? 0) < start + OPENER.length) {
        next[index] = text.indexOf(closer, start + OPENER.length);
      }
      const at = next[index] ?? -1;
      if (at !== -1) end = Math.min(end, at + closer.length);
    });
    yield { start, end };
    if (end >= text.length) return;
    position = end;
  }
}

/** Characters YAML does not allow in a document (outside `c-printable`), and carriage returns. */
const NOT_PLAIN_PRINTABLE = /[^\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\ud800-\udfff]|\r/;

/**
 * The common YAML literal block scalar of a trailer value — `|`, then lines that all share one
 * indentation of spaces (or are empty) — decoded as YAML does it (clip chomping: one final line
 * break, trailing empty lines dropped). This is what `Patch-status: |` blocks written by packit
 * and `srcgit init` look like; decoding them here spares a YAML parse per commit.
 *
 * @returns the text, or undefined when `raw` is anything else (the caller then asks the YAML
 *   parser, which also reports errors).
 */
export function decodeLiteralBlock(raw: string): string | undefined {
  if (!raw.startsWith('|\n') || NOT_PLAIN_PRINTABLE.test(raw)) return undefined;
  const lines = raw.slice(2).split('\n');
  const indent = /^ */.exec(lines[0] ?? '')?.[0].length ?? 0;
  if (indent === 0) return undefined;
  const prefix = ' '.repeat(indent);
  const content: string[] = [];
  for (const line of lines) {
    if (line === '') {
      content.push('');
      continue;
    }
    // Only lines at the block's indentation with something on them: anything else (less
    // indented, blank but for spaces, tabs in the indentation) has subtler rules.
    if (!line.startsWith(prefix) || line.trim() === '' || line[indent] === '\t') return undefined;
    content.push(line.slice(indent));
  }
  while (content.at(-1) === '') content.pop();
  return content.length === 0 ? undefined : `${content.join('\n')}\n`;
}

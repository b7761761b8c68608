import { walkDiffLines } from './walk-diff-lines';

/**
 * `No-prefix: true` (docs/converter-behaviour.md Q11 fixed): removes the `a/` and `b/` prefixes from the file
 * headers of one `git format-patch` message, giving the bytes `git format-patch --no-prefix` prints for it,
 * for patches applied with `-p0`. Only `diff --git`, `---` and `+++` header lines change (never hunk
 * content, never the commit message); `/dev/null` stays.
 */
export function stripDiffPrefixes(message: Buffer): Buffer {
  const text = message.toString('latin1');
  const diffStart = findFormatPatchDiffStart(text);
  if (diffStart === undefined) return message;
  let out = text.slice(0, diffStart);
  for (const line of walkDiffLines(text.slice(diffStart))) {
    switch (line.role) {
      case 'diff-header':
        out += stripDiffGitLine(line.text);
        break;
      case 'old-file':
        out += stripPathLine(line.text, '--- ', 'a/');
        break;
      case 'new-file':
        out += stripPathLine(line.text, '+++ ', 'b/');
        break;
      default:
        out += line.text;
    }
  }
  return Buffer.from(out, 'latin1');
}

/**
 * Where the diff of a format-patch message starts: after the `---` line that ends the message,
 * the diffstat (lines starting with a space) and a blank line, at the first `diff ` line.
 */
export function findFormatPatchDiffStart(text: string): number | undefined {
  const pattern = /(?:^|\n)---\n(?: [^\n]*\n)*\n(?=diff )/g;
  const match = pattern.exec(text);
  return match === null ? undefined : match.index + match[0].length;
}

function stripPathLine(line: string, marker: string, prefix: string): string {
  const rest = line.slice(marker.length);
  if (rest.startsWith(prefix)) return marker + rest.slice(prefix.length);
  if (rest.startsWith(`"${prefix}`)) return `${marker}"${rest.slice(prefix.length + 1)}`;
  return line;
}

function stripDiffGitLine(line: string): string {
  const match = /^(diff --git )(.*?)(\n?)$/s.exec(line);
  if (match === null) return line;
  const [, head = '', paths = '', newline = ''] = match;
  const split = splitDiffGitPaths(paths);
  if (split === undefined) return line;
  const [oldPath, newPath] = split;
  return `${head}${stripPath(oldPath, 'a/')} ${stripPath(newPath, 'b/')}${newline}`;
}

function stripPath(path: string, prefix: string): string {
  if (path.startsWith(prefix)) return path.slice(prefix.length);
  if (path.startsWith(`"${prefix}`)) return `"${path.slice(prefix.length + 1)}`;
  return path;
}

/** Splits `a/<old> b/<new>` (either may be C-quoted) into its two paths. */
function splitDiffGitPaths(paths: string): [string, string] | undefined {
  if (paths.startsWith('"')) {
    const end = quotedEnd(paths, 0);
    if (end === undefined || paths[end + 1] !== ' ') return undefined;
    return [paths.slice(0, end + 1), paths.slice(end + 2)];
  }
  // Same path on both sides (the usual case): `a/P b/P`.
  if (paths.startsWith('a/') && (paths.length - 5) % 2 === 0) {
    const half = (paths.length - 5) / 2;
    const oldPath = paths.slice(2, 2 + half);
    if (paths.slice(2 + half) === ` b/${oldPath}`) return [`a/${oldPath}`, `b/${oldPath}`];
  }
  const quotedNew = paths.lastIndexOf(' "b/');
  if (quotedNew !== -1) return [paths.slice(0, quotedNew), paths.slice(quotedNew + 1)];
  const separator = paths.lastIndexOf(' b/');
  if (separator === -1) return undefined;
  return [paths.slice(0, separator), paths.slice(separator + 1)];
}

function quotedEnd(text: string, start: number): number | undefined {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') {
      index++;
      continue;
    }
    if (text[index] === '"') return index;
  }
  return undefined;
}

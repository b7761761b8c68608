import { walkDiffLines } from './walk-diff-lines';

const GNU_DIFF_LINE = /^diff -[A-Za-z]+ /;
const TIMESTAMP = /\t\d{4}.*$/s;

/**
 * Rewrites an old, hand-made patch so that `git patch-id` sees the same file diffs as in the
 * git-generated equivalent (converter-spec §2.7.7, fixed Q17):
 * - `diff -<letters> ` (e.g. `diff -pruN `) starts become `diff --git `;
 * - a TAB and the timestamp after the path of `---`/`+++` header lines are removed;
 * - every `---`/`+++` pair without a `diff` line of its own gets a `diff --git <old> <new>` line.
 *
 * Works on text decoded as latin1 (bytes kept); only header lines are touched, never hunk lines.
 * Applying it to `git format-patch` output changes nothing.
 */
export function normalizeLegacyPatch(text: string): string {
  const lines = walkDiffLines(text);
  let out = '';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as (typeof lines)[number];
    switch (line.role) {
      case 'diff-header':
        out += line.text.replace(GNU_DIFF_LINE, 'diff --git ');
        break;
      case 'old-file': {
        const oldLine = stripTimestamp(line.text);
        const next = lines[index + 1];
        if (!line.hasDiffHeader && next?.role === 'new-file') {
          const newLine = stripTimestamp(next.text);
          out += `diff --git ${pathOf(oldLine, '--- ')} ${pathOf(newLine, '+++ ')}\n${oldLine}${newLine}`;
          index++;
        } else {
          out += oldLine;
        }
        break;
      }
      case 'new-file':
        out += stripTimestamp(line.text);
        break;
      default:
        out += line.text;
    }
  }
  return out;
}

function stripTimestamp(line: string): string {
  const newline = line.endsWith('\n') ? '\n' : '';
  const body = newline === '' ? line : line.slice(0, -1);
  return body.replace(TIMESTAMP, '') + newline;
}

function pathOf(line: string, marker: string): string {
  return line.slice(marker.length).replace(/\n$/, '');
}

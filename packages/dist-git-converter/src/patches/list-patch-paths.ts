import { walkDiffLines } from './walk-diff-lines';

const DIFF_GIT = 'diff --git ';
/** Extended header lines that name a path in full (git strips one component less from them). */
const NAMING_HEADER = /^(?:rename from|rename to|copy from|copy to|rename old|rename new) (.*)$/s;
/** How many characters at the end of a header line may hold its date. */
const DATE_TAIL = 64;
/** A date GNU diff or `diff -u` without a TAB may write after a traditional header's name. */
const TRAILING_DATE =
  /[ \t]+(?:\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d(?:\.\d+)?)?(?: ?[+-]\d{4})?|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}(?: [+-]\d{4})?)$/;

/**
 * Every repository path a patch may read or write when applied with `-p<strip>`, the old side of
 * renames and copies included: the names of `diff --git` lines, of `rename from`/`rename to`,
 * `copy from`/`copy to` headers, and of `---`/`+++` file headers (git's and traditional ones: a
 * TAB and a timestamp after the name are dropped, `/dev/null` is not a path). Both names of a
 * traditional pair are listed (gendiff's `util.c.orig`-style old name and the new one), so the
 * result may hold paths git will not use: it is a superset, meant to pick the entries a private
 * index needs before `git apply --cached`.
 *
 * Reads the diff structure with {@link walkDiffLines} (linear in the patch's size; hunk lines
 * are never taken for headers). C-quoted names are unquoted; names are returned as UTF-8 text,
 * as `git ls-tree -z` prints them.
 */
export function listPatchPaths(patch: Uint8Array, strip: number): Set<string> {
  const text = Buffer.from(patch.buffer, patch.byteOffset, patch.byteLength).toString('latin1');
  const paths = new Set<string>();
  const add = (raw: string | undefined, components: number): void => {
    if (raw === undefined) return;
    const stripped = stripComponents(raw, components);
    if (stripped !== undefined && stripped !== '')
      paths.add(Buffer.from(stripped, 'latin1').toString('utf8'));
  };
  for (const line of walkDiffLines(text)) {
    const body = line.text.endsWith('\n') ? line.text.slice(0, -1) : line.text;
    switch (line.role) {
      case 'diff-header':
        if (body.startsWith(DIFF_GIT)) {
          for (const name of diffGitNames(body.slice(DIFF_GIT.length), strip)) add(name, strip);
        }
        break;
      case 'header': {
        const match = NAMING_HEADER.exec(body);
        if (match !== null) add(headerName(match[1] ?? ''), Math.max(strip - 1, 0));
        break;
      }
      case 'old-file':
      case 'new-file':
        for (const name of fileHeaderNames(body.slice(4))) add(name, strip);
        break;
      default:
        break;
    }
  }
  return paths;
}

/**
 * The names of a `diff --git` line: two C-quoted names, or (unquoted) the one split of the line
 * at a space whose two sides name the same path once `strip` components are removed, as git
 * reads it. Nothing when the sides differ (a rename or copy, named by its own headers).
 */
function diffGitNames(rest: string, strip: number): string[] {
  if (rest.startsWith('"')) {
    const first = quotedName(rest);
    if (first === undefined || rest[first.end] !== ' ') return [];
    const second = rest.slice(first.end + 1);
    const secondName = second.startsWith('"') ? quotedName(second)?.name : second;
    return secondName === undefined ? [] : [first.name, secondName];
  }
  if (rest.includes(' "')) {
    const split = rest.indexOf(' "');
    const second = quotedName(rest.slice(split + 1));
    return second === undefined ? [] : [rest.slice(0, split), second.name];
  }
  // Linear: the stripped old side grows with the split position while the stripped new side
  // shrinks, so at most one split has sides of equal length; only that one is compared.
  const slashes: number[] = [];
  for (let slash = rest.indexOf('/'); slash !== -1; slash = rest.indexOf('/', slash + 1)) slashes.push(slash);
  const firstStart = strip === 0 ? 0 : (slashes[strip - 1] ?? Number.POSITIVE_INFINITY) + 1;
  let after = 0; // the first slash after the current split
  for (let space = rest.indexOf(' '); space !== -1; space = rest.indexOf(' ', space + 1)) {
    while (after < slashes.length && (slashes[after] as number) < space) after++;
    if (firstStart > space) continue;
    const secondSlash = strip === 0 ? space : slashes[after + strip - 1];
    if (secondSlash === undefined) break;
    const secondStart = secondSlash + 1;
    if (space - firstStart !== rest.length - secondStart) continue;
    if (rest.slice(firstStart, space) === rest.slice(secondStart))
      return [rest.slice(0, space), rest.slice(space + 1)];
  }
  return [];
}

/** The name of a `rename from`-style header: C-quoted, or the rest of the line. */
function headerName(value: string): string | undefined {
  return value.startsWith('"') ? quotedName(value)?.name : value;
}

/**
 * The name of a `---`/`+++` header: C-quoted, or up to a TAB; without a TAB also the name
 * without a trailing date (both are candidates).
 */
function fileHeaderNames(value: string): string[] {
  if (value.startsWith('"')) {
    const quoted = quotedName(value);
    return quoted === undefined ? [] : [quoted.name];
  }
  const tab = value.indexOf('\t');
  if (tab !== -1) return notDevNull([value.slice(0, tab)]);
  // Only the line's tail is searched: a date is short, and the work stays bounded on long lines.
  const tailStart = Math.max(value.length - DATE_TAIL, 0);
  const date = TRAILING_DATE.exec(value.slice(tailStart));
  return notDevNull(date === null ? [value] : [value, value.slice(0, tailStart + date.index)]);
}

function notDevNull(names: readonly string[]): string[] {
  return names.filter((name) => name !== '/dev/null');
}

/** `name` without its first `components` slash-separated parts (as `git apply -p`); undefined if it has fewer. */
function stripComponents(name: string, components: number): string | undefined {
  let start = 0;
  for (let count = 0; count < components; count++) {
    const slash = name.indexOf('/', start);
    if (slash === -1) return undefined;
    start = slash + 1;
  }
  return name.slice(start).replace(/\/{2,}/g, '/');
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

/**
 * A C-quoted name at the start of `text` (git's quoting: `\"`, `\\`, `\n`-style escapes and octal
 * bytes), decoded to latin1 characters (one per byte); `end` is the index after the closing quote.
 */
function quotedName(text: string): { name: string; end: number } | undefined {
  let name = '';
  for (let index = 1; index < text.length; index++) {
    const character = text[index] as string;
    if (character === '"') return { name, end: index + 1 };
    if (character !== '\\') {
      name += character;
      continue;
    }
    const next = text[index + 1] ?? '';
    if (/^[0-3][0-7]{2}$/.test(text.slice(index + 1, index + 4))) {
      name += String.fromCharCode(Number.parseInt(text.slice(index + 1, index + 4), 8));
      index += 3;
      continue;
    }
    const escaped = ESCAPES[next];
    if (escaped === undefined) return undefined;
    name += escaped;
    index++;
  }
  return undefined;
}

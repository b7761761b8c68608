import { walkDiffLines, type DiffLine } from './walk-diff-lines';
import { trimTrailing } from '../text/trim-trailing';

/**
 * Rewrites one patch message into the canonical form the "same content" rule compares
 * ({@link isSamePatchContent}), so that a hand-made dist-git patch and the `git format-patch`
 * message regenerated from the commit it became get the same `git patch-id`:
 *
 * - every file diff starts with `diff --git a/<old> b/<new>`, whatever started it (`diff -Nrup`,
 *   `diff -up` from gendiff, a header-less `---`/`+++` pair, `Index:` and `====` lines of
 *   svn/quilt patches);
 * - paths lose their first component when they have one (`hello-1.0.orig/src/x.c`, `a/src/x.c`
 *   and `b/src/x.c` are all `src/x.c`, as `-p1` applies them; a one-component path of a `-p0`
 *   patch stays as it is) and everything after a TAB (`diff -u` timestamps, `(revision 12)`);
 * - a file diff without a `diff --git` line names ONE file on both sides, the one `git apply`
 *   picks: the shorter name when the other is it with something appended (gendiff's
 *   `util.c.util`, `file.orig`, `file~`), else the new name; an epoch timestamp (`diff -N`) on
 *   one side makes it a creation or a deletion, as `/dev/null` does;
 * - `new file mode 100644` is `new file` (what a patch without modes creates), `deleted file
 *   mode …` is `deleted file`; other modes stay;
 * - text outside file diffs (a description before the first diff, a diffstat, a signature,
 *   `Index:` lines between files) is dropped.
 *
 * Hunk lines are never touched. Works on text decoded as latin1 (bytes kept). The diff part of a
 * `git format-patch` message that modifies files comes out byte for byte as it went in.
 */
export function normalizePatchHeaders(text: string): string {
  const lines = walkDiffLines(text);
  let out = '';
  let file: FileHeader | undefined;
  const flush = (): void => {
    if (file !== undefined) out += renderHeader(file);
    file = undefined;
  };
  for (const line of lines) {
    switch (line.role) {
      case 'diff-header':
        flush();
        file = startFile(line);
        break;
      case 'old-file':
        if (file === undefined || file.oldName !== undefined || file.newName !== undefined) {
          flush();
          file = startFile(line);
        }
        file.oldName = pathOfHeader(line.text, '--- ');
        break;
      case 'new-file':
        if (file === undefined) file = startFile(line);
        file.newName = pathOfHeader(line.text, '+++ ');
        break;
      case 'header':
        if (file === undefined) break;
        file.extended.push(line.text);
        break;
      case 'text':
        flush();
        break;
      default:
        flush();
        out += line.text;
    }
  }
  flush();
  return out;
}

/** One file diff's header as read: its `diff` line, extended header lines and `---`/`+++` names. */
interface FileHeader {
  /** The paths of a `diff --git` line (undefined for `diff -up`, a bare pair, …). */
  readonly gitPaths: string | undefined;
  readonly extended: string[];
  oldName?: HeaderName;
  newName?: HeaderName;
}

/** A `---`/`+++` name: the path without what follows a TAB, and whether it means "no file". */
interface HeaderName {
  readonly path: string;
  readonly none: boolean;
}

function startFile(line: DiffLine): FileHeader {
  const match = /^diff --git (.*?)\n?$/s.exec(line.role === 'diff-header' ? line.text : '');
  return { gitPaths: match?.[1], extended: [] };
}

function renderHeader(file: FileHeader): string {
  const names = file.gitPaths === undefined ? traditionalNames(file) : gitNames(file);
  let out = `diff --git ${names.old} ${names.new}\n`;
  if (file.gitPaths === undefined) {
    // A patch without git's extended headers can only create (mode 644), change or delete.
    if (file.oldName?.none === true) out += 'new file\n';
    else if (file.newName?.none === true) out += 'deleted file\n';
  } else {
    for (const line of file.extended) out += canonicalExtendedLine(line);
  }
  if (file.oldName !== undefined) out += `--- ${file.oldName.none ? '/dev/null' : names.old}\n`;
  if (file.newName !== undefined) out += `+++ ${file.newName.none ? '/dev/null' : names.new}\n`;
  return out;
}

function canonicalExtendedLine(line: string): string {
  if (line.startsWith('new file mode 100644')) return 'new file\n';
  if (line.startsWith('deleted file mode ')) return 'deleted file\n';
  return line.endsWith('\n') ? line : `${line}\n`;
}

/** `git apply`'s choice for a traditional diff: one name on both sides. */
function traditionalNames(file: FileHeader): { old: string; new: string } {
  const oldPath = file.oldName?.none === false ? withoutFirstComponent(file.oldName.path) : undefined;
  const newPath = file.newName?.none === false ? withoutFirstComponent(file.newName.path) : undefined;
  const name =
    oldPath === undefined
      ? (newPath ?? '')
      : newPath === undefined
        ? oldPath
        : oldPath.length < newPath.length && newPath.startsWith(oldPath)
          ? oldPath
          : newPath;
  return { old: prefixed('a/', name), new: prefixed('b/', name) };
}

/** The names of a git diff: from `---`/`+++`, else from `rename`/`copy` lines, else the `diff` line. */
function gitNames(file: FileHeader): { old: string; new: string } {
  const fromExtended = (kind: 'from' | 'to'): string | undefined => {
    for (const line of file.extended) {
      const match = new RegExp(`^(?:rename|copy) ${kind} (.*?)\\n?$`, 's').exec(line);
      // These lines name paths without a prefix: the form paths have after their first component.
      const path = match?.[1];
      if (path !== undefined) return path.startsWith('"') ? `"/${path.slice(1)}` : `/${path}`;
    }
    return undefined;
  };
  const fromLine = splitSamePaths(file.gitPaths ?? '');
  const oldPath =
    file.oldName !== undefined && !file.oldName.none
      ? withoutFirstComponent(file.oldName.path)
      : (fromExtended('from') ?? fromLine);
  const newPath =
    file.newName !== undefined && !file.newName.none
      ? withoutFirstComponent(file.newName.path)
      : (fromExtended('to') ?? fromLine);
  if (oldPath === undefined && newPath === undefined) {
    // Paths that cannot be split (both sides differ, no other header names them): kept as written.
    const raw = file.gitPaths ?? '';
    return { old: raw, new: raw };
  }
  return { old: prefixed('a/', oldPath ?? newPath ?? ''), new: prefixed('b/', newPath ?? oldPath ?? '') };
}

/**
 * The path of `X Y` when both sides name the same file after their first component, found at the
 * middle only (linear time: git writes equal prefixes for the same file).
 */
function splitSamePaths(paths: string): string | undefined {
  if (paths.length % 2 === 0) return undefined;
  const middle = (paths.length - 1) / 2;
  if (paths[middle] !== ' ') return undefined;
  const left = withoutFirstComponent(paths.slice(0, middle));
  return left === withoutFirstComponent(paths.slice(middle + 1)) ? left : undefined;
}

const NO_FILE = '/dev/null';

function pathOfHeader(line: string, marker: string): HeaderName {
  const body = line.slice(marker.length).replace(/\n$/, '');
  const tab = body.startsWith('"') ? body.indexOf('\t', quotedEnd(body)) : body.indexOf('\t');
  const path = trimTrailing(tab === -1 ? body : body.slice(0, tab), ' \r');
  const stamp = tab === -1 ? '' : body.slice(tab + 1);
  return { path, none: path === NO_FILE || isEpochTimestamp(stamp) };
}

function quotedEnd(text: string): number {
  for (let index = 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index + 1;
  }
  return text.length;
}

/**
 * The path without its first component, marked so that it cannot meet a one-component path:
 * `hello-1.0/src/x.c` → `/src/x.c`; `x.c` stays `x.c`. Quoted names keep their quotes.
 */
function withoutFirstComponent(path: string): string {
  const quoted = path.startsWith('"');
  const inner = quoted ? path.slice(1) : path;
  const slash = inner.indexOf('/');
  if (slash === -1) return path;
  return `${quoted ? '"' : ''}/${inner.slice(slash + 1)}`;
}

/** `a/` + path for a path that lost its first component (`/src/x.c`), else the path as it is. */
function prefixed(prefix: 'a/' | 'b/', path: string): string {
  if (path.startsWith('"/')) return `"${prefix}${path.slice(2)}`;
  if (path.startsWith('/')) return `${prefix}${path.slice(1)}`;
  return path;
}

const ISO_STAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?: ?([+-])(\d\d):?(\d\d))?/;

/** True for GNU diff's stamp of a missing file (`diff -N`): the epoch, in any time zone. */
function isEpochTimestamp(stamp: string): boolean {
  const match = ISO_STAMP.exec(stamp.trim());
  if (match === null) return false;
  const [, year, month, day, hour, minute, second, sign, zoneHours, zoneMinutes] = match;
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const offset =
    sign === undefined
      ? 0
      : (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) * 60_000;
  return local - offset === 0;
}

/**
 * @module
 * RPM's version comparison (`rpmvercmp`) and a spec file's `Version:` (the bot's "dist-git is
 * newer than source-git" check uses both).
 */

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
const isAlpha = (char: string | undefined): boolean =>
  char !== undefined && ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z'));
const isAlnum = (char: string | undefined): boolean => isDigit(char) || isAlpha(char);

/**
 * Compares two RPM version strings as rpm does: `-1` when `a` is older, `0` when equal, `1` when
 * newer. Segments of digits compare numerically and win over letters; `~` sorts before anything
 * (pre-releases: `1.0~rc1` < `1.0`), `^` after the end (snapshots: `1.0^git1` > `1.0`); other
 * characters only separate segments.
 *
 * @example
 * compareRpmVersions('2.39', '2.40'); // -1
 * compareRpmVersions('1.0~rc1', '1.0'); // -1
 */
export function compareRpmVersions(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;

    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a[i]);
    const inSegment = numeric ? isDigit : isAlpha;
    let endA = i;
    let endB = j;
    while (endA < a.length && inSegment(a[endA])) endA++;
    while (endB < b.length && inSegment(b[endB])) endB++;
    // A numeric segment is newer than an alphabetic one.
    if (endB === j) return numeric ? 1 : -1;

    let segmentA = a.slice(i, endA);
    let segmentB = b.slice(j, endB);
    if (numeric) {
      segmentA = segmentA.replace(/^0+/, '');
      segmentB = segmentB.replace(/^0+/, '');
      if (segmentA.length !== segmentB.length) return segmentA.length > segmentB.length ? 1 : -1;
    }
    if (segmentA !== segmentB) return segmentA > segmentB ? 1 : -1;
    i = endA;
    j = endB;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** The longest macro value or version {@link specVersion} works with; a real one is a few dozen characters. */
const MAX_VERSION_LENGTH = 256;

/**
 * The `Version:` of a spec file, with `%global`/`%define` macros of the file expanded, or `null`
 * when there is none, it uses macros defined elsewhere, or it (or a macro value it uses) grows
 * past 256 characters. Linear in the spec's length: one pass over its lines, each matched with
 * patterns that cannot backtrack, and at most ten expansion rounds on a bounded string.
 */
export function specVersion(specText: string): string | null {
  const macros = new Map<string, string>();
  let raw: string | undefined;
  for (const untrimmed of specText.split('\n')) {
    const line = untrimmed.trim();
    const macro = /^%(?:global|define)[ \t]+(\w+)[ \t]+(\S.*)$/.exec(line);
    const [, name, value] = macro ?? [];
    if (name !== undefined && value !== undefined && !macros.has(name)) macros.set(name, value);
    raw ??= /^Version[ \t]*:[ \t]*(\S+)$/i.exec(line)?.[1];
  }
  if (raw === undefined) return null;
  let version = raw;
  for (let depth = 0; depth < 10 && version.includes('%'); depth++) {
    if (version.length > MAX_VERSION_LENGTH) return null;
    version = version.replace(/%\{\??(\w+)\}|%(\w+)/g, (whole, braced?: string, bare?: string) => {
      const value = macros.get(braced ?? bare ?? '');
      return value === undefined || value.length > MAX_VERSION_LENGTH ? whole : value;
    });
  }
  return version.includes('%') || version.length > MAX_VERSION_LENGTH ? null : version;
}

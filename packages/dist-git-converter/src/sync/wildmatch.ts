/**
 * Compiles an rsync wildcard pattern (rsync's `wildmatch`) into a regular expression that must
 * match a whole string: `*` matches any run of characters except `/`, `**` (and longer runs of
 * `*`) also matches `/`, `?` one character except `/`, `[…]` a character class (`!` or `^`
 * negates it, `a-z` ranges, `[:alpha:]`-style POSIX classes), and `\` quotes the next character.
 */
export function compileWildmatch(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) {
      i++;
      source += escapeRegExp(pattern.charAt(i));
    } else if (char === '*') {
      let stars = 1;
      while (pattern.charAt(i + 1) === '*') {
        stars++;
        i++;
      }
      source += stars >= 2 ? '.*' : '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const parsed = parseClass(pattern, i);
      if (parsed === undefined) {
        source += '\\[';
      } else {
        source += parsed.source;
        i = parsed.end;
      }
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** True when the pattern uses any wildcard (`*`, `?`, `[`), i.e. rsync matches it with `wildmatch`. */
export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

function parseClass(pattern: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern.charAt(i) === '!' || pattern.charAt(i) === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < pattern.length) {
    const char = pattern.charAt(i);
    if (char === ']' && !first) {
      // A negated class never matches `/` in rsync's wildmatch.
      return { source: negate ? `[^/${body}]` : `[${body}]`, end: i };
    }
    first = false;
    if (char === '[' && pattern.charAt(i + 1) === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close === -1 ? undefined : pattern.slice(i + 2, close);
      const posix = name === undefined ? undefined : POSIX_CLASSES[name];
      if (posix !== undefined && close !== -1) {
        body += posix;
        i = close + 2;
        continue;
      }
    }
    if (char === '\\' && i + 1 < pattern.length) {
      i++;
      body += escapeClassChar(pattern.charAt(i));
    } else if (char === '-' && body !== '' && pattern.charAt(i + 1) !== ']' && i + 1 < pattern.length) {
      body += '-';
    } else {
      body += escapeClassChar(char);
    }
    i++;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function escapeClassChar(char: string): string {
  return /[\]\\^-]/.test(char) ? `\\${char}` : char;
}

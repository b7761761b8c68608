const MAX_DEPTH = 32;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Expands the simple macros of a spec value, enough to compare patch file names written with
 * macros (`%{name}-fix.patch`, converter-spec Q32): `%name`, `%{name}`, `%{?name}`,
 * `%{?name:text}`, `%{!?name:text}` and `%%`. Macros that are not defined, builtins with
 * arguments (`%{expand:…}`, `%{lua:…}`), shell `%(…)` and expressions `%[…]` are left as written.
 *
 * @param macros definitions, e.g. a parsed document's `macros`
 * @example
 * expandMacros('%{name}-%{version}%{?dist}.patch', new Map([['name', 'curl'], ['version', '8.6.0']]))
 * // 'curl-8.6.0.patch'
 */
export function expandMacros(text: string, macros: ReadonlyMap<string, string>): string {
  return expand(text, macros, 0);
}

function expand(text: string, macros: ReadonlyMap<string, string>, depth: number): string {
  if (depth > MAX_DEPTH || !text.includes('%')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const percent = text.indexOf('%', i);
    if (percent === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, percent);
    const next = text[percent + 1];
    if (next === '%') {
      out += '%';
      i = percent + 2;
    } else if (next === '{' || next === '(' || next === '[') {
      const end = findClose(text, percent + 1);
      if (end === -1) {
        out += text.slice(percent);
        break;
      }
      const whole = text.slice(percent, end + 1);
      out += next === '{' ? expandBraced(text.slice(percent + 2, end), whole, macros, depth) : whole;
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(percent + 1))?.[0];
      const value = name === undefined ? undefined : macros.get(name);
      if (name === undefined || value === undefined) {
        out += '%';
        i = percent + 1;
      } else {
        out += expand(value, macros, depth + 1);
        i = percent + 1 + name.length;
      }
    }
  }
  return out;
}

function expandBraced(
  inner: string,
  whole: string,
  macros: ReadonlyMap<string, string>,
  depth: number,
): string {
  const conditional = /^([?!]*)/.exec(inner)?.[1] ?? '';
  const rest = inner.slice(conditional.length);
  const name = NAME.exec(rest)?.[0];
  if (name === undefined) return whole;
  const after = rest.slice(name.length);
  if (after !== '' && !after.startsWith(':')) return whole;
  const value = macros.get(name);
  if (conditional === '') {
    return after === '' && value !== undefined ? expand(value, macros, depth + 1) : whole;
  }
  if (!conditional.includes('?')) return whole;
  const negated = (conditional.match(/!/g)?.length ?? 0) % 2 === 1;
  const defined = value !== undefined;
  if (defined === negated) return '';
  if (after === '') return negated ? '' : expand(value ?? '', macros, depth + 1);
  return expand(after.slice(1), macros, depth + 1);
}

/** Index of the bracket that closes the one at `open`, counting nesting; -1 when unclosed. */
function findClose(text: string, open: number): number {
  const opening = text[open];
  const closing = opening === '{' ? '}' : opening === '(' ? ')' : ']';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === opening) depth++;
    else if (c === closing && --depth === 0) return i;
  }
  return -1;
}

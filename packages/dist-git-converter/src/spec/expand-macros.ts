import { ConverterError } from '../converter-error';

/**
 * The budget of one {@link expandMacros} call: a spec's macros can nest, recurse and multiply
 * (`%global b %{a}%{a}%{a}%{a}` thirty times over is 4^30 expansions), so every expansion is
 * bounded in depth, work and output. Real specs use a few levels, steps and bytes.
 */
export const MACRO_EXPANSION_LIMITS = {
  /** Macros expanded inside one another (rpm's own limit is 64 too). */
  maxDepth: 64,
  /** Work steps: one per character scanned plus one per macro expanded. */
  maxSteps: 10_000_000,
  /** Characters of the result, and of any macro's expansion on the way. */
  maxOutputLength: 1_048_576,
} as const;

export interface ExpandMacrosOptions {
  /** Where the text is, for errors: e.g. `spec line 12`. Default `spec`. */
  readonly where?: string;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** One expansion's spending, and what an error names. */
interface Budget {
  steps: number;
  /** The macro of the text being expanded when the limit was hit (outermost). */
  root: string | undefined;
  readonly where: string;
  readonly text: string;
}

/**
 * Expands the simple macros of a spec value, enough to compare patch file names written with
 * macros (`%{name}-fix.patch`, docs/converter-behaviour.md Q32): `%name`, `%{name}`, `%{?name}`,
 * `%{?name:text}`, `%{!?name:text}` and `%%`. Macros that are not defined, builtins with
 * arguments (`%{expand:…}`, `%{lua:…}`), shell `%(…)` and expressions `%[…]` are left as written.
 * Work is bounded by {@link MACRO_EXPANSION_LIMITS}.
 *
 * @param macros definitions, e.g. a parsed document's `macros`
 * @throws ConverterError `SPEC_INVALID` naming `where`, the text, the macro and the limit when the
 *   expansion nests deeper, works longer or grows larger than {@link MACRO_EXPANSION_LIMITS}
 *   allows (a macro defined in terms of itself, or a macro bomb).
 * @example
 * expandMacros('%{name}-%{version}%{?dist}.patch', new Map([['name', 'curl'], ['version', '8.6.0']]))
 * // 'curl-8.6.0.patch'
 */
export function expandMacros(
  text: string,
  macros: ReadonlyMap<string, string>,
  options: ExpandMacrosOptions = {},
): string {
  if (!text.includes('%')) return text;
  const budget: Budget = { steps: 0, root: undefined, where: options.where ?? 'spec', text };
  return expand(text, macros, 0, budget, undefined);
}

function expand(
  text: string,
  macros: ReadonlyMap<string, string>,
  depth: number,
  budget: Budget,
  macro: string | undefined,
): string {
  if (depth > MACRO_EXPANSION_LIMITS.maxDepth) {
    throw limitError(budget, macro, `nests more than ${MACRO_EXPANSION_LIMITS.maxDepth} macros deep`, {
      limit: 'maxDepth',
      value: MACRO_EXPANSION_LIMITS.maxDepth,
    });
  }
  if (depth === 1) budget.root = macro;
  spend(budget, text.length + 1, macro);
  if (!text.includes('%')) return text;
  let out = '';
  const append = (part: string): void => {
    out += part;
    if (out.length > MACRO_EXPANSION_LIMITS.maxOutputLength) {
      throw limitError(
        budget,
        macro,
        `expands to more than ${MACRO_EXPANSION_LIMITS.maxOutputLength} characters`,
        { limit: 'maxOutputLength', value: MACRO_EXPANSION_LIMITS.maxOutputLength },
      );
    }
  };
  let i = 0;
  while (i < text.length) {
    const percent = text.indexOf('%', i);
    if (percent === -1) {
      append(text.slice(i));
      break;
    }
    append(text.slice(i, percent));
    const next = text[percent + 1];
    if (next === '%') {
      append('%');
      i = percent + 2;
    } else if (next === '{' || next === '(' || next === '[') {
      const end = findClose(text, percent + 1, budget, macro);
      if (end === -1) {
        append(text.slice(percent));
        break;
      }
      const whole = text.slice(percent, end + 1);
      append(
        next === '{'
          ? expandBraced(text.slice(percent + 2, end), whole, macros, depth, budget, macro)
          : whole,
      );
      i = end + 1;
    } else {
      NAME.lastIndex = percent + 1;
      const name = NAME.exec(text)?.[0];
      const value = name === undefined ? undefined : macros.get(name);
      if (name === undefined || value === undefined) {
        append('%');
        i = percent + 1;
      } else {
        append(expand(value, macros, depth + 1, budget, name));
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
  budget: Budget,
  macro: string | undefined,
): string {
  const conditional = /^([?!]*)/.exec(inner)?.[1] ?? '';
  const rest = inner.slice(conditional.length);
  NAME.lastIndex = 0;
  const name = NAME.exec(rest)?.[0];
  if (name === undefined) return whole;
  const after = rest.slice(name.length);
  if (after !== '' && !after.startsWith(':')) return whole;
  const value = macros.get(name);
  if (conditional === '') {
    return after === '' && value !== undefined ? expand(value, macros, depth + 1, budget, name) : whole;
  }
  if (!conditional.includes('?')) return whole;
  const negated = (conditional.match(/!/g)?.length ?? 0) % 2 === 1;
  const defined = value !== undefined;
  if (defined === negated) return '';
  if (after === '') return negated ? '' : expand(value ?? '', macros, depth + 1, budget, name);
  return expand(after.slice(1), macros, depth + 1, budget, macro ?? name);
}

/** Index of the bracket that closes the one at `open`, counting nesting; -1 when unclosed. */
function findClose(text: string, open: number, budget: Budget, macro: string | undefined): number {
  const opening = text[open];
  const closing = opening === '{' ? '}' : opening === '(' ? ')' : ']';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === opening) depth++;
    else if (c === closing && --depth === 0) {
      spend(budget, i - open, macro);
      return i;
    }
  }
  spend(budget, text.length - open, macro);
  return -1;
}

function spend(budget: Budget, steps: number, macro: string | undefined): void {
  budget.steps += steps;
  if (budget.steps > MACRO_EXPANSION_LIMITS.maxSteps) {
    throw limitError(budget, macro, `takes more than ${MACRO_EXPANSION_LIMITS.maxSteps} steps`, {
      limit: 'maxSteps',
      value: MACRO_EXPANSION_LIMITS.maxSteps,
    });
  }
}

function limitError(
  budget: Budget,
  macro: string | undefined,
  what: string,
  data: { limit: keyof typeof MACRO_EXPANSION_LIMITS; value: number },
): ConverterError {
  const shown = budget.text.length > 80 ? `${budget.text.slice(0, 80)}…` : budget.text;
  const name =
    macro === undefined
      ? 'the text'
      : budget.root === undefined || budget.root === macro
        ? `macro %{${macro}}`
        : `macro %{${budget.root}} (at %{${macro}})`;
  return new ConverterError(
    'SPEC_INVALID',
    `${budget.where}: expanding ${name} in ${JSON.stringify(shown)} ${what} (the limit of srcgit's macro expansion; is a macro defined in terms of itself, or does it multiply?)`,
    { data: { where: budget.where, text: shown, macro: budget.root ?? macro ?? null, ...data } },
  );
}

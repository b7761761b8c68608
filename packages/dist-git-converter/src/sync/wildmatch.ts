/**
 * One step of a compiled pattern: a single character (`one`) or any run of characters, possibly
 * empty (`run`), each accepting the characters its `accepts` allows.
 */
interface WildmatchStep {
  readonly kind: 'one' | 'run';
  readonly accepts: (char: string) => boolean;
}

/** Work done by {@link WildmatchMatcher.test}, for tests that prove the bound. */
export interface WildmatchStats {
  /** State transitions tried: at most (pattern steps + 1) per character of the name. */
  transitions: number;
}

/**
 * A compiled rsync wildcard pattern. Matching simulates the pattern's automaton over the set of
 * pattern positions (no backtracking): O(pattern length × name length) time and O(pattern length)
 * memory, whatever the pattern and the name.
 */
export interface WildmatchMatcher {
  /** True when the pattern matches the whole of `text`. */
  test(text: string, stats?: WildmatchStats): boolean;
  /**
   * True when the pattern matches `text` or the part of it after any `/` (rsync's unanchored
   * `**` patterns), in the same single pass.
   */
  testAfterAnySlash(text: string, stats?: WildmatchStats): boolean;
}

/**
 * Compiles an rsync wildcard pattern (rsync's `wildmatch`) into a matcher of whole strings: `*`
 * matches any run of characters except `/`, `**` (and longer runs of `*`) also matches `/`, `?`
 * one character except `/`, `[…]` a character class (`!` or `^` negates it, `a-z` ranges,
 * `[:alpha:]`-style POSIX classes; a negated class never matches `/`), and `\` quotes the next
 * character. Characters are UTF-16 code units, as in a JavaScript regular expression.
 */
export function compileWildmatch(pattern: string): WildmatchMatcher {
  const steps = compileSteps(pattern);
  return {
    test: (text, stats) => simulate(steps, text, false, stats),
    testAfterAnySlash: (text, stats) => simulate(steps, text, true, stats),
  };
}

/** True when the pattern uses any wildcard (`*`, `?`, `[`), i.e. rsync matches it with `wildmatch`. */
export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

const notSlash = (char: string): boolean => char !== '/';
const anything = (): boolean => true;

function compileSteps(pattern: string): WildmatchStep[] {
  const steps: WildmatchStep[] = [];
  const literal = (expected: string): WildmatchStep => ({
    kind: 'one',
    accepts: (char) => char === expected,
  });
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) {
      i++;
      steps.push(literal(pattern.charAt(i)));
    } else if (char === '*') {
      let stars = 1;
      while (pattern.charAt(i + 1) === '*') {
        stars++;
        i++;
      }
      steps.push({ kind: 'run', accepts: stars >= 2 ? anything : notSlash });
    } else if (char === '?') {
      steps.push({ kind: 'one', accepts: notSlash });
    } else if (char === '[') {
      const parsed = parseClass(pattern, i);
      if (parsed === undefined) {
        steps.push(literal('['));
      } else {
        steps.push({ kind: 'one', accepts: parsed.accepts });
        i = parsed.end;
      }
    } else {
      steps.push(literal(char));
    }
  }
  return steps;
}

/**
 * The automaton's run: the set of pattern positions reachable after each character, as a list
 * plus a membership mark per position (no allocation per character). A `run` step's position may
 * also be skipped (the run is empty). With `afterAnySlash`, position 0 joins again after each `/`.
 */
function simulate(
  steps: readonly WildmatchStep[],
  text: string,
  afterAnySlash: boolean,
  stats: WildmatchStats | undefined,
): boolean {
  const size = steps.length + 1;
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  const mark = new Int32Array(size).fill(-1);
  let generation = 0;
  const add = (list: Int32Array, length: number, position: number): number => {
    let added = length;
    // Closure over empty runs: a run step may match nothing.
    for (let p = position; p < size && mark[p] !== generation; p++) {
      mark[p] = generation;
      list[added++] = p;
      if (steps[p]?.kind !== 'run') break;
    }
    return added;
  };
  let count = add(current, 0, 0);
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    generation++;
    let nextCount = 0;
    for (let k = 0; k < count; k++) {
      const position = current[k] as number;
      const step = steps[position];
      if (stats !== undefined) stats.transitions++;
      if (step === undefined || !step.accepts(char)) continue;
      nextCount = add(next, nextCount, step.kind === 'run' ? position : position + 1);
    }
    if (afterAnySlash && char === '/') nextCount = add(next, nextCount, 0);
    [current, next] = [next, current];
    count = nextCount;
    if (count === 0 && !afterAnySlash) return false;
  }
  for (let k = 0; k < count; k++) if (current[k] === steps.length) return true;
  return false;
}

/** POSIX classes as code-unit ranges. */
const POSIX_CLASSES: Readonly<Record<string, readonly (readonly [number, number])[]>> = {
  alnum: [range('A', 'Z'), range('a', 'z'), range('0', '9')],
  alpha: [range('A', 'Z'), range('a', 'z')],
  blank: [range(' ', ' '), range('\t', '\t')],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [range('0', '9')],
  graph: [[0x21, 0x7e]],
  lower: [range('a', 'z')],
  print: [[0x20, 0x7e]],
  punct: [range('!', '/'), range(':', '@'), range('[', '`'), range('{', '~')],
  space: [range(' ', ' '), range('\t', '\r')],
  upper: [range('A', 'Z')],
  xdigit: [range('0', '9'), range('A', 'F'), range('a', 'f')],
};

function range(from: string, to: string): readonly [number, number] {
  return [from.charCodeAt(0), to.charCodeAt(0)];
}

/**
 * A `[…]` class starting at `start`: its test and the index of its `]`; undefined when it is not
 * closed (the `[` is then a literal). A `-` between two members makes a range (a reversed range
 * matches nothing); first, last or after a range it is literal.
 */
function parseClass(
  pattern: string,
  start: number,
): { accepts: (char: string) => boolean; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern.charAt(i) === '!' || pattern.charAt(i) === '^') {
    negate = true;
    i++;
  }
  const ranges: (readonly [number, number])[] = [];
  /** The last single member, which a following `-` may turn into the start of a range. */
  let pending: number | undefined;
  let dash = false;
  let first = true;
  const addMember = (code: number): void => {
    if (dash && pending !== undefined) {
      ranges.pop();
      ranges.push([pending, code]);
      pending = undefined;
    } else {
      if (dash) ranges.push([0x2d, 0x2d]);
      ranges.push([code, code]);
      pending = code;
    }
    dash = false;
  };
  while (i < pattern.length) {
    const char = pattern.charAt(i);
    if (char === ']' && !first) {
      if (dash) ranges.push([0x2d, 0x2d]);
      const members = ranges;
      const accepts = (tested: string): boolean => {
        const code = tested.charCodeAt(0);
        const inside = members.some(([low, high]) => code >= low && code <= high);
        // A negated class never matches `/` in rsync's wildmatch.
        return negate ? !inside && tested !== '/' : inside;
      };
      return { accepts, end: i };
    }
    first = false;
    if (char === '[' && pattern.charAt(i + 1) === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close === -1 ? '' : pattern.slice(i + 2, close);
      const posix = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
      if (posix !== undefined) {
        // A class is never the end of a range: a `-` before it is literal, as in rsync.
        if (dash) ranges.push([0x2d, 0x2d]);
        ranges.push(...posix);
        pending = undefined;
        dash = false;
        i = close + 2;
        continue;
      }
    }
    if (char === '\\' && i + 1 < pattern.length) {
      i++;
      addMember(pattern.charCodeAt(i));
    } else if (
      char === '-' &&
      !dash &&
      pending !== undefined &&
      i + 1 < pattern.length &&
      pattern.charAt(i + 1) !== ']'
    ) {
      dash = true;
    } else {
      addMember(char.charCodeAt(0));
    }
    i++;
  }
  return undefined;
}

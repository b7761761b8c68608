import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../converter-error';
import { createRsyncFilter } from './rsync-filter';
import { compileWildmatch, type WildmatchStats } from './wildmatch';

/**
 * The regular expression srcgit compiled patterns to before the automaton (the reference for
 * "same semantics"); only ever run here on short names, where backtracking does not matter.
 */
function referenceRegExp(pattern: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const escapeClass = (char: string) => (/[\]\\^-]/.test(char) ? `\\${char}` : char);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) {
      source += escape(pattern.charAt(++i));
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
      let j = i + 1;
      let negate = false;
      if (pattern.charAt(j) === '!' || pattern.charAt(j) === '^') {
        negate = true;
        j++;
      }
      let body = '';
      let first = true;
      let closed = false;
      while (j < pattern.length) {
        const c = pattern.charAt(j);
        if (c === ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (c === '\\' && j + 1 < pattern.length) body += escapeClass(pattern.charAt(++j));
        else if (c === '-' && body !== '' && pattern.charAt(j + 1) !== ']' && j + 1 < pattern.length)
          body += '-';
        else body += escapeClass(c);
        j++;
      }
      if (closed) {
        source += negate ? `[^/${body}]` : `[${body}]`;
        i = j;
      } else {
        source += '\\[';
      }
    } else {
      source += escape(char);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

const pattern = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      '/',
      '.',
      '*',
      '**',
      '***',
      '?',
      '[ab]',
      '[!a]',
      '[^b]',
      '[a-c]',
      '[]a]',
      '[a-]',
      '[-b]',
      '[',
      ']',
      '-',
      '!',
      '\\*',
      '\\',
      '[/]',
      '[!/]',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));
const name = fc
  .array(fc.constantFrom('a', 'b', 'c', '/', '.', '-', ']', '*', '['), { maxLength: 10 })
  .map((parts) => parts.join(''));

const HOSTILE = `${'*a'.repeat(12)}*b`;

describe('compileWildmatch', () => {
  it('matches exactly what the regular expression it replaces matched', () => {
    fc.assert(
      fc.property(pattern, name, (p, n) => {
        let reference: RegExp;
        try {
          reference = referenceRegExp(p);
        } catch {
          return; // a reversed range: the old code threw, the automaton matches nothing
        }
        expect(compileWildmatch(p).test(n)).toBe(reference.test(n));
      }),
      { numRuns: 3000 },
    );
  });

  it('matches after any slash like trying every suffix, in one pass', () => {
    fc.assert(
      fc.property(pattern, name, (p, n) => {
        const matcher = compileWildmatch(p);
        const suffixes = [n, ...[...n].flatMap((char, index) => (char === '/' ? [n.slice(index + 1)] : []))];
        expect(matcher.testAfterAnySlash(n)).toBe(suffixes.some((suffix) => matcher.test(suffix)));
      }),
      { numRuns: 2000 },
    );
  });

  it('knows POSIX classes and escapes', () => {
    expect(compileWildmatch('[[:digit:]][[:upper:]]x').test('7Qx')).toBe(true);
    expect(compileWildmatch('[[:digit:]][[:upper:]]x').test('7qx')).toBe(false);
    expect(compileWildmatch('[![:alpha:]]').test('/')).toBe(false);
    expect(compileWildmatch('[![:alpha:]]').test('1')).toBe(true);
    expect(compileWildmatch('[[:constructor:]]').test('c]')).toBe(true);
    expect(compileWildmatch('a\\*b').test('a*b')).toBe(true);
    expect(compileWildmatch('a\\*b').test('axb')).toBe(false);
    expect(compileWildmatch('[z-a]').test('m')).toBe(false);
  });

  it('does work linear in the name length (state transitions counted)', () => {
    const matcher = compileWildmatch(HOSTILE);
    const transitions = (length: number): number => {
      const stats: WildmatchStats = { transitions: 0 };
      expect(matcher.test('a'.repeat(length), stats)).toBe(false);
      expect(matcher.testAfterAnySlash(`${'a/'.repeat(length / 2)}`, stats)).toBe(false);
      return stats.transitions;
    };
    const steps = 25; // 13 runs and 12 literals, plus the final position
    for (const length of [200, 2000, 20_000])
      expect(transitions(length)).toBeLessThanOrEqual(2 * (steps + 1) * length);
    // Doubling the name at most doubles the work.
    expect(transitions(40_000)).toBeLessThanOrEqual(2 * transitions(20_000) + (steps + 1) ** 2);
  });

  it('ends at once on the backtracking bomb against 200 and 20,000 characters', { timeout: 5000 }, () => {
    const filter = createRsyncFilter([`- ${HOSTILE}`, `- **/${HOSTILE}`], 'files_to_sync[0]');
    for (const length of [200, 20_000]) {
      expect(filter.isExcluded('a'.repeat(length), false)).toBe(false);
      expect(filter.isExcluded(`d/${'a'.repeat(length)}`, false)).toBe(false);
      expect(filter.isExcluded(`${'a'.repeat(length)}b`, false)).toBe(true);
    }
  });
});

describe('createRsyncFilter limits', () => {
  const attempt = (filters: string[]): unknown => {
    try {
      createRsyncFilter(filters, '.distro/source-git.yaml: files_to_sync[2]');
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses an overlong rule, naming the item and the limit', () => {
    const error = attempt([`- ${'a'.repeat(2000)}`]);
    expect(isConverterError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(
      /^\.distro\/source-git\.yaml: files_to_sync\[2\]: filter "- a+…" is 2002 characters long; a filter rule may have at most 1024$/,
    );
  });

  it('refuses too many rules, naming the item and the limit', () => {
    const error = attempt(Array.from({ length: 300 }, (_, index) => `- f${index}`));
    expect(isConverterError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain('files_to_sync[2]: 300 filters; an item may have at most 256');
  });
});

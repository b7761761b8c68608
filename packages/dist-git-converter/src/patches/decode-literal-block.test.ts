import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { decodeLiteralBlock } from './decode-literal-block';

/** What the YAML parser makes of `raw` as a trailer value (the reference). */
function byYaml(raw: string): unknown {
  const document = parseDocument(`value: ${raw}\n`, { schema: 'failsafe' });
  return document.errors.length === 0 ? document.get('value') : 'error';
}

describe('decodeLiteralBlock', () => {
  it.each([
    '|\n    # Fedora only\n    #\n    # see bug 1',
    '|\n  one\n\n  two\n',
    '|\n  a: b\n  "quoted" # not a comment\n  - item\n',
    '|\n  ends with blanks\n\n\n',
    '|\n  more\n     indented\n  back',
  ])('decodes %j as YAML does', (raw) => {
    expect(decodeLiteralBlock(raw)).toBe(byYaml(raw));
  });

  it.each([
    'plain',
    '|',
    '|-\n  x',
    '|2\n  x',
    '>\n  x',
    '|\n\tx',
    '|\n  x\n y',
    '|\n  x\n   \n  y',
    '|\n  \r',
  ])('leaves %j to the YAML parser', (raw) => {
    expect(decodeLiteralBlock(raw)).toBeUndefined();
  });

  it('decodes every block it accepts as YAML does', () => {
    const character = fc.constantFrom(
      'a',
      ' ',
      '#',
      ':',
      '-',
      '"',
      "'",
      '\t',
      'é',
      '\u00a0',
      '|',
      '>',
      '{',
      '%',
      '\\',
    );
    const text = fc.array(character, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
    const line = fc.oneof(
      fc.constant(''),
      fc.tuple(fc.integer({ min: 0, max: 3 }), text).map(([extra, body]) => ({ extra, body })),
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(line, { minLength: 1, maxLength: 6 }),
        (indent, lines) => {
          const raw = `|\n${lines
            .map((entry) => (entry === '' ? '' : `${' '.repeat(indent + entry.extra)}${entry.body}`))
            .join('\n')}`;
          const decoded = decodeLiteralBlock(raw);
          if (decoded === undefined) return;
          accepted += 1;
          expect(decoded).toBe(byYaml(raw));
        },
      ),
      { numRuns: 2000, seed: 20261121 },
    );
    // The property must exercise the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(300);
  });
});

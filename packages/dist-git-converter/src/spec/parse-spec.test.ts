import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseSpec } from './parse-spec';
import { renderSpec } from './render-spec';

const lines = (text: string) => parseSpec(text).lines;

describe('parseSpec', () => {
  it('keeps every byte: CRLF, a missing final newline, tabs and odd spacing', () => {
    for (const text of [
      '',
      '\n',
      '\n\n',
      'Name: x',
      'Name:\tx\r\nVersion :  1\r\n',
      'Name: x\r\nRelease: 1\nSummary: s\r',
      '  \t \n%if 0\n\r\n%endif',
      'Patch0001:x.patch   \n#\n# c \n',
    ]) {
      expect(renderSpec(parseSpec(text))).toBe(text);
    }
  });

  it('renders any string back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => renderSpec(parseSpec(text)) === text),
      { numRuns: 500 },
    );
    const specAlphabet = fc.constantFrom(
      '%',
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      '\\',
      '\n',
      '\r',
      ' ',
      '\t',
      '#',
      ':',
      'P',
      'if',
      'endif',
    );
    fc.assert(
      fc.property(fc.array(specAlphabet, { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        return renderSpec(parseSpec(text)) === text;
      }),
      { numRuns: 500 },
    );
  });

  it('records line endings per line and the dominant one', () => {
    const doc = parseSpec('a\r\nb\r\nc\nd');
    expect(doc.lines.map((line) => [line.text, line.eol])).toEqual([
      ['a', '\r\n'],
      ['b', '\r\n'],
      ['c', '\n'],
      ['d', ''],
    ]);
    expect(doc.eol).toBe('\r\n');
    expect(parseSpec('a\r\nb\n').eol).toBe('\n');
  });

  it('splits the main preamble, %package preambles and the other sections', () => {
    const doc = parseSpec(
      'Name: x\n\n%package -n libx\nSummary: lib\n%description -n libx\ntext: not a tag\n%PREP\n%autosetup\n%changelog\n',
    );
    expect(
      doc.sections.map((s) => [s.keyword, s.arguments, s.startLineIndex, s.endLineIndex, s.isPreamble]),
    ).toEqual([
      ['preamble', '', 0, 2, true],
      ['package', '-n libx', 2, 4, true],
      ['description', '-n libx', 4, 6, false],
      ['prep', '', 6, 8, false],
      ['changelog', '', 8, 9, false],
    ]);
    expect(doc.lines.map((line) => line.kind)).toEqual([
      'tag',
      'blank',
      'section',
      'tag',
      'section',
      'text',
      'section',
      'text',
      'section',
    ]);
    // a section header is the keyword at the start of the line, followed by a blank or the end
    expect(lines('%prepx\n %prep\n').map((line) => line.kind)).toEqual(['text', 'text']);
  });

  it('splits tags into name, number, digits, qualifier, separator and value', () => {
    const doc = parseSpec(
      'Patch0007:      keep.patch\nPatch: x.patch\nsource1 : a b \nRequires(post): sh\nSourceLicense: MIT\n',
    );
    expect(doc.lines.map((line) => line.tag)).toEqual([
      {
        name: 'Patch0007',
        baseName: 'Patch',
        digits: '0007',
        number: 7,
        qualifier: '',
        separator: ':      ',
        value: 'keep.patch',
      },
      {
        name: 'Patch',
        baseName: 'Patch',
        digits: '',
        number: undefined,
        qualifier: '',
        separator: ': ',
        value: 'x.patch',
      },
      {
        name: 'source1',
        baseName: 'source',
        digits: '1',
        number: 1,
        qualifier: '',
        separator: ' : ',
        value: 'a b ',
      },
      {
        name: 'Requires',
        baseName: 'Requires',
        digits: '',
        number: undefined,
        qualifier: '(post)',
        separator: ': ',
        value: 'sh',
      },
      {
        name: 'SourceLicense',
        baseName: 'SourceLicense',
        digits: '',
        number: undefined,
        qualifier: '',
        separator: ': ',
        value: 'MIT',
      },
    ]);
  });

  it('reads tags only in preambles and at the start of a line', () => {
    const doc = parseSpec(
      'Name: x\n Patch1: indented\n%description\nPatch2: text\n%patchlist\nc.patch\n# not an entry\n\n',
    );
    expect(doc.lines.map((line) => line.kind)).toEqual([
      'tag',
      'text',
      'section',
      'text',
      'section',
      'list-entry',
      'comment',
      'blank',
    ]);
  });

  it('tracks %if nesting with branches, across sections', () => {
    const doc = parseSpec(
      [
        'Name: x',
        '%if %{with a}',
        '  %ifarch x86_64 aarch64',
        'Patch1: a.patch',
        '  %else',
        'Patch2: b.patch',
        '  %endif',
        '%package sub',
        '%elif 0%{?fedora}',
        'Patch3: c.patch',
        '%endif # trailing',
        'Patch4: d.patch',
      ].join('\n'),
    );
    const conditions = doc.lines.map((line) =>
      line.conditions.map(
        (c) => `${c.keyword}@${c.lineIndex}${c.branch ? `/${c.branch.keyword}@${c.branch.lineIndex}` : ''}`,
      ),
    );
    expect(conditions).toEqual([
      [],
      [],
      ['if@1'],
      ['if@1', 'ifarch@2'],
      ['if@1'],
      ['if@1', 'ifarch@2/else@4'],
      ['if@1'],
      ['if@1'],
      [],
      ['if@1/elif@8'],
      [],
      [],
    ]);
    expect(doc.lines.map((line) => line.conditional)).toEqual([
      undefined,
      'if',
      'ifarch',
      undefined,
      'else',
      undefined,
      'endif',
      undefined,
      'elif',
      undefined,
      'endif',
      undefined,
    ]);
    expect(doc.lines[2]?.conditions[0]?.expression).toBe('%{with a}');
    expect(doc.problems).toEqual([]);
  });

  it('follows rpm in what counts as a conditional', () => {
    expect(lines('%ifarch\tx86_64\n%endif\n').map((line) => line.kind)).toEqual([
      'conditional',
      'conditional',
    ]);
    expect(lines('%iffy\n%endifs\n%if\n').map((line) => line.kind)).toEqual(['text', 'text', 'text']);
    expect(lines('%if 1\n%endif').map((line) => line.kind)).toEqual(['conditional', 'conditional']);
  });

  it('reports unbalanced conditionals and unclosed macros as problems, and still renders', () => {
    expect(parseSpec('Name: x\n%if 1\nPatch1: a\n').problems).toEqual([
      { lineIndex: 1, message: '%if without a matching %endif' },
    ]);
    expect(parseSpec('Name: x\n%endif\n%else\n').problems.map((p) => p.message)).toEqual([
      '%endif without a matching %if',
      '%else without a matching %if',
    ]);
    expect(parseSpec('%if 1\n%else\n%else\n%endif\n').problems).toEqual([
      { lineIndex: 2, message: '%else after %else (opened at line 1)' },
    ]);
    const unclosed = 'Name: x\n# comment %{ unbalanced\nPatch1: a\n';
    expect(parseSpec(unclosed).problems).toEqual([
      { lineIndex: 1, message: 'unclosed macro or bad line continuation' },
    ]);
    expect(renderSpec(parseSpec(unclosed))).toBe(unclosed);
  });

  it('hides the lines rpm joins into a macro, but not lines merely ending in a backslash', () => {
    const doc = parseSpec(
      [
        'Name: x',
        '%global foo bar \\',
        'Patch1: swallowed.patch',
        'Patch2: two.patch \\',
        'Patch3: three.patch',
        'Patch4: four.patch %{expand: \\',
        'Patch5: five.patch}',
        '%define baz %(echo \\',
        '  x)',
        '# comment \\',
        'Patch6: six.patch',
      ].join('\n'),
    );
    expect(doc.lines.map((line) => [line.kind, line.continues])).toEqual([
      ['tag', undefined],
      ['macro-definition', undefined],
      ['continuation', 1],
      ['tag', undefined],
      ['tag', undefined],
      ['tag', undefined],
      ['continuation', 5],
      ['macro-definition', undefined],
      ['continuation', 7],
      ['comment', undefined],
      ['tag', undefined],
    ]);
    expect(doc.macros.get('foo')).toBe('bar \nPatch1: swallowed.patch');
  });

  it('collects %global/%define and the main preamble tag macros', () => {
    const doc = parseSpec(
      'Name: curl\nVersion: 8.6.0\n%global commit abc\n%define f(x) %{x}\n%global commit def\n%package sub\nName: other\n',
    );
    expect(Object.fromEntries(doc.macros)).toEqual({ commit: 'def', name: 'curl', version: '8.6.0' });
  });
});

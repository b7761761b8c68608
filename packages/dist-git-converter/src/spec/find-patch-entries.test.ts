import { describe, expect, it } from 'vitest';

import { findPatchEntries } from './find-patch-entries';
import { parseSpec } from './parse-spec';
import { queryRpmPatchNumbers } from './query-rpm-patch-numbers.test-support';

const MINIMAL = 'Summary: s\nLicense: MIT\nVersion: 1\nRelease: 1\n';

function numbersOf(spec: string): [string, number][] {
  return findPatchEntries(parseSpec(spec)).map((entry) => [entry.expandedFileName, entry.number]);
}

function rpmNumbersOf(spec: string): [string, number][] {
  return queryRpmPatchNumbers(spec).map((patch) => [patch.fileName, patch.number]);
}

describe('findPatchEntries', () => {
  it('returns tags and %patchlist lines with their comment blocks', () => {
    const spec = [
      'Name: hello',
      'Source: hello.tar.gz',
      '',
      '# Say hello to Fedora',
      '#',
      'Patch0001: turn-into-fedora.patch',
      '# comment separated by a blank line is not attached',
      '',
      'Patch0002:\t%{name}-from-git.patch  ',
      '%description',
      'd',
      '%patchlist',
      '# listed',
      'listed.patch',
    ].join('\n');
    const entries = findPatchEntries(parseSpec(spec));
    expect(
      entries.map((e) => ({
        kind: e.kind,
        tagName: e.tagName,
        number: e.number,
        numberIsExplicit: e.numberIsExplicit,
        width: e.width,
        fileName: e.fileName,
        expandedFileName: e.expandedFileName,
        commentLines: e.commentLines,
        lines: [e.commentStartIndex, e.lineIndex, e.endLineIndex],
      })),
    ).toEqual([
      {
        kind: 'tag',
        tagName: 'Patch0001',
        number: 1,
        numberIsExplicit: true,
        width: 4,
        fileName: 'turn-into-fedora.patch',
        expandedFileName: 'turn-into-fedora.patch',
        commentLines: ['# Say hello to Fedora', '#'],
        lines: [3, 5, 6],
      },
      {
        kind: 'tag',
        tagName: 'Patch0002',
        number: 2,
        numberIsExplicit: true,
        width: 4,
        fileName: '%{name}-from-git.patch',
        expandedFileName: 'hello-from-git.patch',
        commentLines: [],
        lines: [8, 8, 9],
      },
      {
        kind: 'patchlist',
        tagName: '%patchlist',
        number: 3,
        numberIsExplicit: false,
        width: 0,
        fileName: 'listed.patch',
        expandedFileName: 'listed.patch',
        commentLines: ['# listed'],
        lines: [12, 13, 14],
      },
    ]);
  });

  it('counts the digit width only for numbers with a leading zero', () => {
    const widths = findPatchEntries(
      parseSpec('Name: x\nPatch7: a\nPatch10: b\nPatch0: c\nPatch007: d\n'),
    ).map((e) => e.width);
    expect(widths).toEqual([0, 0, 1, 3]);
  });

  it('gives the conditional context', () => {
    const [entry] = findPatchEntries(
      parseSpec('Name: x\n%ifarch s390x\n%if %{with foo}\nPatch1: a\n%endif\n%endif\n'),
    );
    expect(entry?.conditions.map((c) => [c.keyword, c.expression])).toEqual([
      ['ifarch', 's390x'],
      ['if', '%{with foo}'],
    ]);
  });

  it('numbers unnumbered tags and %patchlist lines as rpm does', () => {
    const spec = [
      'Name: a',
      MINIMAL,
      'Patch: un1.patch',
      'Patch3: three.patch',
      'Patch: un2.patch',
      'Patch1: one.patch',
      'patch: un3.patch',
      '%package sub',
      'Summary: sub',
      'Patch: sub.patch',
      '%description',
      'd',
      '%description sub',
      'd',
      '%patchlist',
      'pl1.patch',
      '# comment',
      '',
      '%{name}-pl2.patch',
      '%prep',
    ].join('\n');
    const expected: [string, number][] = [
      ['un1.patch', 0],
      ['three.patch', 3],
      ['un2.patch', 4],
      ['one.patch', 1],
      ['un3.patch', 5],
      ['sub.patch', 6],
      ['pl1.patch', 7],
      ['a-pl2.patch', 8],
    ];
    expect(numbersOf(spec)).toEqual(expected);
    expect(rpmNumbersOf(spec)).toEqual(expected);
  });

  it('numbers a %patchlist without Patch tags from 0, like rpm', () => {
    const spec = `Name: b\n${MINIMAL}%description\nd\n%patchlist\nfirst.patch\nsecond.patch\n`;
    expect(numbersOf(spec)).toEqual(rpmNumbersOf(spec));
    expect(numbersOf(spec)).toEqual([
      ['first.patch', 0],
      ['second.patch', 1],
    ]);
  });

  it('numbers unnumbered tags in %if branches from the number before the %if', () => {
    const spec = [
      'Name: c',
      MINIMAL,
      'Patch4: four.patch',
      '%if 1',
      'Patch: then.patch',
      '%else',
      'Patch: else-1.patch',
      'Patch: else-2.patch',
      '%endif',
      'Patch: after.patch',
      '%description',
      'd',
    ].join('\n');
    expect(numbersOf(spec)).toEqual([
      ['four.patch', 4],
      ['then.patch', 5],
      ['else-1.patch', 5],
      ['else-2.patch', 6],
      ['after.patch', 7],
    ]);
    // rpm evaluates the condition: the taken branch agrees with the model
    expect(rpmNumbersOf(spec)).toEqual([
      ['four.patch', 4],
      ['then.patch', 5],
      ['after.patch', 6],
    ]);
  });
});

import { describe, expect, it } from 'vitest';

import { parseSpec } from './parse-spec';
import { readPrep } from './read-prep';

const PREAMBLE = [
  'Name: x',
  'Patch0: zero.patch',
  'Patch1: one.patch',
  'Patch2: two.patch',
  '%ifarch s390x',
  'Patch3: s390.patch',
  '%endif',
  'Patch10: ten.patch',
  '%description',
  'd',
].join('\n');

function prep(body: string) {
  return readPrep(parseSpec(`${PREAMBLE}\n%prep\n${body}\n%build\nmake\n`));
}

const summary = (report: ReturnType<typeof prep>) =>
  report.applications.map((a) => [a.directive, a.number, a.stripLevel, a.entry?.fileName]);

describe('readPrep', () => {
  it('%autosetup applies every declared patch in number order', () => {
    const report = prep('%autosetup -p1 -S git -n x-%{version}');
    expect(summary(report)).toEqual([
      ['autosetup', 0, 1, 'zero.patch'],
      ['autosetup', 1, 1, 'one.patch'],
      ['autosetup', 2, 1, 'two.patch'],
      ['autosetup', 3, 1, 's390.patch'],
      ['autosetup', 10, 1, 'ten.patch'],
    ]);
    expect(report.applications.every((a) => a.backend === 'git')).toBe(true);
    expect(report.usesAutosetup).toBe(true);
    expect(report.unapplied).toEqual([]);
    expect(prep('%autosetup').applications[0]).toMatchObject({ stripLevel: undefined, backend: 'patch' });
  });

  it('%autosetup -N applies nothing; %autopatch takes ranges and lists', () => {
    const report = prep('%autosetup -N\n%autopatch -p1 -M 2\n%autopatch -p2 -m 10\n%autopatch 3');
    expect(summary(report)).toEqual([
      ['autopatch', 0, 1, 'zero.patch'],
      ['autopatch', 1, 1, 'one.patch'],
      ['autopatch', 2, 1, 'two.patch'],
      ['autopatch', 10, 2, 'ten.patch'],
      ['autopatch', 3, undefined, 's390.patch'],
    ]);
    expect(report.usesAutosetup).toBe(true);
  });

  it('reads every %patch form with its -p level and conditional context', () => {
    const report = prep(
      [
        '%setup -q',
        '%patch0 -p1',
        '%patch 1',
        '%patch -P 2 -p0 -b .orig',
        '%ifarch s390x',
        '%patch -P3 -p2',
        '%endif',
      ].join('\n'),
    );
    expect(summary(report)).toEqual([
      ['patch', 0, 1, 'zero.patch'],
      ['patch', 1, undefined, 'one.patch'],
      ['patch', 2, 0, 'two.patch'],
      ['patch', 3, 2, 's390.patch'],
    ]);
    expect(report.applications[3]?.conditions.map((c) => [c.keyword, c.expression])).toEqual([
      ['ifarch', 's390x'],
    ]);
    expect(report.usesAutosetup).toBe(false);
    expect(report.unapplied.map((entry) => entry.fileName)).toEqual(['ten.patch']);
  });

  it('reports patch applications it does not model, and undeclared numbers', () => {
    const report = prep('%setup -q\npatch -p1 < %{PATCH10}\ngit am %{patches}\n%patch -P %{n}\n%patch 7');
    expect(report.unsupported.map((u) => [u.lineIndex, u.reason])).toEqual([
      [12, 'applies a patch outside %autosetup, %autopatch and %patch'],
      [13, 'applies a patch outside %autosetup, %autopatch and %patch'],
      [14, '%patch arguments must be patch numbers'],
    ]);
    expect(summary(report)).toEqual([['patch', 7, undefined, undefined]]);
    expect(report.unapplied.map((entry) => entry.number)).toEqual([0, 1, 2, 3, 10]);
  });

  it('records where each %patch number is written, for rewriting it in place', () => {
    const body = [
      '%patch0 -p1',
      '%patch 1',
      '  %patch -P 2 -p0',
      '%patch -P10 -P3',
      '%patch',
      '%autopatch 3',
    ];
    const report = prep(body.join('\n'));
    const written = report.applications.map((application) => {
      const text = body[application.lineIndex - 11] ?? '';
      const span = application.numberSpan;
      return span === undefined ? undefined : text.slice(span.start, span.end);
    });
    expect(written).toEqual(['0', '1', '2', '10', '3', undefined, undefined]);
  });

  it('notes %{patches} (every patch) and the numbers of %{PATCHn}', () => {
    expect(prep('%setup -q\nfor p in %{patches}; do patch -p1 < $p; done').appliesAllPatches).toBe(true);
    const report = prep('%setup -q\npatch -p1 < %{PATCH10}\npatch -p1 < %PATCH2');
    expect(report.appliesAllPatches).toBe(false);
    expect(report.referencedNumbers).toEqual([10, 2]);
  });

  it('ignores %prep-like lines in other sections', () => {
    const report = readPrep(parseSpec('Name: x\nPatch1: a\n%description\n%patch1\n%build\n%autosetup\n'));
    expect(report.applications).toEqual([]);
    expect(report.usesAutosetup).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { editSpecLines } from './edit-spec-lines';
import { parseSpec } from './parse-spec';
import { planPrepPatchLines } from './plan-prep-patch-lines';
import { queryRpmPrepPatches } from './query-rpm-prep-patches.test-support';
import { removePatchEntries } from './remove-patch-entries';
import { renderDistGitSpec } from './render-dist-git-spec';
import type { SpecPatch } from './spec-patch';

/**
 * A spec shaped like packit/specfile's test specs: `Patch0..2` generated from source-git commits,
 * optionally hand-written tags (`extraTags`), and the given `%prep` body.
 */
function spec(prep: readonly string[], extraTags: readonly string[] = []): string {
  return [
    'Name:           test',
    'Version:        0.1',
    'Release:        1%{?dist}',
    'Summary:        Test package',
    'License:        MIT',
    '',
    'Source0:        %{name}-%{version}.tar.xz',
    'Patch0:         patch0.patch',
    'Patch1:         patch1.patch',
    'Patch2:         patch2.patch',
    ...extraTags,
    '',
    '%description',
    'Test package',
    '',
    '%prep',
    ...prep,
    '',
    '%build',
    'make',
    '',
    '%changelog',
    '* Thu Jun 07 2018 Nikola Forró <nforro@redhat.com> - 0.1-1',
    '- first version',
    '',
  ].join('\n');
}

const GENERATED = ['patch0.patch', 'patch1.patch', 'patch2.patch'];

function patch(fileName: string, id: number | undefined = undefined): SpecPatch {
  return { fileName, id, comment: undefined, commentIsExplicit: false, presentInSpec: false };
}

/**
 * One `update-dist-git` spec step: `.distro` spec = the dist-git spec without the generated tags
 * (what `init` writes), the previous dist-git spec as template, and the series `names`.
 */
function convert(previous: string, names: readonly string[], ids: readonly (number | undefined)[] = []) {
  const managed = new Set(GENERATED);
  return renderDistGitSpec({
    specPath: '.distro/test.spec',
    distroSpec: removePatchEntries(previous, (entry) => managed.has(entry.expandedFileName)),
    previousDistGitSpec: previous,
    patches: names.map((name, index) => patch(name, ids[index])),
    digits: 1,
  });
}

/** The lines of `%prep` (without the header) up to the blank line before `%build`. */
function prepOf(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf('%prep') + 1;
  return lines.slice(start, lines.indexOf('%build') - 1);
}

const WITH_NEW = [...GENERATED, 'patch3.patch'];

describe('a new patch is applied by %prep in the file style', () => {
  it.each([
    ['%patch -P0 -p1', ['%patch -P0 -p1', '%patch -P1 -p1', '%patch -P2 -p1'], '%patch -P3 -p1'],
    ['%patch0 -p1', ['%patch0 -p1', '%patch1 -p1', '%patch2 -p1'], '%patch3 -p1'],
    ['%patch 0 -p1', ['%patch 0 -p1', '%patch 1 -p1', '%patch 2 -p1'], '%patch 3 -p1'],
    [
      '%patch -P 0 -p2 -b .orig',
      ['%patch -P 0 -p2 -b .orig', '%patch -P 1 -p2 -b .orig', '%patch -P 2 -p2 -b .orig'],
      '%patch -P 3 -p2 -b .orig',
    ],
    [
      '%patch -P00 -p1 (zero-padded)',
      ['%patch -P00 -p1', '%patch -P01 -p1', '%patch -P02 -p1'],
      '%patch -P03 -p1',
    ],
  ])('%s', (_style, lines, expected) => {
    const previous = spec(['%setup -q', ...lines]);
    const result = convert(previous, WITH_NEW);

    expect(prepOf(result.text)).toEqual(['%setup -q', ...lines, expected]);
    expect(result.text.replace(`${expected}\n`, '').replace('Patch3:         patch3.patch\n', '')).toBe(
      previous,
    );
    expect(result.warnings).toEqual([]);
    expect(queryRpmPrepPatches(result.text, WITH_NEW)).toEqual(WITH_NEW);
    // Converting again (dist-git now has the line, .distro does not) gives the same bytes.
    expect(convert(result.text, WITH_NEW).text).toBe(result.text);
  });

  it('puts the line after the line of the preceding number, wherever that is', () => {
    const previous = spec([
      '%setup -q',
      '%patch -P0 -p1',
      '%patch -P1 -p1',
      '%patch -P2 -p1',
      'sed -i s/a/b/ configure',
    ]);
    const result = convert(previous, WITH_NEW);
    expect(prepOf(result.text)).toEqual([
      '%setup -q',
      '%patch -P0 -p1',
      '%patch -P1 -p1',
      '%patch -P2 -p1',
      '%patch -P3 -p1',
      'sed -i s/a/b/ configure',
    ]);
  });

  it('%autosetup -p1 applies every patch: nothing to add', () => {
    const previous = spec(['%autosetup -p1']);
    const result = convert(previous, WITH_NEW);
    expect(prepOf(result.text)).toEqual(['%autosetup -p1']);
    expect(result.warnings).toEqual([]);
    expect(queryRpmPrepPatches(result.text, WITH_NEW)).toEqual(WITH_NEW);
  });

  it('%autosetup -N + %autopatch -p1 -M 99: a number in the range needs nothing', () => {
    const previous = spec(['%autosetup -N', '%autopatch -p1 -M 99']);
    const result = convert(previous, WITH_NEW);
    expect(prepOf(result.text)).toEqual(['%autosetup -N', '%autopatch -p1 -M 99']);
    expect(result.warnings).toEqual([]);
    expect(queryRpmPrepPatches(result.text, WITH_NEW)).toEqual(WITH_NEW);
  });

  it('a number past the %autopatch range gets an explicit line after the conditional hand-written patch', () => {
    // Patch100 is a hand-written .distro patch applied on s390x only; the new patch gets 101.
    const previous = spec(
      ['%autosetup -N', '%autopatch -p1 -M 99', '', '%ifarch s390x', '%patch100 -p1', '%endif'],
      ['Patch100:       s390.patch'],
    );
    const result = convert(previous, WITH_NEW);
    expect(result.changes.find((change) => change.fileName === 'patch3.patch')?.number).toBe(101);
    expect(prepOf(result.text)).toEqual([
      '%autosetup -N',
      '%autopatch -p1 -M 99',
      '',
      '%ifarch s390x',
      '%patch100 -p1',
      '%endif',
      '%patch101 -p1',
    ]);
    expect(queryRpmPrepPatches(result.text, [...WITH_NEW, 's390.patch'])).toEqual([
      ...GENERATED,
      'patch3.patch',
    ]);
    expect(convert(result.text, WITH_NEW).text).toBe(result.text);
  });

  it('a number past every %autopatch range, with no %patch line to copy, follows the %autopatch', () => {
    const previous = spec(['%autosetup -N', '%autopatch -p1 -M 2', 'autoreconf -fi']);
    const result = convert(previous, WITH_NEW);
    expect(prepOf(result.text)).toEqual([
      '%autosetup -N',
      '%autopatch -p1 -M 2',
      '%patch -P3 -p1',
      'autoreconf -fi',
    ]);
    expect(result.warnings).toEqual([]);
    expect(queryRpmPrepPatches(result.text, WITH_NEW)).toEqual(WITH_NEW);
  });

  it('%{patches} in a loop or git am applies every patch: nothing to add, no warning', () => {
    for (const line of ['for p in %{patches}; do patch -p1 < $p; done', 'git am %{patches}']) {
      const previous = spec(['%setup -q', line]);
      const result = convert(previous, WITH_NEW);
      expect(prepOf(result.text)).toEqual(['%setup -q', line]);
      expect(result.warnings).toEqual([]);
      expect(queryRpmPrepPatches(result.text, WITH_NEW)).toEqual(WITH_NEW);
    }
  });

  it('warns when %prep applies no patch in a way that can be followed', () => {
    for (const body of [
      ['%setup -q'],
      ['%autosetup -N'],
      ['%setup -q', 'patch -p1 < %{PATCH0}', 'patch -p1 < %{PATCH1}', 'patch -p1 < %{PATCH2}'],
    ]) {
      const previous = spec(body);
      const result = convert(previous, WITH_NEW);
      expect(prepOf(result.text)).toEqual(body);
      expect(result.text).toContain('Patch3:         patch3.patch\n');
      const missing = body.length === 4 ? ['patch3.patch'] : WITH_NEW;
      expect(result.warnings).toEqual(
        missing.map(
          (name) =>
            `.distro/test.spec: %prep does not apply Patch${name.slice(5, 6)} (${name}), so rpmbuild builds without it: apply it in %prep (%autosetup -p1, %autopatch -p1, or "%patch -P${name.slice(5, 6)} -p1")`,
        ),
      );
      expect(queryRpmPrepPatches(result.text, WITH_NEW)).not.toContain('patch3.patch');
    }
  });

  it('several new patches go in number order after the last line', () => {
    const previous = spec(['%setup -q', '%patch0 -p1', '%patch1 -p1', '%patch2 -p1']);
    const names = [...WITH_NEW, 'patch4.patch', 'patch5.patch'];
    const result = convert(previous, names);
    expect(prepOf(result.text)).toEqual([
      '%setup -q',
      '%patch0 -p1',
      '%patch1 -p1',
      '%patch2 -p1',
      '%patch3 -p1',
      '%patch4 -p1',
      '%patch5 -p1',
    ]);
    expect(queryRpmPrepPatches(result.text, names)).toEqual(names);
  });
});

describe('a removed or renumbered patch loses its %patch line', () => {
  it('removes the line of a dropped patch, quietly, and converting again keeps it out', () => {
    const previous = spec(['%setup -q', '%patch -P0 -p1', '%patch -P1 -p1', '%patch -P2 -p1']);
    const names = ['patch0.patch', 'patch2.patch'];
    const result = convert(previous, names);
    expect(prepOf(result.text)).toEqual(['%setup -q', '%patch -P0 -p1', '%patch -P2 -p1']);
    expect(result.text).not.toContain('patch1.patch');
    expect(result.warnings).toEqual([]);
    expect(queryRpmPrepPatches(result.text, names)).toEqual(names);
    // The .distro spec still has the line: it is left out again, with a warning to remove it.
    const again = renderDistGitSpec({
      specPath: '.distro/test.spec',
      distroSpec: removePatchEntries(previous, () => true),
      previousDistGitSpec: result.text,
      patches: names.map((name) => patch(name)),
      digits: 1,
    });
    expect(again.text).toBe(result.text);
    expect(again.warnings).toEqual([
      '.distro/test.spec: "%patch -P1 -p1" in %prep applies a patch the spec does not declare (rpm stops with "No patch number"); it is left out of the dist-git spec',
    ]);
  });

  it('a renumbered patch (Patch-id) is applied under its new number', () => {
    const previous = spec(['%setup -q', '%patch -P0 -p1', '%patch -P1 -p1', '%patch -P2 -p1']);
    const result = convert(previous, GENERATED, [undefined, undefined, 5]);
    expect(result.text).toContain('Patch5:         patch2.patch\n');
    expect(prepOf(result.text)).toEqual(['%setup -q', '%patch -P0 -p1', '%patch -P1 -p1', '%patch -P5 -p1']);
    expect(result.warnings).toEqual([]);
    expect(queryRpmPrepPatches(result.text, GENERATED)).toEqual(GENERATED);
  });

  it('leaves a line that also applies a declared patch, with a warning', () => {
    const previous = spec(['%setup -q', '%patch -P0 -P1 -p1', '%patch -P2 -p1']);
    const result = convert(previous, ['patch0.patch', 'patch2.patch']);
    expect(prepOf(result.text)).toEqual(['%setup -q', '%patch -P0 -P1 -p1', '%patch -P2 -p1']);
    expect(result.warnings).toEqual([
      '.distro/test.spec: "%patch -P0 -P1 -p1" in %prep applies Patch1, which the spec does not declare (rpm stops with "No patch number"); the line is left as it is',
    ]);
  });
});

describe('planPrepPatchLines', () => {
  it('puts a patch numbered below every applied one before the first, outside its %if', () => {
    const text = [
      'Name: x',
      'Patch1: one.patch',
      'Patch2: two.patch',
      'Patch5: five.patch',
      '%prep',
      '%setup -q',
      '%if %{with one}',
      '  %patch -P1 -p1',
      '%endif',
      '%patch -P2 -p1',
      '',
    ].join('\n');
    const document = parseSpec(text);
    const plan = planPrepPatchLines(document, {
      specPath: 'x.spec',
      patches: [
        { fileName: 'five.patch', number: 5 },
        { fileName: 'zero.patch', number: 0 },
      ],
      retiredNumbers: new Set(),
    });
    expect(editSpecLines(document, plan.edits).split('\n').slice(5)).toEqual([
      '%setup -q',
      '  %patch -P0 -p1',
      '%if %{with one}',
      '  %patch -P1 -p1',
      '%endif',
      '%patch -P2 -p1',
      '%patch -P5 -p1',
      '',
    ]);
  });

  it('steps past a continued line and writes %patch -P for a line it cannot copy', () => {
    const text = [
      'Name: x',
      'Patch1: one.patch',
      'Patch2: two.patch',
      '%prep',
      '%patch1 \\',
      '  -p1',
      'make',
      '',
    ].join('\n');
    const document = parseSpec(text);
    const plan = planPrepPatchLines(document, {
      specPath: 'x.spec',
      patches: [{ fileName: 'two.patch', number: 2 }],
      retiredNumbers: new Set(),
    });
    expect(editSpecLines(document, plan.edits).split('\n').slice(4)).toEqual([
      '%patch1 \\',
      '  -p1',
      '%patch -P2 -p1',
      'make',
      '',
    ]);
  });
});

describe('every generated patch is applied (property, rpm as the judge)', () => {
  /** `%prep` styles: how the line of patch `n` is written, or an %autopatch range. */
  const STYLES: Record<string, ((n: number) => string) | 'autopatch'> = {
    '-P': (n) => `%patch -P${n} -p1`,
    '-P space': (n) => `%patch -P ${n} -p1 -b .p${'x'}`,
    attached: (n) => `%patch${n} -p1`,
    positional: (n) => `%patch ${n} -p1`,
    autopatch: 'autopatch',
  };
  const scenario = fc.record({
    style: fc.constantFrom(...Object.keys(STYLES)),
    kept: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
    added: fc.integer({ min: 0, max: 3 }),
    between: fc.constantFrom('', 'echo applied'),
  });

  it('a sync applies exactly the series, in order, and a second sync gives the same bytes', () => {
    fc.assert(
      fc.property(scenario, ({ style, kept, added, between }) => {
        const old = kept.map((_, index) => `old${index}.patch`);
        const writer = STYLES[style];
        const prep =
          writer === 'autopatch'
            ? ['%autosetup -N', `%autopatch -p1 -M ${kept.length - 1}`, 'autoreconf -fi']
            : [
                '%setup -q',
                ...old.flatMap((_, index) => [writer?.(index) ?? '', ...(between === '' ? [] : [between])]),
              ];
        const previous = [
          'Name: test',
          'Version: 1',
          'Release: 1',
          'Summary: s',
          'License: MIT',
          ...old.map((name, index) => `Patch${index}: ${name}`),
          '%description',
          'd',
          '%prep',
          ...prep,
          '%build',
          'make',
          '',
        ].join('\n');
        const series = [
          ...old.filter((_, index) => kept[index] === true),
          ...Array.from({ length: added }, (_, index) => `new${index}.patch`),
        ];
        const managed = new Set(old);
        const render = (template: string) =>
          renderDistGitSpec({
            specPath: '.distro/test.spec',
            distroSpec: removePatchEntries(previous, (entry) => managed.has(entry.expandedFileName)),
            previousDistGitSpec: template,
            patches: series.map((name) => patch(name)),
            digits: 0,
          });
        const result = render(previous);
        const applied = queryRpmPrepPatches(result.text, [...new Set([...old, ...series])]);
        expect({ applied, warnings: result.warnings }).toEqual({ applied: series, warnings: [] });
        expect(render(result.text).text).toBe(result.text);
      }),
      { numRuns: 30 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { addPatchEntry } from './add-patch-entry';
import { findPatchEntries } from './find-patch-entries';
import type { SpecPatchEntry } from './find-patch-entries';
import { parseSpec } from './parse-spec';
import { queryRpmPatchNumbers } from './query-rpm-patch-numbers.test-support';
import { removePatchEntries } from './remove-patch-entries';
import { renderDistGitSpec } from './render-dist-git-spec';
import { renderSpec } from './render-spec';
import type { SpecPatch } from './spec-patch';

type TagStyle = 'padded' | 'plain' | 'unnumbered';

interface GeneratedPatch {
  readonly style: TagStyle;
  readonly step: number;
  readonly separator: string;
  readonly comment: readonly string[];
  readonly blankBefore: boolean;
  readonly wrapped: boolean;
}

interface GeneratedSpec {
  readonly nameSeparator: string;
  readonly sourceSeparator: string;
  readonly width: number;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly patches: readonly GeneratedPatch[];
  readonly patchlist: readonly { readonly comment: readonly string[] }[] | null;
  readonly crlf: boolean;
  readonly finalNewline: boolean;
}

const commentLine = fc.constantFrom(
  '# fix the build',
  '#',
  '# see https://example.com/b/1',
  '#no space',
  '## twice',
);
const filler = fc.constantFrom(
  'BuildRequires: gcc',
  'BuildRequires:  make',
  '',
  '# a remark about the build',
  '%global commit0 0123abc',
  'Provides:       demo-extra',
  '%if 0%{?fedora} >= 0\nBuildRequires: python3\n%endif',
  '%ifnarch nonexistent-arch\nRequires: bash\n%endif',
);

const generatedSpec: fc.Arbitrary<GeneratedSpec> = fc.record({
  nameSeparator: fc.constantFrom(': ', ':           ', ':\t'),
  sourceSeparator: fc.constantFrom(': ', ':        ', ':\t', ':'),
  width: fc.integer({ min: 1, max: 4 }),
  before: fc.array(filler, { maxLength: 4 }),
  after: fc.array(filler, { maxLength: 4 }),
  patches: fc.array(
    fc.record({
      style: fc.constantFrom<TagStyle>('padded', 'plain', 'unnumbered'),
      step: fc.integer({ min: 1, max: 4 }),
      separator: fc.constantFrom(': ', ':      ', ':\t', ':'),
      comment: fc.array(commentLine, { maxLength: 3 }),
      blankBefore: fc.boolean(),
      wrapped: fc.boolean(),
    }),
    { maxLength: 7 },
  ),
  patchlist: fc.option(
    fc.array(fc.record({ comment: fc.array(commentLine, { maxLength: 2 }) }), { maxLength: 3 }),
  ),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
});

/** Spec text for a generated layout; `crlf` is honoured only when `allowCrlf` (rpm reads LF files). */
function specText(spec: GeneratedSpec, allowCrlf: boolean): string {
  const lines: string[] = [
    `Name${spec.nameSeparator}demo`,
    'Version: 1.0',
    'Release: 1%{?dist}',
    'Summary: A demo',
    'License: MIT',
    ...spec.before,
    `Source0${spec.sourceSeparator}demo-%{version}.tar.gz`,
  ];
  let next = 0;
  for (const [index, patch] of spec.patches.entries()) {
    const number = patch.style === 'unnumbered' ? next : next + patch.step - 1;
    next = number + 1;
    const digits = patch.style === 'padded' ? String(number).padStart(spec.width, '0') : String(number);
    const tag = `Patch${patch.style === 'unnumbered' ? '' : digits}${patch.separator}${index}-fix-%{name}.patch`;
    if (patch.blankBefore) lines.push('');
    if (patch.wrapped) lines.push('%if 1');
    lines.push(...patch.comment, tag);
    if (patch.wrapped) lines.push('%endif');
  }
  lines.push(...spec.after, '', '%description', 'Demo.', '');
  if (spec.patchlist !== null) {
    lines.push('%patchlist');
    for (const [index, item] of spec.patchlist.entries())
      lines.push(...item.comment, `listed-${index}.patch`);
    lines.push('');
  }
  lines.push(
    '%prep',
    '%autosetup -p1',
    '',
    '%changelog',
    '* Mon Jan 01 2024 A U Thor <a@example.com> - 1.0-1',
    '- first',
  );
  const eol = allowCrlf && spec.crlf ? '\r\n' : '\n';
  return lines.join('\n').split('\n').join(eol) + (spec.finalNewline ? eol : '');
}

function asPatch(entry: SpecPatchEntry, withId: boolean, explicit: boolean): SpecPatch {
  return {
    fileName: entry.expandedFileName,
    id: withId ? entry.number : undefined,
    comment: entry.commentLines.join('\n'),
    commentIsExplicit: explicit,
    presentInSpec: false,
  };
}

const nonBlankLines = (text: string): string[] => text.split(/\r?\n/).filter((line) => line.trim() !== '');

describe('spec model properties', () => {
  it('parse/render is the identity on generated specs', () => {
    fc.assert(
      fc.property(generatedSpec, (spec) => {
        const text = specText(spec, true);
        expect(renderSpec(parseSpec(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('removing entries and rendering them back with the original as template gives the original bytes', () => {
    fc.assert(
      fc.property(
        generatedSpec,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (spec, managedMask, withIds, explicit) => {
          const previous = specText(spec, true);
          const entries = findPatchEntries(parseSpec(previous));
          const managed = entries.filter((_, index) => managedMask[index] ?? true);
          const managedLines = new Set(managed.map((entry) => entry.lineIndex));
          const distro = removePatchEntries(previous, (entry) => managedLines.has(entry.lineIndex));
          const result = renderDistGitSpec({
            specPath: '.distro/demo.spec',
            distroSpec: distro,
            previousDistGitSpec: previous,
            patches: managed.map((entry) => asPatch(entry, withIds, explicit)),
            digits: spec.width,
          });
          expect(result.text).toBe(previous);
          expect(result.changes.every((change) => change.action === 'kept')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rpm parses every generated spec and numbers its patches as findPatchEntries does', () => {
    fc.assert(
      fc.property(generatedSpec, (spec) => {
        const text = specText(spec, false);
        const ours = findPatchEntries(parseSpec(text)).map((entry) => [entry.expandedFileName, entry.number]);
        expect(queryRpmPatchNumbers(text).map((patch) => [patch.fileName, patch.number])).toEqual(ours);
        const stripped = removePatchEntries(text, () => true);
        expect(queryRpmPatchNumbers(stripped)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('a first sync adds every patch so that rpm applies them in series order', () => {
    fc.assert(
      fc.property(
        generatedSpec,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (spec, keptMask) => {
          const text = specText(spec, false);
          const entries = findPatchEntries(parseSpec(text));
          const handWritten = new Set(
            entries.filter((_, index) => keptMask[index] ?? false).map((entry) => entry.lineIndex),
          );
          const series = entries.filter((entry) => !handWritten.has(entry.lineIndex));
          const result = renderDistGitSpec({
            specPath: '.distro/demo.spec',
            distroSpec: removePatchEntries(text, (entry) => !handWritten.has(entry.lineIndex)),
            previousDistGitSpec: undefined,
            patches: series.map((entry) => asPatch(entry, false, false)),
            digits: spec.width,
          });
          const rpm = new Map(
            queryRpmPatchNumbers(result.text).map((patch) => [patch.fileName, patch.number]),
          );
          const numbers = result.changes.map((change) => change.number);
          expect(numbers).toEqual(series.map((entry) => rpm.get(entry.expandedFileName)));
          expect(numbers).toEqual([...numbers].sort((a, b) => (a ?? 0) - (b ?? 0)));
          expect(new Set(numbers).size).toBe(numbers.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('adding a series at once equals adding its patches one by one (addPatchEntry)', () => {
    fc.assert(
      fc.property(
        generatedSpec,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (spec, keptMask, digits) => {
          const text = specText(spec, true);
          const entries = findPatchEntries(parseSpec(text));
          const handWritten = new Set(
            entries.filter((_, index) => keptMask[index] ?? false).map((entry) => entry.lineIndex),
          );
          const distro = removePatchEntries(text, (entry) => !handWritten.has(entry.lineIndex));
          const series = entries.filter((entry) => !handWritten.has(entry.lineIndex));
          const batch = renderDistGitSpec({
            specPath: '.distro/demo.spec',
            distroSpec: distro,
            previousDistGitSpec: undefined,
            patches: series.map((entry) => asPatch(entry, false, false)),
            digits,
          });
          let sequential = distro;
          for (const entry of series) {
            sequential = addPatchEntry(
              sequential,
              { fileName: entry.expandedFileName, comment: entry.commentLines.join('\n') },
              { digits },
            ).text;
          }
          expect(batch.text).toBe(sequential);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps the packager's lines and every patch once when the packager edits around the patches", () => {
    fc.assert(
      fc.property(
        generatedSpec,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete'), fc.nat(9)), {
          minLength: 1,
          maxLength: 5,
        }),
        (spec, edits) => {
          const previous = specText(spec, false);
          const entries = findPatchEntries(parseSpec(previous));
          const distro = removePatchEntries(previous, () => true);
          const lines = distro.split('\n');
          for (const [position, kind, tag] of edits) {
            const doc = parseSpec(lines.join('\n'));
            const mainEnd = doc.sections[0]?.endLineIndex ?? 1;
            const at = 1 + (position % Math.max(1, mainEnd - 1));
            const line = doc.lines[at];
            if (kind === 'insert') lines.splice(at, 0, `BuildRequires: extra${tag}`);
            else if (
              line !== undefined &&
              line.conditions.length === 0 &&
              /^BuildRequires|^$/.test(line.text)
            )
              lines.splice(at, 1);
          }
          const edited = lines.join('\n');
          const result = renderDistGitSpec({
            specPath: '.distro/demo.spec',
            distroSpec: edited,
            previousDistGitSpec: previous,
            patches: entries.map((entry) => asPatch(entry, false, true)),
            digits: spec.width,
          });
          const rpm = queryRpmPatchNumbers(result.text);
          expect(rpm.map((patch) => patch.fileName).sort()).toEqual(
            entries.map((entry) => entry.expandedFileName).sort(),
          );
          const numbers = entries.map(
            (entry) => rpm.find((patch) => patch.fileName === entry.expandedFileName)?.number,
          );
          expect(numbers).toEqual([...numbers].sort((a, b) => (a ?? 0) - (b ?? 0)));
          expect(nonBlankLines(removePatchEntries(result.text, () => true))).toEqual(nonBlankLines(edited));
        },
      ),
      { numRuns: 60 },
    );
  });
});

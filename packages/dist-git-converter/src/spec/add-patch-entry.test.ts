import { describe, expect, it } from 'vitest';

import { isConverterError } from '../converter-error';
import { addPatchEntry } from './add-patch-entry';
import { queryRpmPatchNumbers } from './query-rpm-patch-numbers.test-support';

/** Fixture F0's beer.spec (docs/converter-behaviour.md §7). */
const BEER = [
  'Name:           beer',
  'Version:        0.1.0',
  'Release:        1%{?dist}',
  'Summary:        A tool to make you happy',
  '',
  'License:        Beerware',
  'Source0:        beerware-%{version}.tar.gz',
  'BuildArch:      noarch',
  '',
  '%description',
  '...but not too happy.',
  '',
  '%prep',
  '%autosetup -p1 -n beerware-%{version}',
  '',
  '%changelog',
  '* Mon Feb 25 2019 Tomas Tomecek <ttomecek@redhat.com> - 0.1.0-1',
  '- Initial brewing',
  '',
].join('\n');

const add = (
  spec: string,
  fileName: string,
  extra: { id?: number; comment?: string; digits?: number } = {},
) => addPatchEntry(spec, { fileName, id: extra.id, comment: extra.comment }, { digits: extra.digits ?? 1 });

describe('addPatchEntry', () => {
  it('adds the first patch after the last Source tag with its alignment (V1)', () => {
    const result = add(BEER, '0001-Switch-to-Amarillo-hops.patch', {
      comment: 'Switch to Amarillo hops\nAuthor: A U Thor <author@example.com>',
    });
    expect(result.text).toContain(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# Switch to Amarillo hops',
        '# Author: A U Thor <author@example.com>',
        'Patch1:         0001-Switch-to-Amarillo-hops.patch',
        'BuildArch:      noarch',
      ].join('\n'),
    );
    expect(result.added).toBe(true);
    expect(result.entry).toMatchObject({
      tagName: 'Patch1',
      number: 1,
      fileName: '0001-Switch-to-Amarillo-hops.patch',
    });
    expect(queryRpmPatchNumbers(result.text)).toEqual([
      { number: 1, fileName: '0001-Switch-to-Amarillo-hops.patch' },
    ]);
  });

  it('continues after a requested id and copies the nearest tag (V2)', () => {
    const first = add(BEER, 'amarillo.patch', { id: 10, comment: '# Downstream only' });
    const second = add(first.text, '0002-Add-malt.patch', { comment: 'Add malt' });
    expect(second.text).toContain(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '# Downstream only',
        'Patch10:        amarillo.patch',
        '# Add malt',
        'Patch11:        0002-Add-malt.patch',
        'BuildArch:      noarch',
      ].join('\n'),
    );
  });

  it('copies the digit width of the nearest Patch tag (V7)', () => {
    const spec = BEER.replace(
      'Source0:        beerware-%{version}.tar.gz\n',
      'Source0:        beerware-%{version}.tar.gz\n\n# Fedora-specific tweak\nPatch0007:      keep.patch\n',
    );
    const first = add(spec, '0001-Switch-to-Amarillo-hops.patch', { comment: 'Switch to Amarillo hops' });
    const second = add(first.text, '0002-Add-malt.patch', { id: 20, comment: 'Add malt' });
    expect(second.text).toContain(
      [
        'Source0:        beerware-%{version}.tar.gz',
        '',
        '# Fedora-specific tweak',
        'Patch0007:      keep.patch',
        '# Switch to Amarillo hops',
        'Patch0008:      0001-Switch-to-Amarillo-hops.patch',
        '# Add malt',
        'Patch0020:      0002-Add-malt.patch',
        'BuildArch:      noarch',
      ].join('\n'),
    );
  });

  it('refuses a requested id at or below the last used one (V7b, E13)', () => {
    const spec = BEER.replace('BuildArch:', 'Patch0007:      keep.patch\nBuildArch:');
    let caught: unknown;
    try {
      add(spec, '0001-Switch-to-Amarillo-hops.patch', { id: 3 });
    } catch (error) {
      caught = error;
    }
    expect(isConverterError(caught) && caught.code).toBe('PATCH_ID_TOO_LOW');
    expect((caught as Error).message).toBe(
      "The 'patch_id' requested (3) for patch 0001-Switch-to-Amarillo-hops.patch is less than or equal to the last used patch ID. " +
        "Re-ordering the patches using 'patch_id' is not allowed - if you want to change the order of those patches, " +
        'please reorder the commits in your source-git repository.',
    );
    expect(() => add(spec, 'x.patch', { id: 7 })).toThrow(/requested \(7\)/);
  });

  it('always leaves a blank after the colon (Q19 fixed)', () => {
    expect(add('Name: hello\nSource: hello.tar.gz\n', 'a.patch', { digits: 4 }).text).toBe(
      'Name: hello\nSource: hello.tar.gz\nPatch0001: a.patch\n',
    );
    expect(add('Name: x\nPatch99:y.patch\n', 'z.patch').text).toBe(
      'Name: x\nPatch99:y.patch\nPatch100: z.patch\n',
    );
    expect(add('Name: x\nPatch9:  a.patch\n', 'b.patch').text).toBe(
      'Name: x\nPatch9:  a.patch\nPatch10: b.patch\n',
    );
  });

  it('keeps tab alignment and writes "Patch: " without a Source tag (E30)', () => {
    expect(add('Name:\tx\nSource0:\ta.tar.gz\n', 'p.patch').text).toBe(
      'Name:\tx\nSource0:\ta.tar.gz\nPatch1:\tp.patch\n',
    );
    expect(add('Name: x\nLicense: MIT\n\n%description\n', 'p.patch', { digits: 0 }).text).toBe(
      'Name: x\nLicense: MIT\nPatch: p.patch\n\n%description\n',
    );
    expect(add('Name: x\nLicense:     MIT\n', 'p.patch').text).toBe(
      'Name: x\nLicense:     MIT\nPatch1: p.patch\n',
    );
  });

  it('numbers after the highest existing patch (E14) and places after the closest tag', () => {
    const spec = 'Name: x\nPatch0: a\nPatch5: d\nPatch3: b\nPatch4: c\nURL: u\n';
    const result = add(spec, 'e.patch');
    expect(result.text).toBe(
      'Name: x\nPatch0: a\nPatch5: d\nPatch6: e.patch\nPatch3: b\nPatch4: c\nURL: u\n',
    );
    expect(result.entry.number).toBe(6);
  });

  it('keeps unnumbered tags unnumbered (E29)', () => {
    const result = add('Name: x\nSource: a.tar.gz\nPatch: one.patch\n', 'two.patch', { id: 5 });
    expect(result.text).toBe('Name: x\nSource: a.tar.gz\nPatch: one.patch\nPatch: two.patch\n');
    expect(result.entry).toMatchObject({ tagName: 'Patch', number: 1, numberIsExplicit: false });
  });

  it('appends to %patchlist when the spec has one (Q20 fixed, E28)', () => {
    const spec = [
      'Name: pl',
      'Version: 1',
      'Release: 1',
      'Summary: s',
      'License: MIT',
      'Patch1: tagged.patch',
      '%description',
      'd',
      '%patchlist',
      'listed.patch',
      '',
      '%prep',
      '%autosetup -p1',
      '',
    ].join('\n');
    const result = add(spec, 'new.patch', { comment: 'New one' });
    expect(result.text).toContain('%patchlist\nlisted.patch\n# New one\nnew.patch\n\n%prep');
    expect(result.entry).toMatchObject({ kind: 'patchlist', number: 3 });
    expect(queryRpmPatchNumbers(result.text)).toEqual([
      { number: 1, fileName: 'tagged.patch' },
      { number: 2, fileName: 'listed.patch' },
      { number: 3, fileName: 'new.patch' },
    ]);
    expect(add('Name: x\n%patchlist\n\n%prep\n', 'a.patch').text).toBe(
      'Name: x\n%patchlist\na.patch\n\n%prep\n',
    );
  });

  it('renders comment lines as the fixed profile of Q21', () => {
    const result = add(BEER, 'a.patch', { comment: '# Downstream only\n\nSee   upstream\n#keep\n' });
    expect(result.text).toContain('# Downstream only\n#\n# See   upstream\n#keep\nPatch1:         a.patch\n');
  });

  it('hoists past the %endif around the reference tag', () => {
    const spec = [
      'Name: x',
      '%if 0%{?fedora}',
      'Source0: fedora.tar.gz',
      '%else',
      'Source0: other.tar.gz',
      '%endif',
      '# for the build',
      'BuildRequires: gcc',
      '',
    ].join('\n');
    // aligned with "Source0: "
    expect(add(spec, 'a.patch').text).toBe(spec.replace('%endif\n', '%endif\nPatch1:  a.patch\n'));
    const conditional = 'Name: x\nSource0: a\n%ifarch s390x\n# s390\nPatch3: s390.patch\n%endif\nURL: u\n';
    expect(add(conditional, 'b.patch').text).toBe(
      conditional.replace('%endif\n', '%endif\nPatch4: b.patch\n'),
    );
  });

  it('does nothing for a file the spec already references (§2.8 step 2)', () => {
    const spec = 'Name: hello\nPatch1: %{name}-fix.patch\n';
    const result = add(spec, 'hello-fix.patch', { id: 9 });
    expect(result).toMatchObject({ text: spec, added: false });
    expect(result.entry.number).toBe(1);
  });

  it('keeps CRLF and a missing final newline', () => {
    expect(add('Name: x\r\nSource: a', 'p.patch', { comment: 'c' }).text).toBe(
      'Name: x\r\nSource: a\r\n# c\r\nPatch1: p.patch',
    );
  });
});

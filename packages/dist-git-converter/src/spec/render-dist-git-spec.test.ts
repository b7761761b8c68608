import { describe, expect, it } from 'vitest';

import { isConverterError } from '../converter-error';
import { findPatchEntries } from './find-patch-entries';
import { parseSpec } from './parse-spec';
import { queryRpmPatchNumbers } from './query-rpm-patch-numbers.test-support';
import { removePatchEntries } from './remove-patch-entries';
import { renderDistGitSpec } from './render-dist-git-spec';
import type { RenderDistGitSpecInput, SpecPatch } from './spec-patch';

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

const SOURCE0 = 'Source0:        beerware-%{version}.tar.gz\n';

function patch(fileName: string, options: Partial<Omit<SpecPatch, 'fileName'>> = {}): SpecPatch {
  return {
    fileName,
    id: options.id,
    comment: options.comment,
    commentIsExplicit: options.commentIsExplicit ?? false,
    presentInSpec: options.presentInSpec ?? false,
  };
}

function render(
  input: Partial<RenderDistGitSpecInput> & Pick<RenderDistGitSpecInput, 'distroSpec' | 'patches'>,
) {
  return renderDistGitSpec({
    specPath: '.distro/beer.spec',
    previousDistGitSpec: undefined,
    digits: 1,
    ...input,
  });
}

/** The spec with `lines` in place of the line after Source0 … before BuildArch. */
function beerWithPatches(lines: readonly string[], base = BEER): string {
  return base.replace(SOURCE0, SOURCE0 + lines.map((line) => `${line}\n`).join(''));
}

/** Patches as `update-dist-git` would plan them from the entries of a spec (comments explicit). */
function patchesOf(spec: string, withIds: boolean): SpecPatch[] {
  return findPatchEntries(parseSpec(spec)).map((entry) =>
    patch(entry.expandedFileName, {
      id: withIds ? entry.number : undefined,
      comment: entry.commentLines.join('\n'),
      commentIsExplicit: true,
    }),
  );
}

function codeOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isConverterError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a ConverterError');
}

describe('renderDistGitSpec: first sync (no previous dist-git spec)', () => {
  it('V1: one commit without metadata', () => {
    const result = render({
      distroSpec: BEER,
      patches: [
        patch('0001-Switch-to-Amarillo-hops.patch', {
          comment: 'Switch to Amarillo hops\nAuthor: A U Thor <author@example.com>',
        }),
      ],
    });
    expect(result.text).toBe(
      beerWithPatches([
        '# Switch to Amarillo hops',
        '# Author: A U Thor <author@example.com>',
        'Patch1:         0001-Switch-to-Amarillo-hops.patch',
      ]),
    );
    expect(result.changes).toEqual([
      { fileName: '0001-Switch-to-Amarillo-hops.patch', tag: 'Patch1', number: 1, action: 'added' },
    ]);
  });

  it('V2: trailers with Patch-id continuation (fixed Q21)', () => {
    const distro = BEER.replace('Release:        1%{?dist}', 'Release:        2%{?dist}');
    const result = render({
      distroSpec: distro,
      patches: [
        patch('amarillo.patch', { id: 10, comment: '# Downstream only', commentIsExplicit: true }),
        patch('0002-Add-malt.patch', { comment: 'Add malt' }),
      ],
    });
    expect(result.text).toBe(
      beerWithPatches(
        [
          '# Downstream only',
          'Patch10:        amarillo.patch',
          '# Add malt',
          'Patch11:        0002-Add-malt.patch',
        ],
        distro,
      ),
    );
    expect(queryRpmPatchNumbers(result.text)).toEqual([
      { number: 10, fileName: 'amarillo.patch' },
      { number: 11, fileName: '0002-Add-malt.patch' },
    ]);
  });

  it('V5: an ignored patch is simply not in the list', () => {
    const result = render({
      distroSpec: BEER,
      patches: [patch('0002-Kept-change.patch', { comment: 'Kept change' })],
    });
    expect(result.text).toBe(beerWithPatches(['# Kept change', 'Patch1:         0002-Kept-change.patch']));
  });

  it('V7: a hand-written patch in .distro stays and sets the style', () => {
    const distro = beerWithPatches(['', '# Fedora-specific tweak', 'Patch0007:      keep.patch']);
    const result = render({
      distroSpec: distro,
      patches: [
        patch('0001-Switch-to-Amarillo-hops.patch', { comment: 'Switch to Amarillo hops' }),
        patch('0002-Add-malt.patch', { id: 20, comment: 'Add malt' }),
      ],
    });
    expect(result.text).toBe(
      beerWithPatches([
        '',
        '# Fedora-specific tweak',
        'Patch0007:      keep.patch',
        '# Switch to Amarillo hops',
        'Patch0008:      0001-Switch-to-Amarillo-hops.patch',
        '# Add malt',
        'Patch0020:      0002-Add-malt.patch',
      ]),
    );
  });

  it('V7b: a requested id below the hand-written patch fails', () => {
    const distro = beerWithPatches(['', '# Fedora-specific tweak', 'Patch0007:      keep.patch']);
    const failure = codeOf(() =>
      render({ distroSpec: distro, patches: [patch('0001-Switch-to-Amarillo-hops.patch', { id: 3 })] }),
    );
    expect(failure.code).toBe('PATCH_ID_TOO_LOW');
    expect(failure.message).toContain(
      "The 'patch_id' requested (3) for patch 0001-Switch-to-Amarillo-hops.patch is less than or equal to the last used patch ID. Re-ordering",
    );
  });

  it('V8: legacy metadata, an explicit id and a present-in-specfile patch', () => {
    const result = render({
      distroSpec: BEER,
      patches: [
        patch('amarillo.patch', { comment: 'Use Amarillo hops.', commentIsExplicit: true }),
        patch('0002-actually-let-s-do-citra.patch', {
          comment: "actually, let's do citra\nAuthor: A U Thor <author@example.com>",
        }),
        patch('0001-readme.patch', { id: 10, comment: 'readme\nAuthor: A U Thor <author@example.com>' }),
        patch('pils.patch', { presentInSpec: true }),
      ],
    });
    expect(result.text).toBe(
      beerWithPatches([
        '# Use Amarillo hops.',
        'Patch1:         amarillo.patch',
        "# actually, let's do citra",
        '# Author: A U Thor <author@example.com>',
        'Patch2:         0002-actually-let-s-do-citra.patch',
        '# readme',
        '# Author: A U Thor <author@example.com>',
        'Patch10:        0001-readme.patch',
      ]),
    );
    expect(result.changes.map((change) => [change.fileName, change.action, change.number])).toEqual([
      ['amarillo.patch', 'added', 1],
      ['0002-actually-let-s-do-citra.patch', 'added', 2],
      ['0001-readme.patch', 'added', 10],
      ['pils.patch', 'present-in-spec', undefined],
    ]);
  });

  it('E27: a generated tag left in .distro is kept once, without a fresh comment', () => {
    const distro = beerWithPatches(['Patch1: 0001-a.patch']);
    const result = render({
      distroSpec: distro,
      patches: [
        patch('0001-a.patch', { comment: 'A', commentIsExplicit: true }),
        patch('0002-b.patch', { comment: 'B' }),
      ],
    });
    expect(result.text).toBe(beerWithPatches(['Patch1: 0001-a.patch', '# B', 'Patch2: 0002-b.patch']));
    expect(result.changes.map((change) => change.action)).toEqual(['kept', 'added']);
  });

  it('E28 (fixed Q20): appends to the %patchlist of the .distro spec', () => {
    const distro = BEER.replace('%prep', '%patchlist\nhand.patch\n\n%prep');
    const result = render({ distroSpec: distro, patches: [patch('0001-a.patch', { comment: 'A' })] });
    expect(result.text).toBe(BEER.replace('%prep', '%patchlist\nhand.patch\n# A\n0001-a.patch\n\n%prep'));
    expect(queryRpmPatchNumbers(result.text)).toEqual([
      { number: 0, fileName: 'hand.patch' },
      { number: 1, fileName: '0001-a.patch' },
    ]);
  });
});

const HELLO_DIST_GIT = [
  'Name: hello',
  'Version: 1.0.1',
  'Release: 1%{?dist}',
  'Summary: Hello World',
  'License: MIT',
  'Source: hello-1.0.1.tar.gz',
  '',
  '# Say hello to Fedora',
  'Patch0001: turn-into-fedora.patch',
  '',
  '# Patch from Git',
  'Patch0002: from-git.patch',
  '',
  '# Funky patch',
  'Patch0003: 0017-Patch-This..patch',
  '',
  'Provides: hello',
  '',
  '%description',
  'Hello World',
  '',
  '%prep',
  '%autosetup -p1',
  '',
  '%changelog',
  '* Thu Jun 17 2021 Engin Eer <eer@redhat.com> - 1.0.1-1',
  '- Initial package',
  '',
].join('\n');

describe('renderDistGitSpec: the previous dist-git spec as template', () => {
  const helloDistro = removePatchEntries(HELLO_DIST_GIT, () => true);

  it('V14 fixed: init then update-dist-git changes nothing', () => {
    for (const withIds of [true, false]) {
      const result = renderDistGitSpec({
        specPath: '.distro/hello.spec',
        distroSpec: helloDistro,
        previousDistGitSpec: HELLO_DIST_GIT,
        patches: patchesOf(HELLO_DIST_GIT, withIds),
        digits: 4,
      });
      expect(result.text).toBe(HELLO_DIST_GIT);
      expect(result.changes.map((change) => [change.tag, change.action])).toEqual([
        ['Patch0001', 'kept'],
        ['Patch0002', 'kept'],
        ['Patch0003', 'kept'],
      ]);
    }
  });

  it("carries the packager's edits over and keeps every patch block's bytes", () => {
    const distro = helloDistro
      .replace('Release: 1%{?dist}', 'Release: 2%{?dist}')
      .replace('Source: hello-1.0.1.tar.gz\n', 'Source: hello-1.0.1.tar.gz\nSource1: hello.sig\n')
      .replace(
        '%changelog\n',
        '%changelog\n* Fri Jun 18 2021 Engin Eer <eer@redhat.com> - 1.0.1-2\n- Rebuilt\n\n',
      );
    const result = renderDistGitSpec({
      specPath: '.distro/hello.spec',
      distroSpec: distro,
      previousDistGitSpec: HELLO_DIST_GIT,
      patches: patchesOf(HELLO_DIST_GIT, false),
      digits: 4,
    });
    expect(result.text).toBe(
      HELLO_DIST_GIT.replace('Release: 1%{?dist}', 'Release: 2%{?dist}')
        .replace('Source: hello-1.0.1.tar.gz\n', 'Source: hello-1.0.1.tar.gz\nSource1: hello.sig\n')
        .replace(
          '%changelog\n',
          '%changelog\n* Fri Jun 18 2021 Engin Eer <eer@redhat.com> - 1.0.1-2\n- Rebuilt\n\n',
        ),
    );
  });

  it('places patch blocks again when the packager wrote right where they were (no conflict markers)', () => {
    const distro = helloDistro.replace('\nProvides: hello\n', '\nProvides: hello-world\nProvides: hello\n');
    const result = renderDistGitSpec({
      specPath: '.distro/hello.spec',
      distroSpec: distro,
      previousDistGitSpec: HELLO_DIST_GIT,
      patches: patchesOf(HELLO_DIST_GIT, true),
      digits: 4,
    });
    expect(result.text).toBe(
      distro.replace(
        'Source: hello-1.0.1.tar.gz\n',
        [
          'Source: hello-1.0.1.tar.gz',
          '# Say hello to Fedora',
          'Patch0001: turn-into-fedora.patch',
          '',
          '# Patch from Git',
          'Patch0002: from-git.patch',
          '',
          '# Funky patch',
          'Patch0003: 0017-Patch-This..patch',
          '',
        ].join('\n'),
      ),
    );
    expect(result.text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(queryRpmPatchNumbers(result.text).map((p) => p.number)).toEqual([1, 2, 3]);
  });

  it('removes dropped patches, appends new ones and keeps the rest', () => {
    const patches = patchesOf(HELLO_DIST_GIT, false);
    const result = renderDistGitSpec({
      specPath: '.distro/hello.spec',
      distroSpec: helloDistro,
      previousDistGitSpec: HELLO_DIST_GIT,
      patches: [
        patches[0] as SpecPatch,
        patches[2] as SpecPatch,
        patch('0004-New.patch', { comment: 'New' }),
      ],
      digits: 4,
    });
    expect(result.text).toBe(
      HELLO_DIST_GIT.replace('# Patch from Git\nPatch0002: from-git.patch\n\n', '').replace(
        'Patch0003: 0017-Patch-This..patch\n',
        'Patch0003: 0017-Patch-This..patch\n# New\nPatch0004: 0004-New.patch\n',
      ),
    );
    expect(result.changes).toEqual([
      { fileName: 'turn-into-fedora.patch', tag: 'Patch0001', number: 1, action: 'kept' },
      { fileName: '0017-Patch-This..patch', tag: 'Patch0003', number: 3, action: 'kept' },
      { fileName: '0004-New.patch', tag: 'Patch0004', number: 4, action: 'added' },
      { fileName: 'from-git.patch', tag: 'Patch0002', number: 2, action: 'removed' },
    ]);
  });

  it('renumbers the patches after a commit inserted in the middle, so they still apply in order', () => {
    const patches = patchesOf(HELLO_DIST_GIT, false);
    const result = renderDistGitSpec({
      specPath: '.distro/hello.spec',
      distroSpec: helloDistro,
      previousDistGitSpec: HELLO_DIST_GIT,
      patches: [
        patches[0] as SpecPatch,
        patch('inserted.patch', { comment: 'Inserted' }),
        ...patches.slice(1),
      ],
      digits: 4,
    });
    expect(result.changes.map((change) => [change.fileName, change.tag, change.action])).toEqual([
      ['turn-into-fedora.patch', 'Patch0001', 'kept'],
      ['inserted.patch', 'Patch0002', 'added'],
      ['from-git.patch', 'Patch0003', 'renumbered'],
      ['0017-Patch-This..patch', 'Patch0004', 'renumbered'],
    ]);
    expect(queryRpmPatchNumbers(result.text)).toEqual([
      { number: 1, fileName: 'turn-into-fedora.patch' },
      { number: 2, fileName: 'inserted.patch' },
      { number: 3, fileName: 'from-git.patch' },
      { number: 4, fileName: '0017-Patch-This..patch' },
    ]);
    expect(result.text).toContain('# Patch from Git\nPatch0003: from-git.patch\n');
  });

  it('renumbers an entry to a newly requested id', () => {
    const patches = patchesOf(HELLO_DIST_GIT, true);
    const result = renderDistGitSpec({
      specPath: '.distro/hello.spec',
      distroSpec: helloDistro,
      previousDistGitSpec: HELLO_DIST_GIT,
      patches: [...patches.slice(0, 2), { ...(patches[2] as SpecPatch), id: 100 }],
      digits: 4,
    });
    expect(result.text).toBe(HELLO_DIST_GIT.replace('Patch0003: 0017', 'Patch0100: 0017'));
    expect(result.changes[2]).toEqual({
      fileName: '0017-Patch-This..patch',
      tag: 'Patch0100',
      number: 100,
      action: 'renumbered',
    });
  });

  it('V6: replaces a comment only when it is explicit and differs', () => {
    const previous = beerWithPatches(['# Switch to Amarillo hops', 'Patch1:         amarillo.patch']);
    const reworded = 'Switch to Amarillo hops (reworded)\n\nNow with a body.';
    const explicit = render({
      distroSpec: BEER,
      previousDistGitSpec: previous,
      patches: [patch('amarillo.patch', { comment: reworded, commentIsExplicit: true })],
    });
    expect(explicit.text).toBe(
      beerWithPatches([
        '# Switch to Amarillo hops (reworded)',
        '#',
        '# Now with a body.',
        'Patch1:         amarillo.patch',
      ]),
    );
    expect(explicit.changes[0]?.action).toBe('comment-updated');
    const implicit = render({
      distroSpec: BEER,
      previousDistGitSpec: previous,
      patches: [patch('amarillo.patch', { comment: reworded })],
    });
    expect(implicit.text).toBe(previous);
    expect(implicit.changes[0]?.action).toBe('kept');
  });

  it('does not touch a present-in-specfile entry', () => {
    const previous = beerWithPatches(['# old', 'Patch1:         pils.patch']);
    const result = render({
      distroSpec: BEER,
      previousDistGitSpec: previous,
      patches: [patch('pils.patch', { id: 5, comment: 'new', commentIsExplicit: true, presentInSpec: true })],
    });
    expect(result.text).toBe(previous);
    expect(result.changes).toEqual([
      { fileName: 'pils.patch', tag: 'Patch1', number: 1, action: 'present-in-spec' },
    ]);
  });

  it('V7 re-sync: hand-written and generated patches round-trip', () => {
    const previous = beerWithPatches([
      '',
      '# Fedora-specific tweak',
      'Patch0007:      keep.patch',
      '# Switch to Amarillo hops',
      'Patch0008:      0001-Switch-to-Amarillo-hops.patch',
      '# Add malt',
      'Patch0020:      0002-Add-malt.patch',
    ]);
    const distro = beerWithPatches(['', '# Fedora-specific tweak', 'Patch0007:      keep.patch']);
    const patches = [
      patch('0001-Switch-to-Amarillo-hops.patch', { comment: 'Switch to Amarillo hops' }),
      patch('0002-Add-malt.patch', { id: 20, comment: 'Add malt' }),
    ];
    expect(render({ distroSpec: distro, previousDistGitSpec: previous, patches }).text).toBe(previous);
    // the packager drops the hand-written patch (and the blank line above it) in source-git:
    // both leave dist-git too
    const withoutKeep = render({ distroSpec: BEER, previousDistGitSpec: previous, patches });
    expect(withoutKeep.text).toBe(
      beerWithPatches([
        '# Switch to Amarillo hops',
        'Patch0008:      0001-Switch-to-Amarillo-hops.patch',
        '# Add malt',
        'Patch0020:      0002-Add-malt.patch',
      ]),
    );
  });

  it('keeps conditional managed blocks and %patchlist layouts', () => {
    const previous = BEER.replace(
      'BuildArch:      noarch\n',
      'BuildArch:      noarch\n\n# s390 only\n%ifarch s390x\nPatch3:         s390.patch\n%endif\n',
    ).replace('%prep', '%patchlist\n# listed\nlisted.patch\n\n%prep');
    const distro = removePatchEntries(previous, () => true);
    expect(distro).toBe(BEER.replace('%prep', '%patchlist\n\n%prep'));
    const result = render({
      distroSpec: distro,
      previousDistGitSpec: previous,
      patches: patchesOf(previous, false),
    });
    expect(result.text).toBe(previous);
  });

  it('keeps generated patches next to a hand-written one the packager adds where they were', () => {
    const previous = beerWithPatches(['# Switch to Amarillo hops', 'Patch1:         amarillo.patch']);
    const distro = beerWithPatches(['Patch100:       hand.patch']);
    const result = render({
      distroSpec: distro,
      previousDistGitSpec: previous,
      patches: [patch('amarillo.patch', { comment: 'Switch to Amarillo hops' })],
    });
    expect(result.text).toBe(
      beerWithPatches([
        '# Switch to Amarillo hops',
        'Patch1:         amarillo.patch',
        'Patch100:       hand.patch',
      ]),
    );
    expect(result.changes).toEqual([
      { fileName: 'amarillo.patch', tag: 'Patch1', number: 1, action: 'kept' },
    ]);
  });

  it('takes the line endings of the .distro spec when the template uses others', () => {
    const previous = beerWithPatches(['# A', 'Patch1:         a.patch']).replaceAll('\n', '\r\n');
    const result = render({ distroSpec: BEER, previousDistGitSpec: previous, patches: [patch('a.patch')] });
    expect(result.text).toBe(beerWithPatches(['# A', 'Patch1:         a.patch']));
  });

  it('names the spec and line of what rpm would reject', () => {
    expect(codeOf(() => render({ distroSpec: 'Version: 1\n\n%description\nx\n', patches: [] }))).toEqual({
      code: 'SPEC_INVALID',
      message:
        '.distro/beer.spec:3: expected a "Name:" tag in the main preamble (before the first section), found no Name tag in lines 1-2',
    });
    expect(
      codeOf(() =>
        render({ distroSpec: BEER.replace('BuildArch', '%if 0%{?rhel}\nBuildArch'), patches: [] }),
      ),
    ).toEqual({
      code: 'SPEC_INVALID',
      message: '.distro/beer.spec:8: %if without a matching %endif',
    });
    expect(
      codeOf(() =>
        render({
          distroSpec: BEER,
          previousDistGitSpec: BEER.replace('%prep', '%endif\n%prep'),
          patches: [],
        }),
      ),
    ).toEqual({ code: 'SPEC_INVALID', message: 'dist-git beer.spec:13: %endif without a matching %if' });
  });
});

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { findPatchEntries } from './find-patch-entries';
import { parseSpec } from './parse-spec';
import { queryRpmPatchNumbers } from './query-rpm-patch-numbers.test-support';
import { readPrep } from './read-prep';
import { removePatchEntries } from './remove-patch-entries';
import { renderDistGitSpec } from './render-dist-git-spec';
import { renderSpec } from './render-spec';
import type { SpecPatch } from './spec-patch';

const CURL = readFileSync(
  new URL('../../../../test-fixtures/recorded/specs/curl.spec', import.meta.url),
  'utf8',
);

function curlPatches(withIds: boolean): SpecPatch[] {
  return findPatchEntries(parseSpec(CURL)).map((entry) => ({
    fileName: entry.expandedFileName,
    id: withIds ? entry.number : undefined,
    comment: entry.commentLines.join('\n'),
    commentIsExplicit: true,
    presentInSpec: false,
  }));
}

describe('curl.spec (32 commented patches, %bcond, %ifarch in %prep)', () => {
  it('round-trips byte for byte through parse and render', () => {
    const doc = parseSpec(CURL);
    expect(renderSpec(doc)).toBe(CURL);
    expect(doc.problems).toEqual([]);
  });

  it('finds the 32 patches with the numbers rpm gives them', () => {
    const entries = findPatchEntries(parseSpec(CURL));
    expect(entries).toHaveLength(32);
    expect(entries.every((entry) => entry.commentLines.length > 0)).toBe(true);
    expect(entries.map((entry) => [entry.expandedFileName, entry.number])).toEqual(
      queryRpmPatchNumbers(CURL).map((patch) => [patch.fileName, patch.number]),
    );
  });

  it('removes all patches, then renders curl.spec again from it as template', () => {
    const distro = removePatchEntries(CURL, () => true);
    expect(findPatchEntries(parseSpec(distro))).toEqual([]);
    expect(distro).toContain('Source2: mykey.asc\n\nProvides: curl-full = %{version}-%{release}\n');
    expect(queryRpmPatchNumbers(distro)).toEqual([]);
    for (const withIds of [true, false]) {
      const result = renderDistGitSpec({
        specPath: '.distro/curl.spec',
        distroSpec: distro,
        previousDistGitSpec: CURL,
        patches: curlPatches(withIds),
        digits: 3,
      });
      expect(result.text).toBe(CURL);
      expect(result.changes.every((change) => change.action === 'kept')).toBe(true);
    }
  });

  it('keeps the patch layout through a release bump made in source-git', () => {
    const bump = (spec: string) =>
      spec
        .replace('Release: 3%{?dist}', 'Release: 4%{?dist}')
        .replace(
          '%changelog\n',
          '%changelog\n* Thu Mar 28 2024 Fedora Packager <packager@fedoraproject.org> - 8.6.0-4\n- rebuilt\n\n',
        );
    const result = renderDistGitSpec({
      specPath: '.distro/curl.spec',
      distroSpec: bump(removePatchEntries(CURL, () => true)),
      previousDistGitSpec: CURL,
      patches: curlPatches(false),
      digits: 3,
    });
    expect(result.text).toBe(bump(CURL));
  });

  it('first sync from the stripped spec gives a spec rpm numbers the same way', () => {
    const result = renderDistGitSpec({
      specPath: '.distro/curl.spec',
      distroSpec: removePatchEntries(CURL, () => true),
      previousDistGitSpec: undefined,
      patches: curlPatches(true),
      digits: 3,
    });
    expect(queryRpmPatchNumbers(result.text)).toEqual(queryRpmPatchNumbers(CURL));
    expect(result.text).toContain(
      'Source2: mykey.asc\n# tool_operate: do not set CURLOPT_QUICK_EXIT in debug builds\n',
    );
    expect(result.text).toContain(
      'Patch101: 0101-curl-7.32.0-multilib.patch\n# test3026: disable valgrind\nPatch102:',
    );
  });

  it('reads %prep: %autosetup -p1 applies all 32 patches', () => {
    const report = readPrep(parseSpec(CURL));
    expect(report.usesAutosetup).toBe(true);
    expect(report.applications.map((a) => a.number)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => i + 1),
      101,
      102,
    ]);
    expect(report.applications.every((a) => a.stripLevel === 1 && a.conditions.length === 0)).toBe(true);
    expect(report.unsupported).toEqual([]);
    expect(report.unapplied).toEqual([]);
  });
});

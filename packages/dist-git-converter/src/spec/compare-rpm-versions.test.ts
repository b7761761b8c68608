import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareRpmVersions, specVersion } from './compare-rpm-versions';

const VECTORS: readonly [string, string][] = [
  ['1.0', '1.0'],
  ['1.0', '2.0'],
  ['2.0.1', '2.0'],
  ['2.0', '2.0.1'],
  ['2.39', '2.40'],
  ['2.39', '2.039'],
  ['1.0a', '1.0'],
  ['5.5p1', '5.5p2'],
  ['5.5p10', '5.5p2'],
  ['10xyz', '10.1xyz'],
  ['xyz10', 'xyz10.1'],
  ['xyz.4', '8'],
  ['a', '1'],
  ['1.0~rc1', '1.0'],
  ['1.0~rc1', '1.0~rc2'],
  ['1.0~rc1~git1', '1.0~rc1'],
  ['1.0^', '1.0'],
  ['1.0^git1', '1.0'],
  ['1.0^git1', '1.0^git2'],
  ['1.0^git1', '1.01'],
  ['1.0~rc1^git1', '1.0~rc1'],
  ['1.0^git1~pre', '1.0^git1'],
  ['1_0', '1.0'],
  ['2.0+beta', '2.0.beta'],
  ['11.3.0', '9'],
  ['fc4', 'fc.4'],
];

/** rpm's own answer, through its Lua `rpm.vercmp` (which reads `-` as the version-release separator). */
function rpmVercmp(a: string, b: string): number {
  return Number(
    execFileSync('rpm', ['--eval', `%{lua:print(rpm.vercmp("${a}", "${b}"))}`], { encoding: 'utf8' }).trim(),
  );
}

describe('compareRpmVersions', () => {
  it.each(VECTORS)('compares %s with %s as rpm does', (a, b) => {
    const expected = rpmVercmp(a, b);
    expect(compareRpmVersions(a, b)).toBe(expected);
    expect(compareRpmVersions(b, a)).toBe(-expected || 0);
  });
});

describe('specVersion', () => {
  it('reads Version, expanding macros of the file', () => {
    expect(specVersion('Name: beer\nVersion:        1.0\nRelease: 1\n')).toBe('1.0');
    expect(specVersion('%global major 2\n%define minor 39\nVersion: %{major}.%{?minor}\n')).toBe('2.39');
    expect(specVersion('Version: %{upstream_version}\n')).toBeNull();
    expect(specVersion('Name: beer\n')).toBeNull();
  });
});

describe('specVersion on a hostile spec', () => {
  it(
    'ends within seconds on megabytes of blank lines and of spaces before a Version',
    { timeout: 10_000 },
    () => {
      expect(specVersion(`${'\n'.repeat(4_000_000)}Version: 1.0\n`)).toBe('1.0');
      expect(
        specVersion(`%global a ${' '.repeat(2_000_000)}x\nVersion:${' '.repeat(2_000_000)}2.0 y\n`),
      ).toBeNull();
    },
  );

  it('refuses a version that macros blow up instead of expanding it', { timeout: 10_000 }, () => {
    const doubling = Array.from(
      { length: 10 },
      (_, level) => `%global m${level} %{m${level + 1}}%{m${level + 1}}`,
    );
    expect(specVersion(`${doubling.join('\n')}\n%global m10 1.0\nVersion: %{m0}\n`)).toBeNull();
    const wide = `%global big ${'x'.repeat(1_000_000)}\n%global many ${'%{big}'.repeat(100_000)}\nVersion: %{many}\n`;
    expect(specVersion(wide)).toBeNull();
    expect(specVersion('%global short 2.40\nVersion: %{short}\n')).toBe('2.40');
  });
});

/**
 * Hostile source-git input that used to take unbounded time or memory: each conversion ends
 * within seconds, either correctly or with a clear error naming the limit (and dist-git as before).
 */
import {
  BEER_SPEC,
  beerConfig,
  createBeerFixture,
  vectorDate,
  type BeerFixture,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import { DEFAULT_CONVERSION_LIMITS } from '../src/limits/conversion-limits';
import { generatePatchSeries } from '../src/patches/generate-patch-series';
import type { UpdateDistGitOptions } from '../src/update-dist-git';
import { fixedGitRunner, repositoryState } from './support/dist-git-state';
import { convertBeerFixture } from './support/convert-beer-fixture';

const convert = convertBeerFixture;

/** Expects a ConverterError with `code` whose message matches, and dist-git exactly as before. */
async function expectRefusal(
  fixture: BeerFixture,
  code: string,
  message: RegExp,
  options: Partial<UpdateDistGitOptions> = {},
): Promise<Record<string, unknown>> {
  const before = await repositoryState(fixture.distGit.dir);
  const error = await convert(fixture, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isConverterError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(message);
  expect(await repositoryState(fixture.distGit.dir)).toEqual(before);
  return { ...(error as { data: Record<string, unknown> }).data };
}

/** A commit outside `.distro`, so that the conversion has a patch to make. */
async function addCodeChange(fixture: BeerFixture, message = 'Switch to Amarillo hops'): Promise<void> {
  await fixture.sourceGit.commit(message, { date: vectorDate(1), files: { hops: 'Amarillo\n' } });
}

/** The beer spec with macro definitions before its first Patch tag and one more Patch using them. */
function specWithMacros(definitions: readonly string[], patchLine: string): string {
  return BEER_SPEC.replace(/^(Patch|%description)/m, `${definitions.join('\n')}\n${patchLine}\n$1`);
}

/** `m0` is `leaf`; each `m<i>` is four `m<i-1>`. */
function bombDefinitions(levels: number, leaf: string): string[] {
  return [
    `%global m0 ${leaf}`,
    ...Array.from({ length: levels }, (_, index) => `%global m${index + 1} ${`%{m${index}}`.repeat(4)}`),
  ];
}

describe('unbounded input', () => {
  it(
    'refuses a macro bomb (30 levels of four) in the spec, naming the line and the macro',
    { timeout: 30_000 },
    async () => {
      const fixture = await createBeerFixture();
      await fixture.sourceGit.commit('Bomb', {
        files: { '.distro/beer.spec': specWithMacros(bombDefinitions(30, 'x'), 'Patch99: %{m30}.patch') },
      });
      await addCodeChange(fixture);
      const data = await expectRefusal(
        fixture,
        'SPEC_INVALID',
        /^spec line \d+: expanding macro %\{m30\} .* takes more than 10000000 steps/,
      );
      expect(data).toMatchObject({ macro: 'm30', limit: 'maxSteps' });
    },
  );

  it('refuses a macro bomb that expands to nothing', { timeout: 30_000 }, async () => {
    const fixture = await createBeerFixture();
    await fixture.sourceGit.commit('Empty bomb', {
      files: {
        '.distro/beer.spec': specWithMacros(bombDefinitions(30, '%{?undefined}'), 'Patch99: a%{m30}.patch'),
      },
    });
    await addCodeChange(fixture);
    await expectRefusal(fixture, 'SPEC_INVALID', /^spec line \d+: expanding macro %\{m30\} .* steps/);
  });

  it('matches the backtracking glob bomb against long names at once', { timeout: 30_000 }, async () => {
    const pattern = `${'*a'.repeat(12)}*b`;
    const fixture = await createBeerFixture({
      config: beerConfig().replace('- protect .git*', `- protect .git*\n  - "- ${pattern}"`),
    });
    const longName = 'a'.repeat(200);
    await fixture.sourceGit.commit('Long names', {
      files: { [`.distro/${longName}`]: 'x\n', [`.distro/d/${'a'.repeat(199)}b`]: 'excluded\n' },
    });
    const result = await convert(fixture);
    expect(result.outcome).toBe('committed');
    const files = (await fixture.distGit.git(['ls-tree', '-r', '--name-only', 'HEAD'])).split('\n');
    expect(files).toContain(longName);
    expect(files).not.toContain(`d/${'a'.repeat(199)}b`);
  });

  it(
    'reads legacy metadata after a 20,000-line message through generatePatchSeries and updateDistGit',
    { timeout: 30_000 },
    async () => {
      const fixture = await createBeerFixture();
      const body = Array.from({ length: 20_000 }, (_, index) => `line ${index} of a long story`).join('\n');
      await addCodeChange(fixture, `Switch to Amarillo hops\n\n${body}\n\npatch_name: amarillo.patch\n`);
      const series = await generatePatchSeries({
        sourceGitDir: fixture.sourceGit.dir,
        upstreamRef: '0.1.0',
        excludePaths: ['.distro'],
        patchComments: 'subject',
        git: fixedGitRunner(),
      });
      expect(series.patches.map((patch) => patch.fileName)).toEqual(['amarillo.patch']);
      expect((await convert(fixture)).outcome).toBe('committed');
      expect(await fixture.distGit.git(['ls-tree', '--name-only', 'HEAD', 'amarillo.patch'])).toBe(
        'amarillo.patch\n',
      );
    },
  );

  it('converts a Patch-status with a huge run of blanks inside', { timeout: 30_000 }, async () => {
    const fixture = await createBeerFixture();
    await addCodeChange(
      fixture,
      `Switch to Amarillo hops\n\nPatch-name: amarillo.patch\nPatch-status: |\n    Fedora${' '.repeat(200_000)}only\n    ${'  '.repeat(1000)}\n`,
    );
    const result = await convert(fixture);
    expect(result.outcome).toBe('committed');
    const spec = await fixture.distGit.git(['show', 'HEAD:beer.spec']);
    expect(spec).toContain(`# Fedora${' '.repeat(200_000)}only\nPatch`);
  });

  it(
    'refuses a 60 MB file in .distro before reading it, naming the file and the setting',
    { timeout: 60_000 },
    async () => {
      const fixture = await createBeerFixture();
      await fixture.sourceGit.commit('Big file', {
        files: { '.distro/big.bin': new Uint8Array(60 * 1024 * 1024) },
      });
      const data = await expectRefusal(
        fixture,
        'LIMIT_EXCEEDED',
        /^\.distro\/big\.bin has 62914560 bytes at commit [0-9a-f]{12}: over the limit limits\.maxBlobBytes = 52428800 \(raise it with limits\.maxBlobBytes, CLI: --max-blob-bytes, bot: SRCGIT_MAX_BLOB_BYTES\)$/,
      );
      expect(data).toMatchObject({
        limit: 'maxBlobBytes',
        value: DEFAULT_CONVERSION_LIMITS.maxBlobBytes,
        path: '.distro/big.bin',
      });
    },
  );

  it('refuses 1,500 commits before formatting them all', { timeout: 60_000 }, async () => {
    const fixture = await createBeerFixture();
    const head = (await fixture.sourceGit.git(['rev-parse', 'HEAD'])).trim();
    let stream = '';
    for (let index = 0; index < 1500; index++) {
      const message = `Commit ${index}\n`;
      const content = `${index}\n`;
      stream += `commit refs/heads/main\ncommitter C O Mitter <committer@example.com> ${1_700_000_000 + index} +0000\ndata ${message.length}\n${message}`;
      if (index === 0) stream += `from ${head}\n`;
      stream += `M 100644 inline counter\ndata ${content.length}\n${content}\n`;
    }
    await fixture.sourceGit.git(['fast-import', '--quiet'], { input: stream });
    await fixture.sourceGit.git(['reset', '--quiet', '--hard']);
    const data = await expectRefusal(
      fixture,
      'LIMIT_EXCEEDED',
      /(has 1501 commits|printed more than 1000 patches): over the limit limits\.maxCommits = 1000 \(raise it with limits\.maxCommits, CLI: --max-commits, bot: SRCGIT_MAX_COMMITS\)$/,
    );
    expect(data).toMatchObject({ limit: 'maxCommits', value: 1000 });
    expect((await convert(fixture, { limits: { maxCommits: 2000 }, dryRun: true })).outcome).toBe('planned');
  });

  it(
    'refuses a patch over maxPatchBytes while it streams, naming the commit',
    { timeout: 30_000 },
    async () => {
      const fixture = await createBeerFixture();
      const sha = await fixture.sourceGit.commit('Big change', { files: { big: 'line\n'.repeat(100_000) } });
      const data = await expectRefusal(
        fixture,
        'LIMIT_EXCEEDED',
        new RegExp(
          `^the patch of commit ${sha.slice(0, 12)} has more than 100000 bytes: over the limit limits\\.maxPatchBytes = 100000 .*--max-patch-bytes`,
        ),
        { limits: { maxPatchBytes: 100_000 } },
      );
      expect(data).toMatchObject({ sha });
    },
  );

  it('refuses a spec over maxSpecBytes', { timeout: 30_000 }, async () => {
    const fixture = await createBeerFixture();
    await addCodeChange(fixture);
    await expectRefusal(
      fixture,
      'LIMIT_EXCEEDED',
      /has \d+ bytes: over the limit limits\.maxSpecBytes = 100 /,
      {
        limits: { maxSpecBytes: 100 },
      },
    );
  });
});

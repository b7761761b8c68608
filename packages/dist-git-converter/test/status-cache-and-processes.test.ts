/**
 * The status cache and the git processes of a run: a second `syncStatus` for the same two `HEAD`
 * commits answers from `.git/srcgit/status-cache.json` without any git process; the first one
 * after a sync confirms incrementally; `updateDistGit` after a recorded sync formats only the new
 * commits, and the number of git processes of each run is pinned so that a change that adds one
 * shows (counts, not times).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBeerFixture, vectorDate, type BeerFixture } from '@srcgit/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { fixedClock, fixedGitRunner } from './support/dist-git-state';

let fixture: BeerFixture | undefined;

afterEach(async () => {
  await fixture?.sourceGit.remove();
  await fixture?.distGit.remove();
  fixture = undefined;
});

/** A git runner that records the command (first argument) of every process it starts. */
function countingRunner() {
  const commands: string[] = [];
  const git = fixedGitRunner(undefined, (args) => {
    commands.push(args.find((arg) => !arg.startsWith('-')) ?? '');
  });
  return { git, commands };
}

async function commitPatches(beer: BeerFixture, from: number, count: number): Promise<void> {
  for (let index = from; index < from + count; index++) {
    await beer.sourceGit.commit(`Change ${index}`, {
      files: { [`file-${index}.txt`]: `line ${index}\n` },
      date: vectorDate(index),
    });
  }
}

async function sync(beer: BeerFixture, git = fixedGitRunner()) {
  return updateDistGit({
    sourceGitDir: beer.sourceGit.dir,
    distGitDir: beer.distGit.dir,
    git,
    now: fixedClock,
    message: 'Sync',
  });
}

describe('the status cache', () => {
  it('answers the second time without a git process, and not for a moved HEAD', async () => {
    const beer = (fixture = await createBeerFixture());
    await commitPatches(beer, 1, 3);
    await sync(beer);

    const first = countingRunner();
    const report = await syncStatus({
      sourceGitDir: beer.sourceGit.dir,
      distGitDir: beer.distGit.dir,
      git: first.git,
    });
    expect(report.state).toBe('in-sync');
    expect(report.confirmation).toEqual({ checked: true, differingPaths: [] });
    // The first confirmation is incremental: only the last patch is formatted again.
    expect(first.commands.filter((command) => command === 'format-patch')).toHaveLength(1);

    const second = countingRunner();
    expect(
      await syncStatus({ sourceGitDir: beer.sourceGit.dir, distGitDir: beer.distGit.dir, git: second.git }),
    ).toEqual(report);
    expect(second.commands).toEqual([]);

    await commitPatches(beer, 4, 1);
    const moved = await syncStatus({ sourceGitDir: beer.sourceGit.dir, distGitDir: beer.distGit.dir });
    expect(moved.state).toBe('source-git-ahead');
    expect(moved.sourceGit.ahead).toBe(1);
  });

  it('ignores a cache file that is not what srcgit writes, and replaces it', async () => {
    const beer = (fixture = await createBeerFixture());
    await commitPatches(beer, 1, 2);
    await sync(beer);
    const file = join(beer.sourceGit.dir, '.git', 'srcgit', 'status-cache.json');
    await mkdir(join(beer.sourceGit.dir, '.git', 'srcgit'), { recursive: true });
    for (const garbage of [
      '{"version":1,"entries":[{"key":',
      '[1,2,3]',
      '{"version":1,"entries":[{"key":"x","report":{}}]}',
    ]) {
      await writeFile(file, garbage);
      const report = await syncStatus({ sourceGitDir: beer.sourceGit.dir, distGitDir: beer.distGit.dir });
      expect(report.state).toBe('in-sync');
      const written = JSON.parse(await readFile(file, 'utf8')) as { entries: unknown[] };
      expect(written.entries).toHaveLength(1);
    }
  });
});

describe('the conversion record', () => {
  it('is not used when it is not what srcgit writes (the conversion is full, and records again)', async () => {
    const beer = (fixture = await createBeerFixture());
    await commitPatches(beer, 1, 3);
    await sync(beer);
    await commitPatches(beer, 4, 2);
    const file = join(beer.sourceGit.dir, '.git', 'srcgit', 'conversions.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as {
      records: { patches: { fileName: string }[] }[];
    };
    for (const entry of record.records) for (const patch of entry.patches) patch.fileName = '../escape.patch';
    await writeFile(file, JSON.stringify(record));
    const crafted = await sync(beer);
    expect(crafted.conversion).toBe('full');
    expect(crafted.plan.patches.map((patch) => patch.fileName)).toEqual([
      '0001-Change-1.patch',
      '0002-Change-2.patch',
      '0003-Change-3.patch',
      '0004-Change-4.patch',
      '0005-Change-5.patch',
    ]);
    await commitPatches(beer, 6, 1);
    await writeFile(file, '{"version":1,"records":[');
    expect((await sync(beer)).conversion).toBe('full');
    await commitPatches(beer, 7, 1);
    expect((await sync(beer)).conversion).toBe('incremental');
  });
});

describe('git processes of a run', () => {
  it('update-dist-git after a recorded sync formats only the new commits, with a pinned number of processes', async () => {
    const beer = (fixture = await createBeerFixture());
    await commitPatches(beer, 1, 6);
    const full = countingRunner();
    const first = await sync(beer, full.git);
    expect(first.conversion).toBe('full');
    await commitPatches(beer, 7, 5);

    const incremental = countingRunner();
    const second = await sync(beer, incremental.git);
    expect(second.conversion).toBe('incremental');
    expect(second.plan.patches).toHaveLength(11);
    expect(second.plan.patches.filter((patch) => patch.status === 'new')).toHaveLength(5);
    // git's version is cached in the repository after the first run.
    expect(full.commands).toContain('version');
    expect(incremental.commands).not.toContain('version');
    expect(incremental.commands.filter((command) => command === 'format-patch')).toHaveLength(1);
    // The whole run, counted (a regression that adds a git process shows here).
    expect(incremental.commands.sort()).toEqual(
      [
        'cat-file', // upstream_ref and HEAD
        'cat-file', // the source-git files read (configuration, spec)
        'cat-file', // dist-git's committed spec and patches (the kept ones too)
        'fast-import',
        'format-patch',
        'log',
        'ls-tree',
        'ls-tree',
        'reset',
        'status',
        'update-ref',
        'var',
        'var',
      ].sort(),
    );
  });
});

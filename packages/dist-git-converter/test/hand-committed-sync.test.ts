import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BEER_SPEC } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import type { GitRunner } from '../src/git/git-runner';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { formatSyncStatus } from '../src/status/format-sync-status';
import { syncStatusFromTrailers } from '../src/status/sync-status-from-trailers';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { createBeerPair, testGitRunner, type BeerPair } from './support/beer-pair';

const git = testGitRunner();

/** update-dist-git without -m after a spec-only and a code commit in source-git: files written, not committed. */
async function writeWithoutMessage(): Promise<
  BeerPair & { readonly sourceGitHead: string; readonly file: string }
> {
  const pair = await createBeerPair();
  await pair.sg.commit('Bump release', {
    files: { '.distro/beer.spec': BEER_SPEC.replace(/Release:(\s+)1%/, 'Release:$12%') },
  });
  const sourceGitHead = await pair.sg.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
  const result = await updateDistGit({
    sourceGitDir: pair.sg.dir,
    distGitDir: pair.dg.dir,
    checkSyncStatus,
    git,
  });
  expect(result.outcome).toBe('written');
  expect(result.commitMessageFile).toBe(join(pair.dg.dir, '.git', 'SRCGIT_COMMIT_MSG'));
  return { ...pair, sourceGitHead, file: result.commitMessageFile as string };
}

async function updateAgain(pair: BeerPair) {
  return updateDistGit({ sourceGitDir: pair.sg.dir, distGitDir: pair.dg.dir, checkSyncStatus, git });
}

describe('a sync committed by hand after update-dist-git without -m', () => {
  it('prepares the message with its trailer in .git/SRCGIT_COMMIT_MSG; committing with it records the sync point', async () => {
    const pair = await writeWithoutMessage();
    expect(await readFile(pair.file, 'utf8')).toBe(
      `Update from source-git\n\nFrom-source-git-commit: ${pair.sourceGitHead}\n`,
    );
    // The file is inside .git: the working tree has only the converted changes.
    expect((await pair.dg.git(['status', '--porcelain'])).split('\n').filter(Boolean).sort()).toEqual(
      ['?? 0001-Switch-to-Amarillo-hops.patch', ' M beer.spec'].sort(),
    );

    await pair.dg.git(['add', '-A']);
    await pair.dg.git(['commit', '-q', '-F', '.git/SRCGIT_COMMIT_MSG']);
    expect(await pair.dg.git(['log', '-1', '--format=%B'])).toContain(
      `From-source-git-commit: ${pair.sourceGitHead}`,
    );
    const report = await syncStatus({ sourceGitDir: pair.sg.dir, distGitDir: pair.dg.dir, git });
    expect([report.state, report.reason, report.syncPoint.recordedIn]).toEqual([
      'in-sync',
      'trailers',
      'dist-git',
    ]);
    expect((await updateAgain(pair)).outcome).toBe('up-to-date');
  });

  it('a hand commit without the trailer whose tree is the conversion: status in sync, update-dist-git up to date', async () => {
    const pair = await writeWithoutMessage();
    await pair.dg.git(['add', '-A']);
    await pair.dg.git(['commit', '-q', '-m', 'sync']);
    const distGitHead = await pair.dg.revParse('HEAD');

    const report = await syncStatus({ sourceGitDir: pair.sg.dir, distGitDir: pair.dg.dir, git });
    expect(report.state).toBe('in-sync');
    expect(report.reason).toBe('same-tree');
    expect(report.syncPoint).toEqual({
      sourceGitCommit: pair.sourceGitHead,
      distGitCommit: distGitHead,
      recordedIn: 'tree',
      markerCommit: distGitHead,
    });
    expect(formatSyncStatus(report, { sourceGitLabel: 'sg', distGitLabel: 'dg' })).toBe(
      [
        "'sg' is up to date with 'dg'.",
        `The dist-git commit '${distGitHead.slice(0, 8)}' has no From-source-git-commit trailer, but its files are exactly what converting '${pair.sourceGitHead.slice(0, 8)}' gives.`,
      ].join('\n'),
    );
    const again = await updateAgain(pair);
    expect(again.outcome).toBe('up-to-date');
    expect(await pair.dg.revParse('HEAD')).toBe(distGitHead);
  });

  it('`git commit -am sync` after a spec-only sync is in sync too', async () => {
    const pair = await createBeerPair();
    await pair.sg.commit('Bump release', {
      files: { '.distro/beer.spec': BEER_SPEC.replace(/Release:(\s+)1%/, 'Release:$12%') },
    });
    expect((await updateAgain(pair)).outcome).toBe('written');
    await pair.dg.git(['commit', '-q', '-am', 'sync']);
    const report = await syncStatus({ sourceGitDir: pair.sg.dir, distGitDir: pair.dg.dir, git });
    expect([report.state, report.reason]).toEqual(['in-sync', 'same-tree']);
    expect((await updateAgain(pair)).outcome).toBe('up-to-date');
  });

  it('a hand commit that differs from the conversion is diverged, as before', async () => {
    const pair = await writeWithoutMessage();
    await pair.dg.git(['add', '-A']);
    await pair.dg.commit('sync, and something else', { files: { 'beer.spec': `${BEER_SPEC}# edited\n` } });

    const report = await syncStatus({ sourceGitDir: pair.sg.dir, distGitDir: pair.dg.dir, git });
    expect([report.state, report.reason]).toEqual(['diverged', 'trailers']);
    await expect(updateAgain(pair)).rejects.toMatchObject({ code: 'OUT_OF_SYNC' });
  });

  it('never writes the message file through a link planted at its name', async () => {
    const pair = await createBeerPair();
    const { symlink, writeFile, lstat } = await import('node:fs/promises');
    const outside = join(pair.dg.dir, '..', 'outside.txt');
    await writeFile(outside, 'untouched\n');
    await symlink(outside, join(pair.dg.dir, '.git', 'SRCGIT_COMMIT_MSG'));
    await pair.sg.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    const result = await updateAgain(pair);
    expect(result.outcome).toBe('written');
    expect(await readFile(outside, 'utf8')).toBe('untouched\n');
    expect((await lstat(result.commitMessageFile as string)).isFile()).toBe(true);
  });

  it('costs no conversion for plain dist-git commits (dist-git ahead, the input of update-source-git)', async () => {
    const pair = await createBeerPair();
    await pair.dg.commit('Bump release', {
      files: { 'beer.spec': BEER_SPEC.replace(/Release:(\s+)1%/, 'Release:$12%') },
    });
    const commands: string[] = [];
    const recording: GitRunner = {
      run: (args, options) => {
        commands.push(args.find((arg) => !arg.startsWith('-')) ?? '');
        return git.run(args, options);
      },
      text: (args, options) => {
        commands.push(args.find((arg) => !arg.startsWith('-')) ?? '');
        return git.text(args, options);
      },
    };
    const report = await syncStatusFromTrailers({
      sourceGitDir: pair.sg.dir,
      distGitDir: pair.dg.dir,
      git: recording,
    });
    expect(report.state).toBe('dist-git-ahead');
    expect(commands).not.toContain('format-patch');
    expect(commands).not.toContain('ls-tree');
  });
});

import { describe, expect, it } from 'vitest';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { createBeerPair, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

describe('checkSyncStatus (the update-dist-git pre-check)', () => {
  it('lets update-dist-git convert when source-git is ahead', async () => {
    const { sg, dg } = await createBeerPair();
    await sg.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    const result = await updateDistGit({
      sourceGitDir: sg.dir,
      distGitDir: dg.dir,
      git,
      message: 'Sync',
      checkSyncStatus,
    });
    expect(result.outcome).toBe('committed');
    expect(await dg.git(['show', '--name-only', '--format=', 'HEAD'])).toContain(
      '0001-Switch-to-Amarillo-hops.patch',
    );
  });

  it('makes update-dist-git do nothing when both are in sync', async () => {
    const { sg, dg } = await createBeerPair();
    const head = await dg.revParse('HEAD');
    const result = await updateDistGit({
      sourceGitDir: sg.dir,
      distGitDir: dg.dir,
      git,
      message: 'Sync',
      checkSyncStatus,
    });
    expect(result.outcome).toBe('up-to-date');
    expect(result.summary).toBe(`'${sg.dir}' is up to date with '${dg.dir}'.`);
    expect(await dg.revParse('HEAD')).toBe(head);
  });

  it('refuses when dist-git has commits source-git lacks, with the status text', async () => {
    const { sg, dg } = await createBeerPair();
    await dg.commit('Add test', { files: { 'tests/run.sh': 'true\n' } });
    await sg.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    const failure = updateDistGit({
      sourceGitDir: sg.dir,
      distGitDir: dg.dir,
      git,
      message: 'Sync',
      checkSyncStatus,
    });
    await expect(failure).rejects.toMatchObject({ code: 'OUT_OF_SYNC', data: { state: 'diverged' } });
    await expect(failure).rejects.toThrow(`'${sg.dir}' and '${dg.dir}' have diverged.`);
  });

  it('converts rewritten source-git history instead of calling it up to date (docs/converter-behaviour.md Q29)', async () => {
    const { sg, dg } = await createBeerPair();
    const synced = await sg.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    await updateDistGit({
      sourceGitDir: sg.dir,
      distGitDir: dg.dir,
      git,
      message: 'Sync 1',
      checkSyncStatus,
    });
    await sg.git(['reset', '--hard', `${synced}~`]);
    await sg.commit('Switch to Citra hops', { files: { hops: 'Citra\n' } });
    const result = await updateDistGit({
      sourceGitDir: sg.dir,
      distGitDir: dg.dir,
      git,
      message: 'Sync 2',
      checkSyncStatus,
    });
    expect(result.outcome).toBe('committed');
    expect(await dg.git(['show', 'HEAD:0001-Switch-to-Citra-hops.patch'])).toContain('+Citra');
  });
});

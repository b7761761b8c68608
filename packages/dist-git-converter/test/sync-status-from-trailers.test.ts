import { createGitRepo, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createGitRunner } from '../src/git/git-runner';
import { formatSyncStatus } from '../src/status/format-sync-status';
import { syncStatusFromTrailers } from '../src/status/sync-status-from-trailers';

const git = createGitRunner({ env: { PATH: process.env.PATH, HOME: '/nonexistent' } });

/** A dist-git with one commit and a source-git whose init commit points at it. */
async function pair(): Promise<{ sg: GitRepo; dg: GitRepo; dgInitial: string; sgInit: string }> {
  const dg = await createGitRepo();
  const dgInitial = await dg.commit('Initial dist-git commit', { files: { 'beer.spec': 'Name: beer\n' } });
  const sg = await createGitRepo();
  await sg.commit('upstream release 0.1.0', { files: { README: 'Best upstream project ever!\n' } });
  const sgInit = await sg.commit(
    `Initialize as a source-git repository\n\nFrom-dist-git-commit: ${dgInitial}\n`,
    {
      files: { '.distro/beer.spec': 'Name: beer\n' },
    },
  );
  return { sg, dg, dgInitial, sgInit };
}

describe('syncStatusFromTrailers', () => {
  it('is in sync right after init', async () => {
    const { sg, dg, dgInitial, sgInit } = await pair();
    const report = await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(report.state).toBe('in-sync');
    expect(report.syncPoint).toEqual({
      sourceGitCommit: sgInit,
      distGitCommit: dgInitial,
      recordedIn: 'source-git',
      markerCommit: sgInit,
    });
    expect(formatSyncStatus(report, { sourceGitLabel: 'src/beer', distGitLabel: 'rpms/beer' })).toBe(
      "'src/beer' is up to date with 'rpms/beer'.",
    );
  });

  it('counts dist-git commits after the sync point (docs/converter-behaviour.md V10)', async () => {
    const { sg, dg } = await pair();
    const first = await dg.commit('Bump release\n\nRebuilt for mass rebuild.\n', {
      files: { 'beer.spec': 'Name: beer\nRelease: 2\n' },
    });
    await dg.commit('Add test', { files: { 'tests/run.sh': 'true\n' } });
    const report = await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(report.state).toBe('dist-git-ahead');
    expect(report.distGit.ahead).toBe(2);
    expect(report.distGit.commitsToSync.map((commit) => commit.subject)).toEqual([
      'Bump release',
      'Add test',
    ]);
    expect(formatSyncStatus(report, { sourceGitLabel: 'src/beer', distGitLabel: 'rpms/beer' })).toBe(
      [
        "'src/beer' is behind 'rpms/beer' by 2 commits.",
        'Use "srcgit update-source-git rpms/beer src/beer"',
        "to transform changes from 'rpms/beer' to 'src/beer'.",
        `The first dist-git commit to be synced is '${first.slice(0, 8)}'.`,
      ].join('\n'),
    );
  });

  it('reports diverged histories (V12)', async () => {
    const { sg, dg } = await pair();
    const dgChange = await dg.commit('dg change', { files: { 'a.txt': 'a\n' } });
    const sgChange = await sg.commit('sg change', { files: { '.distro/b.txt': 'b\n' } });
    const report = await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(report.state).toBe('diverged');
    expect(formatSyncStatus(report, { sourceGitLabel: 'src/beer', distGitLabel: 'rpms/beer' })).toBe(
      [
        "'src/beer' and 'rpms/beer' have diverged.",
        `The first source-git commit to be synced is '${sgChange.slice(0, 8)}'.`,
        `The first dist-git commit to be synced is '${dgChange.slice(0, 8)}'.`,
        'Sync status needs to be reestablished manually, see',
        'https://packit.dev/source-git/work-with-source-git/fix-diverged-history',
      ].join('\n'),
    );
  });

  it('uses the dist-git trailer when it names a newer source-git commit', async () => {
    const { sg, dg } = await pair();
    const sgChange = await sg.commit('Add malt', { files: { malt: 'Munich\n' } });
    const dgSync = await dg.commit(`Update from source-git\n\nFrom-source-git-commit: ${sgChange}\n`, {
      files: { '0001-Add-malt.patch': 'patch\n' },
    });
    let report = await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(report.state).toBe('in-sync');
    expect(report.syncPoint).toEqual({
      sourceGitCommit: sgChange,
      distGitCommit: dgSync,
      recordedIn: 'dist-git',
      markerCommit: dgSync,
    });
    const next = await sg.commit('Add hops', { files: { hops: 'Cascade\n' } });
    report = await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(report.state).toBe('source-git-ahead');
    expect(report.sourceGit.ahead).toBe(1);
    expect(report.sourceGit.commitsToSync).toEqual([{ sha: next, subject: 'Add hops' }]);
    expect(formatSyncStatus(report, { sourceGitLabel: 'sg', distGitLabel: 'dg' })).toBe(
      [
        "'sg' is ahead of 'dg' by 1 commit.",
        'Use "srcgit update-dist-git sg dg"',
        "to transform changes from 'sg' to 'dg'.",
        `The first source-git commit to be synced is '${next.slice(0, 8)}'.`,
      ].join('\n'),
    );
  });

  it('does not call rewritten source-git history up to date (Q29)', async () => {
    const { sg, dg } = await pair();
    const synced = await sg.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    await dg.commit(`Sync 1\n\nFrom-source-git-commit: ${synced}\n`, { files: { 'amarillo.patch': 'x\n' } });
    // Amend the synced commit: the recorded commit still exists but is no longer on the branch.
    await sg.git(['reset', '--hard', 'HEAD~1']);
    const amended = await sg.commit('Switch to Amarillo hops (reworded)', { files: { hops: 'Amarillo\n' } });
    const report = await syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    expect(report.state).toBe('source-git-ahead');
    expect(report.reason).toBe('history-rewritten');
    expect(report.sourceGit.rewritten).toBe(true);
    expect(report.sourceGit.commitsToSync).toEqual([
      { sha: amended, subject: 'Switch to Amarillo hops (reworded)' },
    ]);
    expect(formatSyncStatus(report, { sourceGitLabel: 'sg', distGitLabel: 'dg' })).toContain(
      `The source-git history was rewritten after the last sync: the synced commit '${synced.slice(0, 8)}' is no longer an ancestor of HEAD.`,
    );
  });

  it('fails when neither repository has a sync trailer (V15)', async () => {
    const dg = await createGitRepo();
    await dg.commit('Initial', { files: { 'beer.spec': 'Name: beer\n' } });
    const sg = await createGitRepo();
    await sg.commit('upstream', { files: { README: 'x\n' } });
    const failure = syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git });
    await expect(failure).rejects.toMatchObject({ code: 'SYNC_MARKER_MISSING' });
    await expect(failure).rejects.toThrow(
      /^No git commits with trailers to mark synchronization points were found/,
    );
  });

  it('fails when a trailer names a commit the other repository does not have (V15)', async () => {
    const dg = await createGitRepo();
    await dg.commit('Initial', { files: { 'beer.spec': 'Name: beer\n' } });
    const sg = await createGitRepo();
    const marker = await sg.commit('upstream\n\nFrom-dist-git-commit: abcd\n', { files: { README: 'x\n' } });
    await expect(
      syncStatusFromTrailers({ sourceGitDir: sg.dir, distGitDir: dg.dir, git }),
    ).rejects.toMatchObject({
      code: 'SYNC_MARKER_INVALID',
      message: `Commit 'abcd' referenced in From-dist-git-commit git trailer does not exist in dist-git: commit ${marker} of ${sg.dir} names it, but ${dg.dir} has no such commit. Fetch the missing history into ${dg.dir}, or fix the trailer.`,
    });
  });
});

import { createGitRepo, runGitRaw, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createGitRunner } from '../git/git-runner';
import { computePatchIds, isSamePatch } from './compute-patch-ids';

const git = createGitRunner();
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Upstream files, then two downstream commits: nscd (two files) and a latin-1 file. */
async function repository(): Promise<GitRepo> {
  const repo = await createGitRepo();
  await repo.commit('upstream', {
    files: {
      'nscd/nscd.service': 'line1\nline2\nline3\n',
      'nscd/nscd.socket': 'a\nb\nc\n',
      'latin.txt': latin1('caf\xe9\n'),
    },
  });
  await repo.commit('Fix nscd units', {
    files: { 'nscd/nscd.service': 'line1\nline2 changed\nline3\n', 'nscd/nscd.socket': 'a\nB\nc\n' },
  });
  await repo.commit('Latin', { files: { 'latin.txt': latin1('caf\xe9 au lait\n') } });
  return repo;
}

async function formatPatch(repo: GitRepo, commit: string): Promise<Buffer> {
  return (await runGitRaw(['format-patch', '--stdout', `${commit}~1..${commit}`], { cwd: repo.dir })).stdout;
}

const SERVICE_HUNK = '@@ -1,3 +1,3 @@\n line1\n-line2\n+line2 changed\n line3\n';
const SOCKET_HUNK = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n';

describe('computePatchIds', () => {
  it('recognises packit’s four fixture styles as the regenerated git patch (docs/converter-behaviour.md §2.7.7, E16, E17/Q17)', async () => {
    const repo = await repository();
    const nscd = await formatPatch(repo, 'HEAD~1');
    const latin = await formatPatch(repo, 'HEAD');

    // 1. a plain `git diff` (no mail header)
    const gitDiff = (await runGitRaw(['diff', 'HEAD~2', 'HEAD~1'], { cwd: repo.dir })).stdout;
    // 2. the git patch with every `diff --git` line removed
    const missingDiffLine = latin1(
      nscd
        .toString('latin1')
        .split('\n')
        .filter((line) => !line.startsWith('diff --git ') && !line.startsWith('index '))
        .join('\n'),
    );
    // 3. a GNU unified diff with `diff -pruN`, timestamps and a latin-1 byte
    const unifiedDiff = latin1(
      'Description: hand-made\n' +
        'Author: Someone\n\n' +
        'diff -pruN a/latin.txt b/latin.txt\n' +
        '--- a/latin.txt\t2019-02-25 12:00:00.000000000 +0100\n' +
        '+++ b/latin.txt\t2019-02-25 12:00:01.000000000 +0100\n' +
        '@@ -1 +1 @@\n-caf\xe9\n+caf\xe9 au lait\n',
    );
    // 4. "weird-identical": a header-less section, then a proper `diff --git` section
    const weird = latin1(
      'Subject: nscd\n\n' +
        '--- a/nscd/nscd.service\n+++ b/nscd/nscd.service\n' +
        SERVICE_HUNK +
        'diff --git a/nscd/nscd.socket b/nscd/nscd.socket\nindex 1111111..2222222 100644\n' +
        '--- a/nscd/nscd.socket\n+++ b/nscd/nscd.socket\n' +
        SOCKET_HUNK,
    );

    const [nscdIds, latinIds, gitDiffIds, missingIds, unifiedIds, weirdIds] = await computePatchIds(
      [nscd, latin, gitDiff, missingDiffLine, unifiedDiff, weird],
      git,
    );
    expect(nscdIds).toHaveLength(1);
    expect(latinIds).toHaveLength(1);
    expect(isSamePatch(gitDiffIds ?? [], nscdIds ?? [])).toBe(true);
    expect(isSamePatch(missingIds ?? [], nscdIds ?? [])).toBe(true);
    expect(isSamePatch(unifiedIds ?? [], latinIds ?? [])).toBe(true);
    expect(isSamePatch(weirdIds ?? [], nscdIds ?? [])).toBe(true);
    // packit's rule (headers only when there is no `diff --git` at all) would see a difference
    const unfixed = (
      await runGitRaw(['patch-id', '--stable'], { cwd: repo.dir, input: weird })
    ).stdout.toString();
    expect(unfixed.split(' ')[0]).not.toBe(nscdIds?.[0]);
    expect(isSamePatch(latinIds ?? [], nscdIds ?? [])).toBe(false);

    // the ids are git's own for the git-generated file
    const own = (await runGitRaw(['patch-id', '--stable'], { cwd: repo.dir, input: nscd })).stdout.toString();
    expect(own.split(' ')[0]).toBe(nscdIds?.[0]);
  });

  it('compares every message of a squashed file (Q18)', async () => {
    const repo = await repository();
    const first = await formatPatch(repo, 'HEAD~1');
    const second = await formatPatch(repo, 'HEAD');
    const changedSecond = latin1(second.toString('latin1').replace('+caf\xe9 au lait', '+caf\xe9 noir'));
    const [original, same, changed, onlyFirst] = await computePatchIds(
      [
        Buffer.concat([first, second]),
        Buffer.concat([first, second]),
        Buffer.concat([first, changedSecond]),
        first,
      ],
      git,
    );
    expect(original).toHaveLength(2);
    expect(isSamePatch(original ?? [], same ?? [])).toBe(true);
    expect(isSamePatch(original ?? [], changed ?? [])).toBe(false);
    expect(changed?.[0]).toBe(original?.[0]);
    expect(isSamePatch(original ?? [], onlyFirst ?? [])).toBe(false);
  });

  it('keeps ids apart per file and per message, whatever the commit messages contain', async () => {
    const repo = await repository();
    await repo.commit(
      'Tricky message\n\ncommit 0123456789abcdef0123456789abcdef01234567 upstream\nFrom 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n',
      { files: { extra: 'x\n' } },
    );
    const tricky = await formatPatch(repo, 'HEAD');
    const plain = (await runGitRaw(['diff', 'HEAD~1', 'HEAD'], { cwd: repo.dir })).stdout;
    const [trickyIds, emptyIds, plainIds] = await computePatchIds([tricky, new Uint8Array(), plain], git);
    expect(trickyIds).toHaveLength(1);
    expect(emptyIds).toEqual([]);
    expect(isSamePatch(trickyIds ?? [], plainIds ?? [])).toBe(true);
    expect(isSamePatch([], [])).toBe(false);
  });

  it('handles binary, mode-only and rename-only changes', async () => {
    const repo = await repository();
    await repo.commit('Binary', { files: { 'b.bin': Uint8Array.from([0, 1, 2, 3]) } });
    await repo.commit('Mode', {
      files: { 'latin.txt': { content: latin1('caf\xe9 au lait\n'), executable: true } },
    });
    await repo.commit('Rename', { files: { 'latin.txt': null, 'latin2.txt': latin1('caf\xe9 au lait\n') } });
    const patches = await Promise.all(
      ['HEAD~2', 'HEAD~1', 'HEAD'].map((commit) => formatPatch(repo, commit)),
    );
    const ids = await computePatchIds(patches, git);
    expect(ids.map((list) => list.length)).toEqual([1, 1, 1]);
    expect(new Set(ids.map((list) => list[0])).size).toBe(3);
  });
});

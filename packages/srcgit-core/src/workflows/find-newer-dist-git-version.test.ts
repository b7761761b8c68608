import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRunner } from '@srcgit/dist-git-converter';
import { createGitRepo } from '@srcgit/test-fixtures';
import type { GitRepo, Tree } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNewerDistGitVersion } from './find-newer-dist-git-version';
import type { DistGitVersionCheck } from './find-newer-dist-git-version';

const git = createGitRunner();
const spec = (version: string) => `Name: beer\nVersion: ${version}\nRelease: 1\n`;

let sourceGit: GitRepo;
let distGit: GitRepo;
let distGitHead: string;
let outside: string;

beforeAll(async () => {
  sourceGit = await createGitRepo();
  distGit = await createGitRepo();
  distGitHead = await distGit.commit('dist-git', { files: { 'beer.spec': spec('2.0') } });
  // A file outside both repositories that a followed link would read.
  outside = mkdtempSync(join(tmpdir(), 'srcgit-outside-'));
  writeFileSync(join(outside, 'beer.spec'), spec('1.0'));
});

afterAll(async () => {
  await sourceGit.remove();
  await distGit.remove();
  rmSync(outside, { recursive: true, force: true });
});

async function check(files: Tree, maxSpecBytes?: number) {
  const commit = await sourceGit.commit('source-git', { files, allowEmpty: true });
  return findNewerDistGitVersion({
    git,
    sourceGit: { dir: sourceGit.dir, commit, path: '.distro/beer.spec' },
    distGit: { dir: distGit.dir, commit: distGitHead, path: 'beer.spec' },
    ...(maxSpecBytes === undefined ? {} : { maxSpecBytes }),
  });
}

/** The reason of an `unchecked` result (fails the test on any other). */
function reasonOf(check: DistGitVersionCheck): string {
  expect(check.kind).toBe('unchecked');
  return check.kind === 'unchecked' ? check.reason : '';
}

describe('findNewerDistGitVersion', () => {
  it('compares the versions of the committed specs', async () => {
    await expect(check({ '.distro/beer.spec': spec('1.0') })).resolves.toEqual({
      kind: 'newer',
      distGitVersion: '2.0',
      sourceGitVersion: '1.0',
    });
    await expect(check({ '.distro/beer.spec': spec('2.1') })).resolves.toEqual({ kind: 'not-newer' });
  });

  it('reads the commit, not the working tree', async () => {
    await check({ '.distro/beer.spec': spec('3.0') });
    await sourceGit.write({ '.distro/beer.spec': spec('1.0') });
    const commit = await sourceGit.revParse('HEAD');
    await expect(
      findNewerDistGitVersion({
        git,
        sourceGit: { dir: sourceGit.dir, commit, path: '.distro/beer.spec' },
        distGit: { dir: distGit.dir, commit: distGitHead, path: 'beer.spec' },
      }),
    ).resolves.toEqual({ kind: 'not-newer' });
  });

  it('never follows a spec that is a link, or lies under one', async () => {
    const linked = await check({ '.distro/beer.spec': { symlink: join(outside, 'beer.spec') } });
    expect(reasonOf(linked)).toMatch(/^source-git \.distro\/beer\.spec at [0-9a-f]{12} is a symbolic link/);
    const under = await check({ '.distro': { symlink: outside } });
    expect(reasonOf(under)).toContain('lies under the symbolic link .distro');
  });

  it('does not read a spec over maxSpecBytes, naming the limit and its setting', async () => {
    const big = await check({ '.distro': null, '.distro/beer.spec': spec('1.0') + '#'.repeat(2000) }, 1024);
    expect(reasonOf(big)).toMatch(/limits\.maxSpecBytes = 1024.*SRCGIT_MAX_SPEC_BYTES/);
  });

  it('refuses a spec path that leaves the repository', async () => {
    const commit = await sourceGit.revParse('HEAD');
    for (const path of ['../outside/beer.spec', '/etc/passwd', 'a//beer.spec', './beer.spec']) {
      const result = await findNewerDistGitVersion({
        git,
        sourceGit: { dir: sourceGit.dir, commit, path },
        distGit: { dir: distGit.dir, commit: distGitHead, path: 'beer.spec' },
      });
      expect(reasonOf(result)).toContain('not a plain relative path');
    }
  });
});

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTempDir, seedDemo, startGitLabSimulator } from '@srcgit/test-fixtures';
import type { DemoWorld, GitLabSimulator } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

/** Runs the built `srcgit` binary with exactly `env` (plus PATH and HOME). */
async function srcgit(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [binary, ...args], {
      env: { ...systemEnv, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

let sim: GitLabSimulator;
let world: DemoWorld;
let mrUrl: string;
beforeAll(async () => {
  sim = await startGitLabSimulator({ forkImportDelayMs: 50 });
  world = await seedDemo(sim);
  await sim.commitFiles(world.projects.contributorFork, {
    branch: 'stronger',
    startBranch: world.branch,
    files: { 'beer.c': 'int main(void) { return 2; }\n' },
    message: 'Pour a stronger one',
    user: world.users.contributor,
  });
  const mr = await sim.createMergeRequest({
    sourceProject: world.projects.contributorFork,
    targetProject: world.projects.sourceGit,
    sourceBranch: 'stronger',
    targetBranch: world.branch,
    title: 'Pour a stronger one',
    author: world.users.contributor,
  });
  mrUrl = `${world.projects.sourceGit.webUrl}/-/merge_requests/${mr.iid}`;
}, 60_000);
afterAll(async () => {
  await sim.close();
});

describe('srcgit mr sync', () => {
  it(
    '--dry-run prints the plan and what would be created, and writes nothing',
    { timeout: 60_000 },
    async () => {
      const result = await srcgit(['mr', 'sync', mrUrl, '--dry-run'], {
        GITLAB_TOKEN: world.users.bot.token,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('would write:');
      expect(result.stdout).toMatch(/planned\s+merge-request rpms\/beer/);
      expect(result.stdout).toContain('conversion plan (changes):');
      expect(result.stdout).toMatch(/new\s+0001-Pour-a-stronger-one\.patch/);
      expect(sim.mergeRequests({ project: world.projects.distGit })).toEqual([]);
    },
  );

  it(
    'creates the dist-git MR like the bot, reading the token from --token-file',
    { timeout: 60_000 },
    async () => {
      const dir = createTempDir('token');
      const tokenFile = join(dir.path, 'token');
      await writeFile(tokenFile, `${world.users.bot.token}\n`);
      const result = await srcgit(['mr', 'sync', mrUrl, '--token-file', tokenFile]);
      await dir.remove();
      expect(result.code).toBe(0);
      const [dg, ...others] = sim.mergeRequests({ project: world.projects.distGit });
      expect(others).toEqual([]);
      expect(dg).toMatchObject({ title: 'Pour a stronger one', sourceBranch: 'c10s-src-1', state: 'opened' });
      expect(result.stdout).toContain(
        `dist-git MR: ${world.projects.distGit.webUrl}/-/merge_requests/${dg?.iid} (opened)`,
      );

      const again = await srcgit(['mr', 'sync', mrUrl], { GITLAB_TOKEN: world.users.bot.token });
      expect(again.code).toBe(0);
      expect(sim.mergeRequests({ project: world.projects.distGit })).toHaveLength(1);
    },
  );

  it('explains a missing token, a bad URL and a token GitLab refuses', { timeout: 60_000 }, async () => {
    const noToken = await srcgit(['mr', 'sync', mrUrl]);
    expect(noToken).toMatchObject({ code: 2 });
    expect(noToken.stderr).toContain('set GITLAB_TOKEN or pass --token-file');
    const badUrl = await srcgit(['mr', 'sync', 'https://gitlab.com/group/project/-/issues/3'], {
      GITLAB_TOKEN: 'x',
    });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('expected a merge request URL like');
    const refused = await srcgit(['mr', 'sync', mrUrl], { GITLAB_TOKEN: 'not-a-token' });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('GitLab');
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MergeRequestStatus } from '@srcgit/core';
import { seedDemo, startGitLabSimulator } from '@srcgit/test-fixtures';
import type { DemoWorld, GitLabSimulator } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

/** Runs the built `srcgit` binary with the bot's token. */
async function srcgit(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [binary, ...args], {
      env: { ...systemEnv, GITLAB_TOKEN: world.users.bot.token },
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
let iid: number;
beforeAll(async () => {
  sim = await startGitLabSimulator({ forkImportDelayMs: 50 });
  world = await seedDemo(sim);
  await sim.commitFiles(world.projects.contributorFork, {
    branch: 'status',
    startBranch: world.branch,
    files: { 'beer.c': 'int main(void) { return 3; }\n' },
    message: 'Pour three',
    user: world.users.contributor,
  });
  const mr = await sim.createMergeRequest({
    sourceProject: world.projects.contributorFork,
    targetProject: world.projects.sourceGit,
    sourceBranch: 'status',
    targetBranch: world.branch,
    title: 'Pour three',
    author: world.users.contributor,
  });
  iid = mr.iid;
  mrUrl = `${world.projects.sourceGit.webUrl}/-/merge_requests/${mr.iid}`;
}, 60_000);
afterAll(async () => {
  await sim.close();
});

describe('srcgit mr status', () => {
  it('follows an MR from unpaired to in sync, behind, and its CI result', { timeout: 120_000 }, async () => {
    const unpaired = await srcgit(['mr', 'status', mrUrl, '--json']);
    expect(unpaired.stderr).toBe('');
    expect(unpaired.code).toBe(0);
    const first = JSON.parse(unpaired.stdout) as MergeRequestStatus;
    expect(first.distGitMr).toBeNull();
    expect(first.sync.state).toBe('no-dist-git-mr');

    expect((await srcgit(['mr', 'sync', mrUrl])).code).toBe(0);
    const head = sim.mergeRequest(world.projects.sourceGit, iid).sha;
    const synced = JSON.parse((await srcgit(['mr', 'status', mrUrl, '--json'])).stdout) as MergeRequestStatus;
    expect(synced.distGitMr).toMatchObject({
      projectPath: 'rpms/beer',
      sourceBranch: `c10s-src-${iid}`,
      state: 'opened',
    });
    expect(synced.sync).toEqual({ state: 'in-sync', syncedSourceGitSha: head });
    // Opening the dist-git MR started a detached pipeline in the bot's fork.
    expect(synced.pipeline).toMatchObject({ status: 'pending', state: 'pending', testedSourceGitSha: head });
    expect(synced.reported).toBeNull();

    const pipelineId = synced.pipeline?.id ?? 0;
    await sim.setPipelineStatus(pipelineId, 'failed');
    sim.addMember({ project: world.projects.contributorFork }, world.users.bot, 'developer');
    await sim.setCommitStatus(world.projects.contributorFork, head, world.users.bot, {
      state: 'failed',
      name: 'Dist-git MR CI Pipeline',
      ref: 'status',
      targetUrl: synced.pipeline?.webUrl ?? '',
    });
    const text = await srcgit(['mr', 'status', mrUrl]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      `source-git MR: ${mrUrl} (opened), head ${head}`,
      `dist-git MR:   ${synced.distGitMr?.webUrl} (opened), from c10s-src-${iid}, found by fork-branch`,
      'sync:          in sync: the dist-git MR carries the head',
      `pipeline:      #${pipelineId} failed (tested the head) ${synced.pipeline?.webUrl}`,
      'reported:      commit status failed',
      '',
    ]);

    await sim.commitFiles(world.projects.contributorFork, {
      branch: 'status',
      files: { 'README.md': 'three\n' },
      message: 'Document three',
      user: world.users.contributor,
    });
    const behind = JSON.parse((await srcgit(['mr', 'status', mrUrl, '--json'])).stdout) as MergeRequestStatus;
    expect(behind.sync).toEqual({ state: 'behind', syncedSourceGitSha: head });
    expect(behind.reported).toBeNull();
  });

  it('explains a URL that is not a merge request', async () => {
    const result = await srcgit(['mr', 'status', 'https://gitlab.com/src/beer']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a merge request URL');
  });
});

import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBeerFixture, createRecordingGit, createTempDir, type GitRepo } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGitRunner, INHERITED_ENVIRONMENT } from '../src/git/git-runner';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { updateDistGit } from '../src/update-dist-git';

/**
 * A worker's environment as an attacker would like it: the bot's secrets (in a worker they ARE in
 * `process.env`) and git variables that would redirect git, run commands or change who commits.
 */
const HOSTILE_ENV: Readonly<Record<string, string>> = {
  GITLAB_TOKEN: 'glpat-SECRETMARKER',
  WEBHOOK_SECRET: 'webhook-SECRETMARKER',
  GITLAB_TOKEN_SECRET: 'jwt-SECRETMARKER',
  REDIS_URL: 'redis://:SECRETMARKER@127.0.0.1:6379',
  GIT_AUTHOR_NAME: 'Mallory',
  GIT_AUTHOR_EMAIL: 'mallory@evil.example',
  GIT_COMMITTER_NAME: 'Mallory',
  GIT_COMMITTER_EMAIL: 'mallory@evil.example',
  GIT_AUTHOR_DATE: '@1 +0000',
  GIT_DIR: '/nonexistent',
  GIT_WORK_TREE: '/nonexistent',
  GIT_INDEX_FILE: '/nonexistent/index',
  GIT_CONFIG_PARAMETERS: "'core.hookspath'='/tmp/evil-hooks'",
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.fsmonitor',
  GIT_CONFIG_VALUE_0: 'touch /tmp/evil-fsmonitor',
  GIT_SSH_COMMAND: 'touch /tmp/evil-ssh',
  GIT_ASKPASS: '/tmp/evil-askpass',
  GIT_EXEC_PATH: '/nonexistent',
  GIT_TRACE: '/tmp/evil-trace',
  EMAIL: 'mallory@evil.example',
};

/** Variables of the caller that no git process may get, neither the srcgit code sets. */
const NEVER_SET = [
  'GITLAB_TOKEN',
  'WEBHOOK_SECRET',
  'GITLAB_TOKEN_SECRET',
  'REDIS_URL',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_CONFIG_PARAMETERS',
  'GIT_SSH_COMMAND',
  'GIT_ASKPASS',
  'GIT_EXEC_PATH',
  'GIT_TRACE',
  'EMAIL',
];

/** Values that must never reach a git process. */
const FORBIDDEN_VALUES = ['SECRETMARKER', 'Mallory', 'mallory@', '/nonexistent', '/tmp/evil'];

/** Variables the runner sets itself on every git process. */
const RUNNER_SET = ['LC_ALL', 'LANGUAGE', 'GIT_PAGER', 'PAGER', 'GIT_TERMINAL_PROMPT', 'GIT_OPTIONAL_LOCKS'];

const HOOKS = [
  'pre-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'post-checkout',
  'post-merge',
  'post-rewrite',
  'reference-transaction',
  'post-index-change',
  'pre-auto-gc',
  'pre-push',
];

/** Plants hooks and a `core.fsmonitor` command that leave a marker (with their environment). */
async function plantTraps(repo: GitRepo, markers: string): Promise<void> {
  for (const hook of HOOKS) {
    const path = join(repo.dir, '.git', 'hooks', hook);
    await writeFile(path, `#!/bin/sh\nenv > '${markers}/hook-${hook}'\n`);
    await chmod(path, 0o755);
  }
  const fsmonitor = join(repo.dir, '.git', 'fsmonitor-trap');
  await writeFile(fsmonitor, `#!/bin/sh\nenv > '${markers}/fsmonitor'\n`);
  await chmod(fsmonitor, 0o755);
  await repo.git(['config', 'core.fsmonitor', fsmonitor]);
  await repo.git(['config', 'core.untrackedCache', 'true']);
}

describe('git children of a conversion', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(HOSTILE_ENV)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('run no hook or fsmonitor, see no secret or caller GIT_* variable, and commit as the configured bot', async () => {
    const fixture = await createBeerFixture();
    await fixture.sourceGit.commit('Fix the hops\n\nPatch-name: hops.patch\n', {
      files: { hops: 'Saaz\n' },
    });
    await fixture.distGit.git(['config', 'user.name', 'srcgit bot']);
    await fixture.distGit.git(['config', 'user.email', 'bot@example.com']);
    const root = createTempDir('adversarial-git').path;
    const markers = join(root, 'markers');
    await mkdir(markers);
    await plantTraps(fixture.sourceGit, markers);
    await plantTraps(fixture.distGit, markers);
    const recording = await createRecordingGit(root);

    const result = await updateDistGit({
      sourceGitDir: fixture.sourceGit.dir,
      distGitDir: fixture.distGit.dir,
      git: createGitRunner({ binary: recording.binary }),
      message: 'Update from source-git',
      checkSyncStatus,
    });

    expect(result.outcome).toBe('committed');
    expect(await readdir(markers)).toEqual([]);
    const environments = (await recording.calls()).map((call) => call.env);
    expect(environments.length).toBeGreaterThan(3);
    const allowed = new Set([...INHERITED_ENVIRONMENT, ...RUNNER_SET]);
    for (const env of environments) {
      for (const [name, value] of env) {
        for (const forbidden of FORBIDDEN_VALUES) expect(`${name}=${value}`).not.toContain(forbidden);
        if (!allowed.has(name)) expect(name).toMatch(/^GIT_/); // set by the converter for one command
      }
      for (const name of NEVER_SET) expect(env.has(name), name).toBe(false);
      // The converter sets some of the others on purpose for one command, never to the caller's value.
      for (const name of ['GIT_AUTHOR_DATE', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0']) {
        expect(env.get(name), name).not.toBe(HOSTILE_ENV[name]);
      }
    }
    const who = await fixture.distGit.git(['log', '-1', '--format=%an <%ae>%n%cn <%ce>']);
    expect(who).toBe('srcgit bot <bot@example.com>\nsrcgit bot <bot@example.com>\n');
    expect(await fixture.distGit.git(['log', '-1', '--format=%ad'])).not.toContain('1970');
  });
});

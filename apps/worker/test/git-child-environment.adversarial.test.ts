/**
 * The worker's git children, end to end: a worker whose own environment holds git variables that
 * would change who commits, redirect git or run commands (hooks through `GIT_CONFIG_PARAMETERS`,
 * an fsmonitor through `GIT_CONFIG_COUNT`), and whose GitLab token comes from a file, still
 * converts a merge request, commits as its configured identity and runs none of those commands.
 */
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, privateRedisUrl, runGit } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distGitMergeRequestsFor } from './support/bot-assertions';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';

const root = createTempDir('hostile-worker-env').path;
const markers = join(root, 'markers');
const evilHooks = join(root, 'hooks');
const evilCommand = join(root, 'evil');

let bot: BotHarness;
beforeAll(async () => {
  await mkdir(markers);
  await mkdir(evilHooks);
  await writeFile(evilCommand, `#!/bin/sh\nenv > '${markers}/command-$$'\n`);
  await chmod(evilCommand, 0o755);
  for (const hook of ['pre-commit', 'post-commit', 'post-checkout', 'reference-transaction', 'pre-push']) {
    await writeFile(join(evilHooks, hook), `#!/bin/sh\nenv > '${markers}/${hook}-$$'\n`);
    await chmod(join(evilHooks, hook), 0o755);
  }
  const tokenFile = join(root, 'gitlab-token');
  bot = await startBotHarness({
    redisUrl: privateRedisUrl(),
    systemEnv: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      GIT_AUTHOR_NAME: 'Mallory',
      GIT_AUTHOR_EMAIL: 'mallory@evil.example',
      GIT_COMMITTER_NAME: 'Mallory',
      GIT_COMMITTER_EMAIL: 'mallory@evil.example',
      EMAIL: 'mallory@evil.example',
      GIT_DIR: '/nonexistent',
      GIT_INDEX_FILE: '/nonexistent/index',
      GIT_CONFIG_PARAMETERS: `'core.hookspath'='${evilHooks}'`,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.fsmonitor',
      GIT_CONFIG_VALUE_0: evilCommand,
      GIT_SSH_COMMAND: evilCommand,
      GIT_ASKPASS: evilCommand,
    },
  });
  // The worker that converts reads its token from a file (and GITLAB_TOKEN is empty).
  await writeFile(tokenFile, `${bot.env['GITLAB_TOKEN'] ?? ''}\n`, { mode: 0o600 });
  await bot.worker.stop('SIGTERM');
  bot.worker = await bot.startWorker({ GITLAB_TOKEN: '', GITLAB_TOKEN_FILE: tokenFile });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

describe('a worker with a hostile environment', () => {
  it(
    'commits as the configured bot, runs no hook or fsmonitor, reads its token from a file',
    { timeout: 120_000 },
    async () => {
      const sg = await bot.openMergeRequest({
        branch: 'hostile-env',
        files: { 'beer.c': 'int main(void) { return 3; }\n' },
        title: 'Three pints',
      });
      await bot.idle();

      const [dg, ...others] = distGitMergeRequestsFor(bot, sg.iid);
      expect(others).toEqual([]);
      expect(dg?.state).toBe('opened');
      const fork = bot.sim.project(`${bot.world.users.bot.username}/beer`);
      const who = await runGit(
        ['log', '-1', '--format=%an <%ae>%n%cn <%ce>', `refs/heads/c10s-src-${sg.iid}`],
        {
          cwd: bot.sim.repositoryPath(fork),
        },
      );
      expect(who).toBe('srcgit bot <srcgit-bot@example.com>\nsrcgit bot <srcgit-bot@example.com>\n');
      expect(await readdir(markers)).toEqual([]);
    },
  );
});

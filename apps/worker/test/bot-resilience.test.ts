/**
 * The bot under load and failures, end to end (real server and worker processes, the GitLab
 * simulator, Redis): many merge requests at once, every delivery sent three times, a worker
 * killed with SIGKILL mid-job, a Redis restarted during a burst of deliveries, a SIGTERM.
 */
import { privateRedisUrl, startRedisServer } from '@srcgit/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(
  options: { redisUrl?: string; env?: Record<string, string> } = {},
): Promise<BotHarness> {
  const bot = await startBotHarness({
    redisUrl: options.redisUrl ?? privateRedisUrl(),
    systemEnv,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  cleanups.push(() => bot.close());
  return bot;
}

/** Opens `count` merge requests at once, each on its own branch `<prefix>-<n>`. */
async function openMany(bot: BotHarness, prefix: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      bot.openMergeRequest({
        branch: `${prefix}-${index}`,
        files: { [`${prefix}-${index}.txt`]: `change ${index}\n` },
        title: `${prefix} ${index}`,
      }),
    ),
  );
}

function openDistGitMergeRequests(bot: BotHarness) {
  return bot.sim.mergeRequests({ project: bot.world.projects.distGit });
}

describe('the bot under load and failures', () => {
  it(
    'turns 50 merge requests opened at once into exactly 50 dist-git MRs',
    { timeout: 300_000 },
    async () => {
      const bot = await harness();
      const opened = await openMany(bot, 'many', 50);
      await bot.idle(240_000);
      const all = openDistGitMergeRequests(bot);
      expect(all).toHaveLength(50);
      for (const sg of opened) expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(1);
      expect(await bot.queue.getJobCounts('failed')).toEqual({ failed: 0 });
    },
  );

  it(
    'creates one dist-git MR per merge request when every delivery arrives three times',
    { timeout: 180_000 },
    async () => {
      const bot = await harness();
      const opened = await openMany(bot, 'thrice', 5);
      await bot.sim.settled();
      for (const delivery of bot.sim.deliveries({ event: 'Merge Request Hook' })) {
        bot.sim.redeliver(delivery.id);
        bot.sim.redeliver(delivery.id);
      }
      await bot.idle(120_000);
      for (const sg of opened)
        expect(distGitMergeRequestsFor(bot, sg.iid), JSON.stringify(bot.problems())).toHaveLength(1);
      expect(openDistGitMergeRequests(bot)).toHaveLength(5);
      const answers = bot.sim.deliveries().map((delivery) => delivery.status);
      expect(answers.every((status) => status === 202)).toBe(true);
    },
  );

  it(
    'finishes the job of a worker killed with SIGKILL mid-job after a restart, with one dist-git MR',
    { timeout: 180_000 },
    async () => {
      const bot = await harness();
      // The dist-git MR creation hangs, so the worker is killed after its push, before the MR exists.
      const slowCreate = bot.sim.injectFault({
        method: 'POST',
        path: /^\/api\/v4\/projects\/\d+\/merge_requests$/,
        latencyMs: 4_000,
      });
      const sg = await bot.openMergeRequest({
        branch: 'killed',
        files: { 'killed.txt': 'x\n' },
        title: 'Killed',
      });
      const deadline = Date.now() + 60_000;
      while (slowCreate.hits === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(slowCreate.hits).toBe(1);
      expect(await bot.worker.stop('SIGKILL')).toBeNull();
      expect(await bot.queue.getJobCounts('active')).toEqual({ active: 1 });

      bot.worker = await bot.startWorker();
      await bot.idle(120_000);
      expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(1);
      const counts = await bot.queue.getJobCounts('completed', 'failed', 'active');
      expect(counts.failed).toBe(0);
      expect(counts.active).toBe(0);
      expect(counts.completed).toBeGreaterThan(0);
    },
  );

  it('loses no delivery when Redis restarts during a burst', { timeout: 180_000 }, async () => {
    const redis = await startRedisServer({ appendOnly: true });
    cleanups.push(() => redis.stop());
    const bot = await harness({ redisUrl: redis.url });
    const burst = openMany(bot, 'restart', 10);
    // Restart Redis once the first deliveries have been answered.
    const deadline = Date.now() + 60_000;
    while (bot.sim.deliveries({ event: 'Merge Request Hook' }).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await redis.restart();
    const opened = await burst;
    await bot.idle(120_000);
    for (const sg of opened)
      expect(distGitMergeRequestsFor(bot, sg.iid), JSON.stringify(bot.problems())).toHaveLength(1);
    const sourceGitHooks = bot.sim
      .deliveries({ event: 'Merge Request Hook' })
      .filter(
        (delivery) => (delivery.payload['project'] as { id: number }).id === bot.world.projects.sourceGit.id,
      );
    expect(sourceGitHooks.length).toBeGreaterThanOrEqual(10);
    expect(sourceGitHooks.every((delivery) => delivery.status === 202)).toBe(true);
  });

  it(
    'on SIGTERM finishes or hands back its job and exits 0; the job then completes',
    { timeout: 180_000 },
    async () => {
      const bot = await harness({ env: { SRCGIT_SHUTDOWN_TIMEOUT_MS: '500' } });
      const slowCreate = bot.sim.injectFault({
        method: 'POST',
        path: /^\/api\/v4\/projects\/\d+\/merge_requests$/,
        latencyMs: 3_000,
      });
      const sg = await bot.openMergeRequest({
        branch: 'terminated',
        files: { 't.txt': 't\n' },
        title: 'Terminated',
      });
      const deadline = Date.now() + 60_000;
      while (slowCreate.hits === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await bot.worker.stop('SIGTERM')).toBe(0);
      expect(
        bot.worker.lines.some((line) => line['msg'] === 'job handed back to the queue at shutdown'),
      ).toBe(true);
      bot.worker = await bot.startWorker();
      await bot.idle(120_000);
      expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(1);
      expect(await bot.queue.getJobCounts('failed')).toEqual({ failed: 0 });
    },
  );
});

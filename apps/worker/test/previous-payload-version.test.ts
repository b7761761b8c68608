/**
 * A rolling upgrade, end to end: a job of the previous payload version (what a not yet upgraded
 * webhook server enqueues) waits in the real Redis queue and the new worker process completes it.
 */
import { JOB_PAYLOAD_VERSION, PREVIOUS_JOB_PAYLOAD_VERSION } from '@srcgit/core';
import { privateRedisUrl } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ redisUrl: privateRedisUrl(), systemEnv });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

describe('a job of the previous payload version', () => {
  it('is completed by a new worker', { timeout: 120_000 }, async () => {
    // Hold the queue so the server's job can be replaced by the one an old server would enqueue.
    await bot.queue.pause();
    const sg = await bot.openMergeRequest({
      branch: 'old-payload',
      files: { 'beer.c': 'int main(void) { return 2; }\n' },
      title: 'Queued by an old server',
    });
    let queued = await bot.queue.getJobs(['waiting']);
    while (queued.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      queued = await bot.queue.getJobs(['waiting']);
    }
    const [job] = queued;
    const { receivedBy, ...current } = job?.data as Record<string, unknown>;
    expect(current['version']).toBe(JOB_PAYLOAD_VERSION);
    expect(typeof receivedBy).toBe('string');
    await job?.remove();
    const old = await bot.queue.add(
      job?.name ?? '',
      { ...current, version: PREVIOUS_JOB_PAYLOAD_VERSION },
      {
        jobId: `old-${job?.id ?? ''}`,
        attempts: 3,
      },
    );
    await bot.queue.resume();
    await bot.idle();

    expect(await old.getState()).toBe('completed');
    const [dg, ...others] = distGitMergeRequestsFor(bot, sg.iid);
    expect(others).toEqual([]);
    expect(dg).toMatchObject({ title: 'Queued by an old server', state: 'opened' });
    expect(userNotes(bot, bot.world.projects.sourceGit.id, sg.iid)).toHaveLength(1);
  });
});

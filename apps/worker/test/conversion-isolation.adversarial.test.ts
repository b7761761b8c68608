/**
 * A hostile merge request costs one failed job and one note, never the worker: end to end (the
 * real webhook server and worker processes, the GitLab simulator, a private Redis).
 *
 * The hostile input is a real one: a contributor commit adding a 160 MB text file. The conversion
 * size limits (`SRCGIT_MAX_BLOB_BYTES`, `SRCGIT_MAX_PATCH_BYTES`, `SRCGIT_MAX_PATCH_SERIES_BYTES`)
 * would refuse it before it costs memory; they are raised here so that the conversion's memory
 * cap — the last line of defence, for whatever the size limits do not foresee — is what stops it. Converting it means a 160 MB patch, held by `git format-patch` and by the
 * converter — far over the memory cap this test gives the worker (`SRCGIT_CONVERSION_MAX_RSS_MB`
 * 256; an ordinary conversion, node and its git processes, needs well under half of it). Memory,
 * unlike time, does not depend on how busy the machine is, so the kill is deterministic; the time
 * limit and the job's abort are covered by the isolated converter's own tests.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { privateRedisUrl } from '@srcgit/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { distGitMergeRequestsFor, userNotes } from './support/bot-assertions';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const GIB = 1024 * 1024 * 1024;

/** 160 MB of text: 1.6 million lines of 100 bytes (compresses to almost nothing in git). */
function hugeText(): string {
  return `${'x'.repeat(99)}\n`.repeat(1_600_000);
}

/** The live processes (not zombies) whose process group is `pgid`. */
function liveGroupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === pgid && state !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Live processes working in `dir` (a conversion's git processes would). */
function processesWorkingIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('conversion isolation (adversarial)', () => {
  it(
    'kills a conversion over the memory cap, notes it once, and the same worker converts the next MR',
    { timeout: 300_000 },
    async () => {
      const bot: BotHarness = await startBotHarness({
        redisUrl: privateRedisUrl(),
        systemEnv,
        // One job at a time, so the next MR runs on the worker that ran the hostile one.
        env: {
          SRCGIT_CONVERSION_MAX_RSS_MB: '256',
          SRCGIT_CONCURRENCY: '1',
          SRCGIT_MAX_BLOB_BYTES: String(GIB),
          SRCGIT_MAX_PATCH_BYTES: String(GIB),
          SRCGIT_MAX_PATCH_SERIES_BYTES: String(GIB),
        },
      });
      cleanups.push(() => bot.close());
      const workerPid = bot.worker.child.pid;

      const hostile = await bot.openMergeRequest({
        branch: 'huge-file',
        files: { 'huge.txt': hugeText() },
        title: 'Add a huge file',
      });
      const stopped = await bot.worker.waitForLine(
        (line) => line['msg'] === 'conversion stopped at its limit',
        180_000,
      );
      await bot.idle(120_000);

      expect(stopped['limit']).toBe('memory');
      const notes = userNotes(bot, bot.world.projects.sourceGit.id, hostile.iid);
      expect(notes, JSON.stringify(notes)).toHaveLength(1);
      expect(notes[0]?.body).toContain('CONVERSION_KILLED');
      expect(notes[0]?.body).toContain('256 MB');
      expect(notes[0]?.body).toContain('SRCGIT_CONVERSION_MAX_RSS_MB');
      expect(distGitMergeRequestsFor(bot, hostile.iid)).toHaveLength(0);
      // Failed once, not retried.
      const failed = await bot.queue.getFailed();
      expect(failed.map((job) => [job.attemptsMade, job.failedReason.startsWith('user:')])).toEqual([
        [1, true],
      ]);

      const ordinary = await bot.openMergeRequest({
        branch: 'ordinary',
        files: { 'ordinary.txt': 'a small change\n' },
        title: 'An ordinary change',
      });
      await bot.idle(120_000);

      expect(distGitMergeRequestsFor(bot, ordinary.iid), JSON.stringify(bot.problems())).toHaveLength(1);
      expect(bot.worker.child.pid).toBe(workerPid);
      expect(bot.worker.child.exitCode).toBeNull();
      expect(userNotes(bot, bot.world.projects.sourceGit.id, hostile.iid)).toHaveLength(1);
      // Nothing of the killed conversion lives on: not the child, not its git processes.
      const childPid = stopped['pid'];
      expect(typeof childPid).toBe('number');
      expect(liveGroupMembers(childPid as number)).toEqual([]);
      expect(processesWorkingIn(bot.env['SRCGIT_WORK_DIR'] ?? '/nonexistent')).toEqual([]);
    },
  );
});

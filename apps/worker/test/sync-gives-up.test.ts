/**
 * A sync that gives up says so, end to end (real server and worker processes, the GitLab
 * simulator, Redis): when every push of the dist-git branch is refused, the worker's last attempt
 * ends with an error line, `srcgit_worker_jobs_gave_up_total` and exactly one note on the
 * source-git MR saying what failed and how to retry — one note per head, however often it gives up.
 * Build first (`pnpm exec turbo run build --filter=@srcgit/worker... --filter=@srcgit/webhook-server...`).
 */
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

const ATTEMPTS = 2;
const GAVE_UP = 'job gave up after its last attempt';

async function harness(): Promise<BotHarness> {
  const bot = await startBotHarness({
    redisUrl: privateRedisUrl(),
    systemEnv,
    env: { SRCGIT_RETRY_ATTEMPTS: String(ATTEMPTS) },
  });
  cleanups.push(() => bot.close());
  return bot;
}

/** The worker's error-level log lines with message `msg` (pino's numeric level or the name). */
function errorLines(bot: BotHarness, msg: string): Record<string, unknown>[] {
  return bot.worker.lines.filter(
    (line) => line['msg'] === msg && (line['level'] === 'error' || line['level'] === 50),
  );
}

async function workerMetrics(bot: BotHarness): Promise<string> {
  const started = bot.worker.lines.find((line) => line['msg'] === 'worker started');
  return (await fetch(`http://127.0.0.1:${String(started?.['metricsPort'])}/metrics`)).text();
}

describe('a sync that gives up', () => {
  it(
    'posts one note on the source-git MR, logs an error and counts it when every push is refused',
    { timeout: 180_000 },
    async () => {
      const bot = await harness();
      const refused = bot.sim.injectFault({
        method: 'POST',
        path: /\/git-receive-pack$/,
        status: 503,
        times: Infinity,
      });
      const sg = await bot.openMergeRequest({
        branch: 'refused',
        files: { 'refused.txt': 'never pushed\n' },
        title: 'Refused every time',
      });
      await bot.idle(120_000);

      expect(refused.hits).toBe(ATTEMPTS);
      expect(distGitMergeRequestsFor(bot, sg.iid)).toEqual([]);
      expect(await bot.queue.getJobCounts('failed')).toEqual({ failed: 1 });
      const notes = userNotes(bot, bot.world.projects.sourceGit.id, sg.iid);
      expect(notes, JSON.stringify(bot.problems())).toHaveLength(1);
      const [note] = notes;
      expect(note?.authorId).toBe(bot.world.users.bot.id);
      expect(note?.body).toContain(
        `could not be updated from commit ${sg.sha}: the bot gave up after ${ATTEMPTS} attempts.`,
      );
      expect(note?.body).toContain('comment `/srcgit update-dist-git` to retry');
      expect(note?.body.trimEnd().endsWith(`<!-- srcgit: problem sync-gave-up ${sg.sha} -->`)).toBe(true);
      expect(errorLines(bot, GAVE_UP)).toHaveLength(1);
      expect(errorLines(bot, GAVE_UP)[0]).toMatchObject({ kind: 'source-git-mr-opened', attempt: ATTEMPTS });
      expect(await workerMetrics(bot)).toMatch(
        /^srcgit_worker_jobs_gave_up_total\{kind="source-git-mr-opened",noted="true"\} 1$/m,
      );

      // It gives up again on the same head (a metadata-only update): still one note.
      await bot.sim.updateMergeRequest(bot.world.projects.sourceGit, sg.iid, bot.world.users.contributor, {
        title: 'Refused every time, again',
      });
      await bot.idle(120_000);
      expect(errorLines(bot, GAVE_UP)).toHaveLength(2);
      expect(userNotes(bot, bot.world.projects.sourceGit.id, sg.iid)).toHaveLength(1);
      expect(await workerMetrics(bot)).toMatch(
        /^srcgit_worker_jobs_gave_up_total\{kind="source-git-mr-updated",noted="true"\} 1$/m,
      );
    },
  );
});

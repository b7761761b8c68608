/**
 * docs/bot-behaviour.md §1.H end to end: GitLab's webhooks are switched off while merge requests
 * are opened, pushed, retitled, closed and merged; the real worker's periodic reconciliation
 * brings every pair in line within one period, and the late webhooks, delivered afterwards,
 * change nothing.
 */
import { privateRedisUrl, runGit } from '@srcgit/test-fixtures';
import type { SimMergeRequest } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, forkBranchMessage, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const PERIOD_SECONDS = 4;
let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({
    redisUrl: privateRedisUrl(),
    systemEnv,
    env: { SRCGIT_RECONCILE_INTERVAL_SECONDS: String(PERIOD_SECONDS) },
  });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

/** Resolves with the first reconciliation run that started at or after `since` (ms) and finished. */
async function runStartedAfter(since: number): Promise<Record<string, unknown>> {
  return bot.worker.waitForLine(
    (line) => line['msg'] === 'reconciliation run finished' && Date.parse(String(line['startedAt'])) >= since,
    (PERIOD_SECONDS + 60) * 1000,
  );
}

/** Everything a late webhook could change: dist-git MRs, notes on both sides, the fork's branches. */
async function observable(sourceGitMrs: readonly SimMergeRequest[]) {
  const { sourceGit, distGit } = bot.world.projects;
  const fork = bot.sim.project(`${bot.world.users.bot.username}/beer`);
  return {
    distGitMrs: bot.sim
      .mergeRequests({ project: distGit })
      .map(({ iid, state, title, description, sha, sourceBranch }) => ({
        iid,
        state,
        title,
        description,
        sha,
        sourceBranch,
      })),
    notes: [
      ...sourceGitMrs.map((mr) => userNotes(bot, sourceGit.id, mr.iid)),
      ...bot.sim.mergeRequests({ project: distGit }).map((mr) => userNotes(bot, distGit.id, mr.iid)),
    ].map((notes) => notes.map(({ id, body, updatedAt }) => ({ id, body, updatedAt }))),
    forkBranches: await runGit(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'], {
      cwd: bot.sim.repositoryPath(fork),
    }),
  };
}

describe('the periodic reconciliation, end to end', () => {
  it(
    'repairs what missed webhooks left within one period; the late webhooks then change nothing',
    { timeout: 300_000 },
    async () => {
      const { sourceGit } = bot.world.projects;
      const { contributor, maintainer } = bot.world.users;
      const open = (name: string, title: string) =>
        bot.openMergeRequest({
          branch: name,
          files: { [`${name}.txt`]: `${name}\n` },
          title,
          description: `About ${name}.`,
        });

      // With webhooks on: four pairs the bot makes as usual.
      const pushed = await open('pushed', 'Pushed later');
      const retitled = await open('retitled', 'Old title');
      const closed = await open('closed', 'Closed later');
      const merged = await open('merged', 'Merged later');
      await bot.idle();
      for (const mr of [pushed, retitled, closed, merged]) {
        expect(distGitMergeRequestsFor(bot, mr.iid)).toHaveLength(1);
      }
      const deliveredBefore = bot.sim.deliveries().length;

      // Webhooks off: every kind of change the bot would have heard of.
      bot.sim.holdWebhooks();
      const opened = await open('opened', 'Opened while away');
      const newHead = await bot.sim.commitFiles(bot.world.projects.contributorFork, {
        branch: 'pushed',
        files: { 'pushed.txt': 'pushed again\n' },
        message: 'Push while away',
        user: contributor,
      });
      await bot.sim.updateMergeRequest(sourceGit, retitled.iid, contributor, {
        title: 'New title',
        description: 'Bugzilla: 4242\nRe-described.',
      });
      await bot.sim.updateMergeRequest(sourceGit, closed.iid, contributor, { stateEvent: 'close' });
      await bot.sim.mergeMergeRequest(sourceGit, merged.iid, maintainer);
      const changed = Date.now();
      await bot.sim.settled();
      expect(bot.sim.deliveries().filter((delivery) => delivery.settled).length).toBe(deliveredBefore);

      // Within one period a run starts after the last change; its repairs are then processed.
      const run = await runStartedAfter(changed);
      expect(run['budgetExhausted']).toBeNull();
      await bot.idle(120_000);

      const [openedDg, ...openedOthers] = distGitMergeRequestsFor(bot, opened.iid);
      expect(openedOthers).toEqual([]);
      expect(openedDg).toMatchObject({ state: 'opened', title: 'Opened while away' });
      expect(await forkBranchMessage(bot, `c10s-src-${pushed.iid}`)).toContain(
        `From-source-git-commit: ${newHead}`,
      );
      const [retitledDg] = distGitMergeRequestsFor(bot, retitled.iid);
      expect(retitledDg?.title).toBe('New title');
      expect(retitledDg?.description).toContain('Resolves: bz#4242');
      const [closedDg] = distGitMergeRequestsFor(bot, closed.iid);
      expect(closedDg?.state).toBe('closed');
      const [mergedDg] = distGitMergeRequestsFor(bot, merged.iid);
      expect(mergedDg?.state).toBe('opened');

      const distGitId = bot.world.projects.distGit.id;
      const notesOn = (mr: Readonly<SimMergeRequest> | undefined) =>
        userNotes(bot, distGitId, mr?.iid ?? 0).map((note) => note.body.split('\n')[0]);
      expect(notesOn(closedDg)).toEqual([expect.stringContaining('has been closed')]);
      expect(notesOn(mergedDg)).toEqual([expect.stringContaining('has been merged')]);
      expect(notesOn(openedDg)).toEqual([]);
      expect(notesOn(retitledDg)).toEqual([]);
      const all = [pushed, retitled, closed, merged, opened];
      for (const mr of all) {
        expect(distGitMergeRequestsFor(bot, mr.iid)).toHaveLength(1);
        expect(userNotes(bot, sourceGit.id, mr.iid)).toHaveLength(1);
      }
      const metricsPort = bot.worker.lines.find((line) => line['msg'] === 'worker started')?.['metricsPort'];
      const metrics = await (await fetch(`http://127.0.0.1:${String(metricsPort)}/metrics`)).text();
      expect(metrics).toMatch(/^srcgit_reconcile_runs_total\{result="complete",mode="repair"\} [1-9]/m);
      for (const kind of [
        'missing-dist-git-mr',
        'head',
        'metadata',
        'source-git-closed',
        'source-git-merged',
      ]) {
        expect(metrics).toMatch(new RegExp(`^srcgit_reconcile_drift_total\\{kind="${kind}"\\} [1-9]`, 'm'));
      }
      expect(metrics).toMatch(/^srcgit_reconcile_repairs_total\{outcome="queued"\} [1-9]/m);
      expect(metrics).toMatch(/^srcgit_reconcile_requests_total [1-9]/m);

      // The late webhooks: accepted, processed, and nothing changes.
      const before = await observable(all);
      const held = bot.sim.deliveries().filter((delivery) => !delivery.settled).length;
      expect(held).toBeGreaterThan(0);
      bot.sim.releaseWebhooks();
      await bot.idle(120_000);
      const late = bot.sim.deliveries().slice(deliveredBefore);
      expect(late.every((delivery) => delivery.status === 202)).toBe(true);
      // A run after the late webhooks finds everything in line.
      const lateDone = Date.now();
      const settledRun = await runStartedAfter(lateDone);
      const driftFound = bot.worker.lines.filter(
        (line) =>
          line['msg'] === 'reconciliation found drift; repair queued' &&
          typeof line['time'] === 'string' &&
          Date.parse(line['time']) >= lateDone,
      );
      expect({ drift: settledRun['drift'], driftFound }).toEqual({
        drift: Object.fromEntries(Object.keys(settledRun['drift'] as object).map((kind) => [kind, 0])),
        driftFound: [],
      });
      await bot.idle(120_000);
      expect(await observable(all)).toEqual(before);
      expect(bot.problems().filter((line) => line['level'] === 'error')).toEqual([]);
    },
  );
});

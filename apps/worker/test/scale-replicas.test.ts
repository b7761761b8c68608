/**
 * Replicas end to end (README, "Scaling"): 2 webhook servers and 3 workers (real processes, the
 * built binaries) against one Redis, sharing one work volume — so one spool root and one
 * repository cache. 30 merge requests are opened and pushed twice each; every merge request event
 * is delivered by two group hooks, one per server, and 4 per MR are resent (300 deliveries); one
 * worker is SIGKILLed mid-burst. Every merge request must end at its newest head with one dist-git MR and one note,
 * and no process may log a lock or spool problem.
 */
import { freePort, privateRedisUrl } from '@srcgit/test-fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotProcess } from './support/bot-process';
import { startBotHarness, WEBHOOK_SECRET } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, forkBranchMessage, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const MERGE_REQUESTS = 30;
const PUSHES = 2;
/** Per MR: 3 events by 2 hooks, and 4 resent. */
const DELIVERIES = MERGE_REQUESTS * (2 * (1 + PUSHES) + 4);

let bot: BotHarness | undefined;
const extraProcesses: BotProcess[] = [];
afterAll(async () => {
  await Promise.all(extraProcesses.map((app) => app.stop('SIGKILL')));
  await bot?.close();
});

/** Log lines of `app` at warn or error level. */
function problems(app: BotProcess): Record<string, unknown>[] {
  return app.lines.filter((line) => line['level'] === 'warn' || line['level'] === 'error');
}

describe('2 webhook servers and 3 workers on one Redis and one work volume', () => {
  it(
    'bring 30 merge requests, pushed twice each, delivered to both servers and resent (300 deliveries), to their newest heads with one dist-git MR and one note each, through a worker SIGKILLed mid-burst',
    { timeout: 600_000 },
    async () => {
      // 1. The fleet: the harness's server and worker, a second server with its own group hook on
      //    the source-git group, and two more workers. Two jobs per worker: 6 at a time on 2 cores.
      const harness = await startBotHarness({
        redisUrl: privateRedisUrl(),
        systemEnv,
        env: { SRCGIT_CONCURRENCY: '2', SRCGIT_WORKER_LOCK_DURATION_MS: '5000' },
      });
      bot = harness;
      const secondPort = await freePort();
      const secondServer = await harness.startServer({ SRCGIT_PORT: String(secondPort) });
      extraProcesses.push(secondServer);
      const secondHook = harness.sim.addWebhook({
        group: harness.world.groups.src,
        url: `http://127.0.0.1:${secondPort}/api/webhooks/gitlab`,
        token: WEBHOOK_SECRET,
        events: ['merge_request', 'note'],
      });
      const [victim, survivor] = await Promise.all([harness.startWorker(), harness.startWorker()]);
      extraProcesses.push(victim, survivor);

      // 2. The burst: 30 MRs opened at once, then 2 rounds of pushes to every MR (each event
      //    delivered by both hooks: 180 deliveries), and GitLab's "resend" of each MR's opening and
      //    last push by both hooks (120 more). The victim is killed once it has run a job and the
      //    first round of pushes is out.
      const { contributorFork, sourceGit } = harness.world.projects;
      const contributor = harness.world.users.contributor;
      const opened = await Promise.all(
        Array.from({ length: MERGE_REQUESTS }, (_, n) =>
          harness.openMergeRequest({
            branch: `scale-${n}`,
            files: { [`scale-${n}.txt`]: 'push 0\n' },
            title: `Scale ${n}`,
          }),
        ),
      );
      const heads = new Map(opened.map((mr) => [mr.iid, mr.sha]));
      for (let push = 1; push <= PUSHES; push += 1) {
        await Promise.all(
          opened.map(async (mr, n) => {
            const head = await harness.sim.commitFiles(contributorFork, {
              branch: `scale-${n}`,
              files: { [`scale-${n}.txt`]: `push ${push}\n` },
              message: `Scale ${n}, push ${push}`,
              user: contributor,
            });
            heads.set(mr.iid, head);
          }),
        );
        if (push === 1) {
          await victim.waitForLine((line) => typeof line['jobId'] === 'string', 120_000);
          expect(await victim.stop('SIGKILL')).toBeNull();
        }
      }
      await harness.sim.settled();
      const sourceGitDeliveries = () =>
        harness.sim
          .deliveries({ event: 'Merge Request Hook' })
          .filter((delivery) => (delivery.payload['project'] as { id: number }).id === sourceGit.id);
      for (const mr of opened) {
        const ofMr = sourceGitDeliveries().filter(
          (delivery) => (delivery.payload['object_attributes'] as { iid: number }).iid === mr.iid,
        );
        expect(ofMr).toHaveLength(2 * (1 + PUSHES));
        for (const delivery of [...ofMr.slice(0, 2), ...ofMr.slice(-2)]) harness.sim.redeliver(delivery.id);
      }
      await harness.idle(480_000);

      // 3. 300 deliveries of source-git MR events, half to each server, every one answered 202.
      expect(sourceGitDeliveries()).toHaveLength(DELIVERIES);
      expect(sourceGitDeliveries().filter((delivery) => delivery.hookId === secondHook.id)).toHaveLength(
        DELIVERIES / 2,
      );
      expect(new Set(sourceGitDeliveries().map((delivery) => delivery.status))).toEqual(new Set([202]));

      // 4. Every MR at its newest head, one dist-git MR, one note.
      const processes = [harness.server, secondServer, harness.worker, victim, survivor];
      const logProblems = (): string => JSON.stringify(processes.flatMap(problems).slice(0, 20));
      for (const mr of opened) {
        const distGit = distGitMergeRequestsFor(harness, mr.iid);
        expect(distGit, `${mr.iid}: ${logProblems()}`).toHaveLength(1);
        expect(distGit[0]?.state).toBe('opened');
        expect(await forkBranchMessage(harness, `c10s-src-${mr.iid}`)).toContain(
          `From-source-git-commit: ${heads.get(mr.iid)}`,
        );
        expect(userNotes(harness, sourceGit.id, mr.iid), `${mr.iid}`).toHaveLength(1);
      }
      expect(harness.sim.mergeRequests({ project: harness.world.projects.distGit })).toHaveLength(
        MERGE_REQUESTS,
      );
      expect(await harness.queue.getJobCounts('failed', 'active', 'waiting', 'delayed')).toEqual({
        failed: 0,
        active: 0,
        waiting: 0,
        delayed: 0,
      });

      // 5. No process logged a lock or spool problem, and the survivors wrote nothing to stderr.
      const lockOrSpool = processes
        .flatMap(problems)
        .filter((line) => /\block(s|ed)?\b|srcgit-lock|file-lock|spool/i.test(JSON.stringify(line)));
      expect(lockOrSpool).toEqual([]);
      for (const app of [harness.server, secondServer, harness.worker, survivor]) {
        expect(app.stderr(), app.app).toBe('');
      }
    },
  );
});

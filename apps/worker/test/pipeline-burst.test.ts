/**
 * A burst of 200 pipeline events for 20 dist-git MRs, delivered out of order and some twice, to
 * the real webhook server and worker processes: every source-git MR ends with the final status of
 * its newest dist-git pipeline — as a commit status where the bot may set one, else in at most
 * one bot note.
 */
import { DIST_GIT_CI_NOTE_MARKER, parseDistGitCiNoteState } from '@srcgit/core';
import { privateRedisUrl, startWebhookReceiver } from '@srcgit/test-fixtures';
import type {
  SimMergeRequest,
  SimulatorProject,
  SimulatorUser,
  WebhookDelivery,
} from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startBotHarness, WEBHOOK_SECRET } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const CHECK = 'Dist-git MR CI Pipeline';
const MRS = 20;
const EVENTS = 200;

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ redisUrl: privateRedisUrl(), systemEnv });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

/** A deterministic pseudo-random sequence (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('a burst of pipeline events', () => {
  it(
    'leaves each source-git MR with its final status and at most one bot note',
    { timeout: 600_000 },
    async () => {
      const { sim, world } = bot;
      // Half the contributions come from a fork where the bot is a Developer (commit statuses),
      // half from one where it has no rights (the sticky note).
      sim.addMember({ project: world.projects.contributorFork }, world.users.bot, 'developer');
      const other = sim.createUser({ username: 'other-contributor' });
      const otherFork = await sim.forkProject(world.projects.sourceGit, other);
      // The bot's dist-git fork, with a hook that records its pipelines' events instead of
      // delivering them: the test delivers them itself, shuffled.
      const botFork = await sim.forkProject(world.projects.distGit, world.users.bot);
      const receiver = await startWebhookReceiver();
      onTestFinished(() => receiver.close());
      const recorder = sim.addWebhook({
        project: botFork.id,
        url: receiver.url,
        token: WEBHOOK_SECRET,
        events: ['pipeline'],
      });

      const opened: { sg: SimMergeRequest; fork: SimulatorProject; author: SimulatorUser }[] = [];
      for (let index = 0; index < MRS; index += 1) {
        const [fork, author] =
          index % 2 === 0 ? [world.projects.contributorFork, world.users.contributor] : [otherFork, other];
        const branch = `burst-${index}`;
        await sim.commitFiles(fork, {
          branch,
          startBranch: world.branch,
          files: { [`${branch}.txt`]: `${branch}\n` },
          message: `Burst ${index}`,
          user: author,
        });
        const sg = await sim.createMergeRequest({
          sourceProject: fork,
          targetProject: world.projects.sourceGit,
          sourceBranch: branch,
          targetBranch: world.branch,
          title: `Burst ${index}`,
          author,
        });
        opened.push({ sg, fork, author });
      }
      await bot.idle(300_000);

      // Each dist-git MR: its first pipeline fails, is retried and passes; a second pipeline then
      // ends in the MR's expected final state.
      const expected = new Map<number, 'success' | 'failed'>();
      for (const [index, { sg }] of opened.entries()) {
        const [dg] = distGitMergeRequestsFor(bot, sg.iid);
        if (dg === undefined)
          throw new Error(`no dist-git MR for !${sg.iid}: ${JSON.stringify(bot.problems())}`);
        const [first] = sim
          .pipelines({ mergeRequest: { project: world.projects.distGit, iid: dg.iid } })
          .filter((pipeline) => pipeline.projectId === botFork.id);
        if (first === undefined) throw new Error(`no pipeline for dist-git !${dg.iid}`);
        await sim.setPipelineStatus(first.id, 'running');
        await sim.setPipelineStatus(first.id, 'failed');
        const retried = await fetch(`${sim.apiUrl}/projects/${botFork.id}/pipelines/${first.id}/retry`, {
          method: 'POST',
          headers: { 'PRIVATE-TOKEN': world.users.bot.token },
        });
        expect(retried.status).toBe(201);
        await sim.setPipelineStatus(first.id, 'running');
        await sim.setPipelineStatus(first.id, 'success');
        const second = await sim.runMergeRequestPipeline(world.projects.distGit, dg.iid, world.users.bot);
        if (second === undefined) throw new Error('no second pipeline');
        const final = index % 3 === 0 ? 'success' : 'failed';
        await sim.setPipelineStatus(second.id, 'running');
        await sim.setPipelineStatus(second.id, final);
        expected.set(sg.iid, final);
      }
      await sim.settled();
      const recorded = sim.deliveries({ hookId: recorder.id });
      expect(recorded.length).toBeGreaterThanOrEqual(MRS * 8);

      // Out of order, and some twice (GitLab's retries resend a delivery with its key).
      const next = random(20_240_201);
      const burst: WebhookDelivery[] = [...recorded];
      while (burst.length < EVENTS)
        burst.push(recorded[Math.floor(next() * recorded.length)] as WebhookDelivery);
      for (let index = burst.length - 1; index > 0; index -= 1) {
        const other = Math.floor(next() * (index + 1));
        [burst[index], burst[other]] = [burst[other] as WebhookDelivery, burst[index] as WebhookDelivery];
      }
      expect(burst).toHaveLength(EVENTS);
      const answers: number[] = [];
      for (let start = 0; start < burst.length; start += 10) {
        const batch = burst.slice(start, start + 10);
        answers.push(
          ...(await Promise.all(
            batch.map(async (delivery) => {
              const response = await fetch(bot.webhookUrl, {
                method: 'POST',
                headers: delivery.headers,
                body: delivery.body,
              });
              await response.arrayBuffer();
              return response.status;
            }),
          )),
        );
      }
      expect(new Set(answers)).toEqual(new Set([202]));
      await bot.idle(300_000);

      for (const { sg, fork } of opened) {
        const want = expected.get(sg.iid);
        const head = sim.mergeRequest(world.projects.sourceGit, sg.iid).sha;
        const statuses = sim.commitStatuses(fork, head).filter((status) => status.name === CHECK);
        const notes = userNotes(bot, world.projects.sourceGit.id, sg.iid).filter((note) =>
          note.body.includes(DIST_GIT_CI_NOTE_MARKER),
        );
        if (fork.id === world.projects.contributorFork.id) {
          expect({ iid: sg.iid, state: statuses.at(-1)?.status }).toEqual({ iid: sg.iid, state: want });
          expect(notes).toHaveLength(0);
        } else {
          expect(statuses).toHaveLength(0);
          expect(notes).toHaveLength(1);
          expect({ iid: sg.iid, state: parseDistGitCiNoteState(notes[0]?.body ?? '')?.state }).toEqual({
            iid: sg.iid,
            state: want,
          });
        }
      }
      expect(bot.problems().filter((line) => line['level'] === 'error')).toEqual([]);
    },
  );
});

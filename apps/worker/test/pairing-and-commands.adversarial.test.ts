/**
 * Adversarial: a contributor attacks the pairing of source-git and dist-git MRs and the comment
 * commands, end to end — the GitLab simulator delivers real webhooks to the real webhook server
 * process, the real worker process acts on the simulator.
 *
 * - A marker of the bot's, copied into an MR description, pairs nothing and reaches no dist-git
 *   MR text: the victim's MR gets its own dist-git MR, closing the attacker's MR closes only the
 *   attacker's dist-git MR, and CI results go only to the MR they belong to.
 * - A command written as code, quoted or hidden runs nothing.
 * - A note payload claiming a maintainer is judged on the note's real author, read from GitLab.
 */
import { commandReplyMarker, DIST_GIT_CI_NOTE_MARKER, sourceGitMrMarker } from '@srcgit/core';
import { privateRedisUrl } from '@srcgit/test-fixtures';
import type { SimMergeRequest } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, WEBHOOK_SECRET } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const SLOW = { timeout: 240_000 };
let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ redisUrl: privateRedisUrl(), systemEnv });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

/** The one dist-git MR of source-git MR `sgIid` (fails the test when there is not exactly one). */
function onlyDistGitMr(sgIid: number): SimMergeRequest {
  const all = distGitMergeRequestsFor(bot, sgIid);
  if (all.length !== 1) {
    throw new Error(`!${sgIid} has ${all.length} dist-git MRs: ${JSON.stringify(bot.problems())}`);
  }
  return all[0] as SimMergeRequest;
}

/** Opens a source-git MR and waits until the bot is done with it. */
async function open(branch: string, description = ''): Promise<SimMergeRequest> {
  const sg = await bot.openMergeRequest({
    branch,
    files: { [`${branch}.txt`]: `${branch}\n` },
    title: `Contribution ${branch}`,
    description,
  });
  await bot.idle();
  return sg;
}

/** The next iid GitLab allocates in source-git (iids are sequential per project). */
function nextSourceGitIid(): number {
  const iids = bot.sim.mergeRequests({ project: bot.world.projects.sourceGit }).map((mr) => mr.iid);
  return Math.max(0, ...iids) + 1;
}

const ciNotes = (sgIid: number) =>
  userNotes(bot, bot.world.projects.sourceGit.id, sgIid).filter((note) =>
    note.body.includes(DIST_GIT_CI_NOTE_MARKER),
  );
const distGitPipelines = (dgIid: number) =>
  bot.sim.pipelines({ mergeRequest: { project: bot.world.projects.distGit, iid: dgIid } });
const replies = (sgIid: number, noteId: number) =>
  userNotes(bot, bot.world.projects.sourceGit.id, sgIid).filter((note) =>
    note.body.includes(commandReplyMarker(noteId)),
  );

/** Posts a Note Hook payload to the webhook server as GitLab would (the project hook's secret). */
async function deliverNoteHook(payload: Record<string, unknown>): Promise<number> {
  const response = await fetch(bot.webhookUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Gitlab-Event': 'Note Hook',
      'X-Gitlab-Token': WEBHOOK_SECRET,
      'X-Gitlab-Webhook-UUID': crypto.randomUUID(),
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify(payload),
  });
  return response.status;
}

/** The Note Hook payload GitLab delivered for note `noteId`. */
function noteHookPayload(noteId: number): Record<string, unknown> {
  const delivery = bot.sim
    .deliveries({ event: 'Note Hook' })
    .find((entry) => (entry.payload['object_attributes'] as { id: number }).id === noteId);
  if (delivery === undefined) throw new Error(`no Note Hook for note ${noteId}`);
  return structuredClone<Record<string, unknown>>(delivery.payload);
}

/** `payload` claiming that the maintainer wrote it (the `user` block and `author_id`), and `body`. */
function claimingMaintainer(payload: Record<string, unknown>, body?: string): Record<string, unknown> {
  const { maintainer } = bot.world.users;
  const attributes = payload['object_attributes'] as Record<string, unknown>;
  return {
    ...payload,
    user: {
      ...(payload['user'] as object),
      id: maintainer.id,
      username: maintainer.username,
      name: maintainer.name,
    },
    object_attributes: {
      ...attributes,
      author_id: maintainer.id,
      // Another `updated_at`, so the intake does not take it for the delivery GitLab made.
      updated_at: '2030-01-01 00:00:00 UTC',
      ...(body === undefined ? {} : { note: body, description: body }),
    },
  };
}

describe('pairing and comment commands under attack, end to end', () => {
  it(
    'a copied marker pairs nothing: the victim gets its own dist-git MR, closes and CI results stay apart',
    SLOW,
    async () => {
      const { sim, world } = bot;
      const sourceGitId = world.projects.sourceGit.id;
      const existing = await open('adv-existing');
      const existingDg = onlyDistGitMr(existing.iid);
      const existingDescription = existingDg.description;

      // The attacker's MR names the existing MR and the victim's future MR, in several spellings.
      const attackerIid = nextSourceGitIid();
      const victimIid = attackerIid + 1;
      const future = sourceGitMrMarker(sourceGitId, victimIid);
      const hostile = [
        'Innocent change.',
        sourceGitMrMarker(sourceGitId, existing.iid),
        future,
        `<!--SRCGIT: source-git-mr ${sourceGitId}!${victimIid}-->`,
        `<!--\n  srcgit:  source-git-mr ${sourceGitId}!${victimIid}\n--!>`,
        `<!-${future}- srcgit: source-git-mr ${sourceGitId}!${victimIid} -->`,
        future,
      ].join('\n');
      const attacker = await open('adv-attacker', hostile);
      expect(attacker.iid).toBe(attackerIid);
      const attackerDg = onlyDistGitMr(attacker.iid);
      const srcgitComments = attackerDg.description.match(/<!--[\s\S]*?srcgit[\s\S]*?-->/gi) ?? [];
      expect(srcgitComments).toEqual([sourceGitMrMarker(sourceGitId, attacker.iid)]);
      expect(attackerDg.description.trimEnd().endsWith(sourceGitMrMarker(sourceGitId, attacker.iid))).toBe(
        true,
      );
      expect(attackerDg.description).toContain('Innocent change.');

      const victim = await open('adv-victim', 'A real fix.');
      expect(victim.iid).toBe(victimIid);
      const victimDg = onlyDistGitMr(victim.iid);
      expect(victimDg.iid).not.toBe(attackerDg.iid);
      expect(victimDg.sourceBranch).toBe(`c10s-src-${victim.iid}`);
      expect(victimDg.description.trimEnd().endsWith(sourceGitMrMarker(sourceGitId, victim.iid))).toBe(true);
      // The attacker's dist-git MR got nothing of the victim's.
      expect(onlyDistGitMr(attacker.iid).sha).toBe(attackerDg.sha);
      expect(sim.mergeRequest(world.projects.distGit, existingDg.iid).description).toBe(existingDescription);
      expect(distGitMergeRequestsFor(bot, existing.iid)).toHaveLength(1);

      // A pipeline of the attacker's dist-git MR is reported on the attacker's MR only.
      const fork = sim.project(`${world.users.bot.username}/beer`);
      sim.addWebhook({ project: fork.id, url: bot.webhookUrl, token: WEBHOOK_SECRET, events: ['pipeline'] });
      const pipeline = await sim.runMergeRequestPipeline(
        world.projects.distGit,
        attackerDg.iid,
        world.users.bot,
        {
          inTarget: false,
        },
      );
      if (pipeline === undefined) throw new Error('no detached pipeline');
      await bot.idle();
      await sim.setPipelineStatus(pipeline.id, 'failed');
      await bot.idle();
      expect(ciNotes(attacker.iid)).toHaveLength(1);
      expect(ciNotes(victim.iid)).toEqual([]);
      expect(ciNotes(existing.iid)).toEqual([]);

      // Closing the attacker's MR closes the attacker's dist-git MR, and nothing else.
      await sim.updateMergeRequest(world.projects.sourceGit, attacker.iid, world.users.contributor, {
        stateEvent: 'close',
      });
      await bot.idle();
      expect(sim.mergeRequest(world.projects.distGit, attackerDg.iid).state).toBe('closed');
      expect(sim.mergeRequest(world.projects.distGit, victimDg.iid).state).toBe('opened');
      expect(sim.mergeRequest(world.projects.distGit, existingDg.iid).state).toBe('opened');
      expect(bot.problems().filter((line) => line['level'] === 'error')).toEqual([]);
    },
  );

  it(
    'a command in a fenced block, an indented block, a quote or an HTML comment runs nothing',
    SLOW,
    async () => {
      const sg = await open('adv-code-blocks');
      const dg = onlyDistGitMr(sg.iid);
      const before = distGitPipelines(dg.iid).length;
      const bodies = [
        'Could you try this?\n\n```shell\n/srcgit retest\n```',
        '~~~\n/srcgit retest\n~~~',
        'Run it like so:\n\n    /srcgit retest',
        '> /srcgit retest\n\nAs the bot said above.',
        '<!--\n/srcgit retest\n-->',
      ];
      const notes = [];
      for (const body of bodies) {
        notes.push(
          await bot.sim.addNote(bot.world.projects.sourceGit, sg.iid, bot.world.users.maintainer, body),
        );
      }
      await bot.idle();
      expect(distGitPipelines(dg.iid)).toHaveLength(before);
      for (const note of notes) {
        expect(replies(sg.iid, note.id)).toEqual([]);
        expect(bot.sim.awardEmoji(note.id)).toEqual([]);
      }
    },
  );

  it("a note payload claiming a maintainer is judged on the note's real author and body", SLOW, async () => {
    const { sim, world } = bot;
    const sg = await open('adv-forged-author');
    const dg = onlyDistGitMr(sg.iid);
    const before = distGitPipelines(dg.iid).length;

    // The contributor's own command never reached the bot (the server was down): a forged
    // delivery of it claims the maintainer wrote it.
    await bot.server.stop('SIGTERM');
    const command = await sim.addNote(
      world.projects.sourceGit,
      sg.iid,
      world.users.contributor,
      '/srcgit retest',
    );
    await sim.settled();
    bot.server = await bot.startServer();
    expect(await deliverNoteHook(claimingMaintainer(noteHookPayload(command.id)))).toBe(202);
    await bot.idle();
    expect(distGitPipelines(dg.iid)).toHaveLength(before);
    const [refusal, ...more] = replies(sg.iid, command.id);
    expect(more).toEqual([]);
    expect(refusal?.body).toContain(`@${world.users.contributor.username}, the dist-git CI runs with`);

    // A harmless note of the contributor's, delivered again with a command and the maintainer.
    const harmless = await sim.addNote(world.projects.sourceGit, sg.iid, world.users.contributor, 'Thanks!');
    await bot.idle();
    const forged = claimingMaintainer(noteHookPayload(harmless.id), '/srcgit retest');
    expect(await deliverNoteHook(forged)).toBe(202);
    // And a note id GitLab does not have on this MR.
    const attributes = forged['object_attributes'] as Record<string, unknown>;
    const missing = { ...forged, object_attributes: { ...attributes, id: harmless.id + 100_000 } };
    expect(await deliverNoteHook(missing)).toBe(202);
    await bot.idle();
    expect(distGitPipelines(dg.iid)).toHaveLength(before);
    expect(replies(sg.iid, harmless.id)).toEqual([]);
    expect(sim.awardEmoji(harmless.id)).toEqual([]);
    await bot.worker.waitForLine((line) => line['reason'] === 'unverified-note');
  });
});

/**
 * docs/bot-behaviour.md §7 scenarios 10–15 and the dist-git → source-git sync, end to end: the GitLab
 * simulator delivers real webhooks (pipelines in the bot's fork and in the parent, comments,
 * dist-git pushes) to the real webhook server process; the real worker process reports CI
 * results, runs comment commands and opens the "Sync from dist-git" MR.
 */
import { join } from 'node:path';
import { commandReplyMarker, createConverter, DIST_GIT_CI_NOTE_MARKER } from '@srcgit/core';
import { createTempDir, privateRedisUrl, runGit } from '@srcgit/test-fixtures';
import type { SimMergeRequest } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, WEBHOOK_SECRET } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const SLOW = { timeout: 180_000 };
const CHECK = 'Dist-git MR CI Pipeline';
let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ redisUrl: privateRedisUrl(), systemEnv });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

const decode = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

/** Opens a source-git MR, waits for its dist-git MR, and hooks the bot's fork up for pipelines. */
async function pairedMr(
  branch: string,
): Promise<{ sg: SimMergeRequest; dg: SimMergeRequest; forkId: number }> {
  const sg = await bot.openMergeRequest({
    branch,
    files: { [`${branch}.txt`]: `${branch}\n` },
    title: `Contribution ${branch}`,
  });
  await bot.idle();
  const [dg] = distGitMergeRequestsFor(bot, sg.iid);
  if (dg === undefined) throw new Error(`no dist-git MR for !${sg.iid}: ${JSON.stringify(bot.problems())}`);
  const fork = bot.sim.project(`${bot.world.users.bot.username}/beer`);
  // The operator's hook on the bot's fork (docs/bot-behaviour.md §2.5.1): detached pipelines run there.
  if (!bot.sim.hooks().some((hook) => hook.owner.type === 'project' && hook.owner.id === fork.id)) {
    bot.sim.addWebhook({
      project: fork.id,
      url: bot.webhookUrl,
      token: WEBHOOK_SECRET,
      events: ['pipeline'],
    });
  }
  return { sg: bot.sim.mergeRequest(bot.world.projects.sourceGit, sg.iid), dg, forkId: fork.id };
}

const forkPipeline = async (dgIid: number) => {
  const pipeline = await bot.sim.runMergeRequestPipeline(
    bot.world.projects.distGit,
    dgIid,
    bot.world.users.bot,
    {
      inTarget: false,
    },
  );
  if (pipeline === undefined) throw new Error('no detached pipeline');
  return pipeline;
};
const ciNotes = (sgIid: number) =>
  userNotes(bot, bot.world.projects.sourceGit.id, sgIid).filter((note) =>
    note.body.includes(DIST_GIT_CI_NOTE_MARKER),
  );
const statusesOf = (sha: string) =>
  bot.sim.commitStatuses(bot.world.projects.contributorFork, sha).filter((status) => status.name === CHECK);
const moveTo = async (pipelineId: number, status: 'running' | 'failed' | 'success') => {
  await bot.sim.setPipelineStatus(pipelineId, status);
  await bot.idle();
};

describe('CI results, comment commands and dist-git pushes, end to end', () => {
  it(
    'scenario 10b: without rights on the fork, one note is created at the first final state and edited after',
    SLOW,
    async () => {
      const { sg, dg } = await pairedMr('scenario-10b');
      const pipeline = await forkPipeline(dg.iid);
      await bot.idle();
      await moveTo(pipeline.id, 'running');
      expect(ciNotes(sg.iid)).toHaveLength(0);
      await moveTo(pipeline.id, 'failed');
      expect(ciNotes(sg.iid)).toHaveLength(1);
      expect(ciNotes(sg.iid)[0]?.body).toContain(`| ${CHECK} | failed | [#${pipeline.id}]`);

      const failed = bot.sim
        .deliveries({ event: 'Pipeline Hook' })
        .filter(
          (delivery) =>
            (delivery.payload['object_attributes'] as { id: number; status: string }).id === pipeline.id,
        )
        .find(
          (delivery) => (delivery.payload['object_attributes'] as { status: string }).status === 'failed',
        );
      bot.sim.redeliver(failed?.id ?? 0);
      await bot.idle();
      expect(ciNotes(sg.iid)).toHaveLength(1);

      const retry = await fetch(
        `${bot.sim.apiUrl}/projects/${pipeline.projectId}/pipelines/${pipeline.id}/retry`,
        {
          method: 'POST',
          headers: { 'PRIVATE-TOKEN': bot.world.users.bot.token },
        },
      );
      expect(retry.status).toBe(201);
      await bot.idle();
      await moveTo(pipeline.id, 'running');
      await moveTo(pipeline.id, 'success');
      expect(ciNotes(sg.iid)).toHaveLength(1);
      expect(ciNotes(sg.iid)[0]?.body).toContain(`| ${CHECK} | success | [#${pipeline.id}]`);
      expect(statusesOf(sg.sha)).toHaveLength(0);
    },
  );

  it('scenario 12: a branch pipeline without a merge request is ignored', SLOW, async () => {
    const sample = bot.sim.deliveries({ event: 'Pipeline Hook' }).at(-1);
    if (sample === undefined) throw new Error('no Pipeline Hook delivered yet');
    const payload = structuredClone(sample.payload);
    Object.assign(payload['object_attributes'] as object, {
      id: 999_001,
      source: 'push',
      ref: 'some-branch',
    });
    payload['merge_request'] = null;
    const response = await fetch(bot.webhookUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Gitlab-Event': 'Pipeline Hook',
        'X-Gitlab-Token': WEBHOOK_SECRET,
        'X-Gitlab-Webhook-UUID': crypto.randomUUID(),
      },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(202);
    await bot.idle();
    await bot.worker.waitForLine((line) => line['reason'] === 'not-merge-request-pipeline');
  });

  it(
    'scenario 14: retest explains itself to a non-member and runs for a dist-git Developer, once',
    SLOW,
    async () => {
      const { sg, dg } = await pairedMr('scenario-14');
      const pipelines = () =>
        bot.sim.pipelines({ mergeRequest: { project: bot.world.projects.distGit, iid: dg.iid } });
      const before = pipelines().length;
      const replies = (noteId: number) =>
        userNotes(bot, bot.world.projects.sourceGit.id, sg.iid).filter((note) =>
          note.body.includes(commandReplyMarker(noteId)),
        );

      const refused = await bot.sim.addNote(
        bot.world.projects.sourceGit,
        sg.iid,
        bot.world.users.contributor,
        '/srcgit retest',
      );
      await bot.idle();
      expect(pipelines()).toHaveLength(before);
      expect(replies(refused.id)).toHaveLength(1);
      expect(replies(refused.id)[0]?.body).toContain('only its Developers and Maintainers may start it');

      const accepted = await bot.sim.addNote(
        bot.world.projects.sourceGit,
        sg.iid,
        bot.world.users.maintainer,
        '/srcgit retest',
      );
      await bot.idle();
      expect(bot.sim.awardEmoji(accepted.id).map((emoji) => [emoji.name, emoji.userId])).toEqual([
        ['eyes', bot.world.users.bot.id],
      ]);
      expect(pipelines()).toHaveLength(before + 1);
      const newest = pipelines()[0];
      expect(newest?.projectId).toBe(bot.world.projects.distGit.id);
      expect(replies(accepted.id)[0]?.body).toContain(`/rpms/beer/-/pipelines/${newest?.id}`);

      const edit = await fetch(
        `${bot.sim.apiUrl}/projects/${bot.world.projects.sourceGit.id}/merge_requests/${sg.iid}/notes/${accepted.id}`,
        {
          method: 'PUT',
          headers: { 'PRIVATE-TOKEN': bot.world.users.maintainer.token, 'Content-Type': 'application/json' },
          body: JSON.stringify({ body: '/srcgit retest\n\nonce more?' }),
        },
      );
      expect(edit.status).toBe(200);
      await bot.idle();
      expect(pipelines()).toHaveLength(before + 1);
      expect(replies(accepted.id)).toHaveLength(1);
    },
  );

  it(
    'scenario 15: update-dist-git --recreate closes the dist-git MR as superseded and opens a fresh one',
    SLOW,
    async () => {
      const { sg, dg } = await pairedMr('scenario-15');
      await bot.sim.addNote(
        bot.world.projects.sourceGit,
        sg.iid,
        bot.world.users.contributor,
        '/srcgit update-dist-git --recreate',
      );
      await bot.idle();
      const all = distGitMergeRequestsFor(bot, sg.iid);
      expect(all.map((mr) => mr.state).sort()).toEqual(['closed', 'opened']);
      const fresh = all.find((mr) => mr.state === 'opened');
      expect(bot.sim.mergeRequest(bot.world.projects.distGit, dg.iid).state).toBe('closed');
      const superseded = userNotes(bot, bot.world.projects.distGit.id, dg.iid).filter((note) =>
        note.body.startsWith('Superseded by'),
      );
      expect(superseded.map((note) => note.body.split(' (')[0])).toEqual([`Superseded by !${fresh?.iid}`]);
      const link = userNotes(bot, bot.world.projects.sourceGit.id, sg.iid).find((note) =>
        note.body.startsWith('[Dist-git MR #'),
      );
      expect(link?.body.split('\n')[0]).toContain(`[Dist-git MR #${fresh?.iid}]`);

      // A push now updates the fresh MR: the pairing was re-pointed.
      await bot.sim.commitFiles(bot.world.projects.contributorFork, {
        branch: 'scenario-15',
        files: { 'scenario-15.txt': 'again\n' },
        message: 'Once more',
        user: bot.world.users.contributor,
      });
      await bot.idle();
      const head = bot.sim.mergeRequest(bot.world.projects.sourceGit, sg.iid).sha;
      const freshNow = bot.sim.mergeRequest(bot.world.projects.distGit, fresh?.iid ?? 0);
      const message = await runGit(['log', '-1', '--format=%B', freshNow.sha], {
        cwd: bot.sim.repositoryPath(freshNow.sourceProjectId),
      });
      expect(message).toContain(`From-source-git-commit: ${head}`);
      expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(2);
    },
  );

  it(
    'scenarios 10a, 11 and 13: with rights on the fork, one commit status follows the pipelines',
    SLOW,
    async () => {
      bot.sim.addMember({ project: bot.world.projects.contributorFork }, bot.world.users.bot, 'developer');
      const { sg, dg } = await pairedMr('scenario-10a');
      const pipeline = await forkPipeline(dg.iid);
      await bot.idle();
      expect(statusesOf(sg.sha).at(-1)?.status).toBe('pending');
      await moveTo(pipeline.id, 'running');
      expect(statusesOf(sg.sha).at(-1)?.status).toBe('running');
      // Scenario 13: a second pipeline's `pending` meets GitLab's "Cannot transition status": no-op.
      const second = await forkPipeline(dg.iid);
      await bot.idle();
      expect(statusesOf(sg.sha).at(-1)?.status).toBe('running');
      await moveTo(pipeline.id, 'failed');
      await moveTo(second.id, 'running');
      await moveTo(second.id, 'failed');
      const latest = statusesOf(sg.sha).at(-1);
      expect([latest?.status, latest?.ref, latest?.description]).toEqual([
        'failed',
        'scenario-10a',
        'Changed status to failed',
      ]);
      expect(ciNotes(sg.iid)).toHaveLength(0);

      // Scenario 11: a maintainer runs the merged-results pipeline in the parent.
      bot.sim.configureProject(bot.world.projects.distGit, { mergedResultsPipelines: true });
      const parent = await bot.sim.runMergeRequestPipeline(
        bot.world.projects.distGit,
        dg.iid,
        bot.world.users.maintainer,
        {
          inTarget: true,
        },
      );
      if (parent === undefined) throw new Error('no parent pipeline');
      expect(parent.sha).not.toBe(dg.sha);
      await bot.idle();
      await moveTo(parent.id, 'running');
      await moveTo(parent.id, 'success');
      const fromParent = statusesOf(sg.sha).at(-1);
      expect(fromParent?.status).toBe('success');
      expect(fromParent?.targetUrl).toBe(`${bot.sim.url}/rpms/beer/-/pipelines/${parent.id}`);
      bot.sim.configureProject(bot.world.projects.distGit, { mergedResultsPipelines: false });
      expect(bot.problems().filter((line) => line['level'] === 'error')).toEqual([]);
    },
  );

  it(
    'dist-git pushes: one "Sync from dist-git" MR for a spec and CI change, updated by the next push and a patch edit',
    SLOW,
    async () => {
      const { sim, world } = bot;
      const { maintainer } = world.users;
      // The sync point: a downstream commit in source-git, brought into dist-git by the converter.
      await sim.commitFiles(world.projects.sourceGit, {
        branch: world.branch,
        files: { 'beer.c': 'int main(void) { puts("a pint of porter"); return 0; }\n' },
        message: 'Pour porter',
        user: maintainer,
      });
      const dir = createTempDir('sync-point');
      try {
        await runGit(['clone', '--quiet', sim.cloneUrl(world.projects.sourceGit, maintainer), 'sg'], {
          cwd: dir.path,
        });
        await runGit(['clone', '--quiet', sim.cloneUrl(world.projects.distGit, maintainer), 'dg'], {
          cwd: dir.path,
        });
        const dg = join(dir.path, 'dg');
        await runGit(['config', 'user.name', 'Mai Ntainer'], { cwd: dg });
        await runGit(['config', 'user.email', 'maintainer@example.com'], { cwd: dg });
        await createConverter().updateDistGit({
          sourceGitDir: join(dir.path, 'sg'),
          distGitDir: dg,
          message: 'Pour porter\n',
        });
        await runGit(['push', '--quiet', 'origin', `HEAD:${world.branch}`], { cwd: dg });
      } finally {
        await dir.remove();
      }
      await bot.idle();
      const syncMrs = () =>
        sim
          .mergeRequests({ project: world.projects.sourceGit })
          .filter((mr) => mr.title === 'Sync from dist-git');
      expect(syncMrs()).toHaveLength(0);

      const spec = decode(
        await fetch(
          `${sim.apiUrl}/projects/${world.projects.distGit.id}/repository/files/beer.spec/raw?ref=${world.branch}`,
          {
            headers: { 'PRIVATE-TOKEN': maintainer.token },
          },
        ).then(async (response) => new Uint8Array(await response.arrayBuffer())),
      );
      const bumped = spec.replace(/^Release:(\s+)1%\{\?dist\}$/m, 'Release:$12%{?dist}');
      await sim.commitFiles(world.projects.distGit, {
        branch: world.branch,
        files: {
          'beer.spec': bumped,
          '.gitlab-ci.yml':
            'check:\n  script: [rpmspec -P beer.spec]\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n',
        },
        message: 'Release 2 with simpler CI',
        user: maintainer,
      });
      await bot.idle();
      expect(syncMrs()).toHaveLength(1);
      const [first] = syncMrs();
      expect(first?.sourceBranch).toBe('dist-git-sync/c10s');
      // The bot's own MR into source-git never becomes a dist-git MR (loop guard).
      expect(distGitMergeRequestsFor(bot, first?.iid ?? 0)).toHaveLength(0);

      const patchName = '0001-Pour-porter.patch';
      const patch = decode(
        await fetch(
          `${sim.apiUrl}/projects/${world.projects.distGit.id}/repository/files/${patchName}/raw?ref=${world.branch}`,
          { headers: { 'PRIVATE-TOKEN': maintainer.token } },
        ).then(async (response) => new Uint8Array(await response.arrayBuffer())),
      );
      expect(patch).toContain('a pint of porter');
      const edited = await sim.commitFiles(world.projects.distGit, {
        branch: world.branch,
        files: { [patchName]: patch.replace('a pint of porter', 'a pint of stout') },
        message: 'Pour stout',
        user: maintainer,
      });
      await bot.idle();
      expect(syncMrs().map((mr) => mr.iid)).toEqual([first?.iid]);
      const fork = sim.project(syncMrs()[0]?.sourceProjectId ?? 0);
      const log = await runGit(
        [
          'log',
          '--format=%s|%(trailers:key=Patch-name,valueonly,separator=)|%(trailers:key=From-dist-git-commit,valueonly,separator=)',
          `${world.branch}..dist-git-sync/c10s`,
        ],
        { cwd: sim.repositoryPath(fork) },
      );
      expect(log.trim().split('\n')[0]).toBe(`Update patch ${patchName}|${patchName}|${edited}`);
      expect(
        await runGit(['show', 'dist-git-sync/c10s:beer.c'], { cwd: sim.repositoryPath(fork) }),
      ).toContain('a pint of stout');
    },
  );
});

/**
 * docs/bot-behaviour.md §7 scenarios 1–9, 16 and 17, end to end: the GitLab simulator delivers real
 * webhooks to the real webhook server process, which queues them in Redis for the real worker
 * process, which runs the workflows against the simulator over HTTP and git.
 */
import { createTempDir, privateRedisUrl, runGit } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, WEBHOOK_SECRET } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import {
  distGitMergeRequestsFor,
  forkBranchMessage,
  projectOrNull,
  userNotes,
} from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({ redisUrl: privateRedisUrl(), systemEnv });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

const SLOW = { timeout: 120_000 };

describe('the bot, end to end', () => {
  it('scenario 1: an MR opened from a fork gets one dist-git MR and one note', SLOW, async () => {
    const sg = await bot.openMergeRequest({
      branch: 'scenario-1',
      files: { 'beer.c': 'int main(void) { return 1; }\n' },
      title: 'Pour one more',
      description: 'Bugzilla: 1234567\nPlease pour.',
    });
    await bot.idle();

    const [dg, ...others] = distGitMergeRequestsFor(bot, sg.iid);
    expect(others).toEqual([]);
    expect(dg).toMatchObject({ title: 'Pour one more', targetBranch: 'c10s', state: 'opened' });
    const fork = bot.sim.project(`${bot.world.users.bot.username}/beer`);
    expect(fork.forkedFromId).toBe(bot.world.projects.distGit.id);
    expect(dg?.sourceProjectId).toBe(fork.id);
    expect(dg?.description).toContain('Resolves: bz#1234567');
    expect(dg?.description).toContain(
      `[this source-git MR](${bot.world.projects.sourceGit.webUrl}/-/merge_requests/${sg.iid})`,
    );
    const notes = userNotes(bot, bot.world.projects.sourceGit.id, sg.iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toMatch(
      new RegExp(`^\\[Dist-git MR #${dg?.iid}\\]\\(.*/rpms/beer/-/merge_requests/${dg?.iid}\\)`),
    );
    expect(await forkBranchMessage(bot, `c10s-src-${sg.iid}`)).toContain(`From-source-git-commit: ${sg.sha}`);

    // The worker's own metrics endpoint counts the job; the server's counts the delivery.
    const started = bot.worker.lines.find((line) => line['msg'] === 'worker started');
    const workerMetrics = await (
      await fetch(`http://127.0.0.1:${String(started?.['metricsPort'])}/metrics`)
    ).text();
    expect(workerMetrics).toMatch(
      /^srcgit_worker_jobs_total\{kind="source-git-mr-opened",result="created"\} [1-9]/m,
    );
    expect(workerMetrics).toMatch(
      /^srcgit_worker_job_duration_seconds_count\{kind="source-git-mr-opened"\} [1-9]/m,
    );
    // The server serves metrics on its own listener (SRCGIT_METRICS_PORT), not on the public port.
    expect((await fetch(`${bot.serverUrl}/metrics`)).status).toBe(404);
    const listening = bot.server.lines.find((line) => line['msg'] === 'metrics listening');
    const serverMetrics = await (
      await fetch(`http://127.0.0.1:${String(listening?.['port'])}/metrics`)
    ).text();
    expect(serverMetrics).toMatch(
      /^srcgit_webhook_deliveries_total\{event="merge_request",outcome="queued"\} [1-9]/m,
    );
  });

  it(
    'scenario 2: a re-sent "open" is a 202 no-op; the same event with another key still makes one MR',
    SLOW,
    async () => {
      const sg = await bot.openMergeRequest({
        branch: 'scenario-2',
        files: { 'README.md': '# beer\n\nPrints two pints.\n' },
        title: 'Two pints',
      });
      await bot.idle();
      const open = bot.sim.deliveries({ event: 'Merge Request Hook' }).find(
        (delivery) =>
          (
            delivery.payload['object_attributes'] as {
              iid: number;
              action: string;
              target_project_id: number;
            }
          ).iid === sg.iid &&
          (delivery.payload['object_attributes'] as { action: string }).action === 'open' &&
          (delivery.payload['project'] as { id: number }).id === bot.world.projects.sourceGit.id,
      );
      expect(open).toBeDefined();
      const resent = bot.sim.redeliver(open?.id ?? 0);
      await bot.sim.settled();
      expect(resent.status).toBe(202);
      expect(JSON.parse(resent.responseBody ?? '{}')).toMatchObject({ status: 'duplicate' });

      // An old GitLab without Idempotency-Key support re-sending with a new key.
      const headers = {
        ...open?.headers,
        'Idempotency-Key': 'another-key',
        'X-Gitlab-Webhook-UUID': 'another-uuid',
      };
      const response = await fetch(bot.webhookUrl, { method: 'POST', headers, body: open?.body ?? '' });
      expect(response.status).toBe(202);
      await bot.idle();
      expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(1);
      expect(userNotes(bot, bot.world.projects.sourceGit.id, sg.iid)).toHaveLength(1);
    },
  );

  it(
    'scenario 3: "open" followed by a metadata-only "update" gives one MR and no dist-git comment',
    SLOW,
    async () => {
      const sg = await bot.openMergeRequest({
        branch: 'scenario-3',
        files: { 'beer.c': 'int main(void) { return 3; }\n' },
        title: 'Three',
      });
      await bot.sim.updateMergeRequest(bot.world.projects.sourceGit, sg.iid, bot.world.users.contributor, {
        labels: ['needs-review'],
      });
      await bot.idle();
      const [dg, ...others] = distGitMergeRequestsFor(bot, sg.iid);
      expect(others).toEqual([]);
      expect(userNotes(bot, bot.world.projects.distGit.id, dg?.iid ?? 0)).toEqual([]);
    },
  );

  it('scenario 4: a push to the MR updates the same dist-git MR with the new head', SLOW, async () => {
    const sg = await bot.openMergeRequest({
      branch: 'scenario-4',
      files: { 'beer.c': 'int main(void) { return 4; }\n' },
      title: 'Four',
    });
    await bot.idle();
    const [before] = distGitMergeRequestsFor(bot, sg.iid);
    const newHead = await bot.sim.commitFiles(bot.world.projects.contributorFork, {
      branch: 'scenario-4',
      files: { 'beer.c': 'int main(void) { return 44; }\n' },
      message: 'Four, again',
      user: bot.world.users.contributor,
    });
    await bot.idle();
    const after = distGitMergeRequestsFor(bot, sg.iid);
    expect(after.map((mr) => mr.iid)).toEqual([before?.iid]);
    expect(after[0]?.sha).not.toBe(before?.sha);
    expect(await forkBranchMessage(bot, `c10s-src-${sg.iid}`)).toContain(
      `From-source-git-commit: ${newHead}`,
    );
  });

  it(
    'scenario 5: a title edit updates the dist-git MR title, with no new MR and no comment',
    SLOW,
    async () => {
      const sg = await bot.openMergeRequest({
        branch: 'scenario-5',
        files: { 'beer.c': 'int main(void) { return 5; }\n' },
        title: 'Five',
      });
      await bot.idle();
      const [before] = distGitMergeRequestsFor(bot, sg.iid);
      await bot.sim.updateMergeRequest(bot.world.projects.sourceGit, sg.iid, bot.world.users.contributor, {
        title: 'Five, renamed',
      });
      await bot.idle();
      const after = distGitMergeRequestsFor(bot, sg.iid);
      expect(after.map((mr) => [mr.iid, mr.title])).toEqual([[before?.iid, 'Five, renamed']]);
      expect(userNotes(bot, bot.world.projects.distGit.id, before?.iid ?? 0)).toEqual([]);
      expect(userNotes(bot, bot.world.projects.sourceGit.id, sg.iid)).toHaveLength(1);
    },
  );

  it('scenario 6: a spec version bump keeps the same dist-git MR', SLOW, async () => {
    const sg = await bot.openMergeRequest({
      branch: 'scenario-6',
      files: { 'beer.c': 'int main(void) { return 6; }\n' },
      title: 'Six',
    });
    await bot.idle();
    const [before] = distGitMergeRequestsFor(bot, sg.iid);
    const specText = await (
      await fetch(
        `${bot.sim.apiUrl}/projects/${bot.world.projects.contributorFork.id}/repository/files/.distro%2Fbeer.spec/raw?ref=scenario-6`,
        { headers: { 'PRIVATE-TOKEN': bot.world.users.contributor.token } },
      )
    ).text();
    await bot.sim.commitFiles(bot.world.projects.contributorFork, {
      branch: 'scenario-6',
      files: { '.distro/beer.spec': specText.replace(/^Version:(\s+)1\.0$/m, 'Version:$11.1') },
      message: 'Bump to 1.1',
      user: bot.world.users.contributor,
    });
    await bot.idle();
    expect(distGitMergeRequestsFor(bot, sg.iid).map((mr) => mr.iid)).toEqual([before?.iid]);
    expect(specText).toMatch(/^Version:\s+1\.0$/m);
  });

  it('scenario 7: a missing dist-git branch is explained on the MR, nothing is created', SLOW, async () => {
    await bot.sim.createBranch(
      bot.world.projects.sourceGit,
      'c11s',
      bot.world.branch,
      bot.world.users.maintainer,
    );
    await bot.sim.createBranch(
      bot.world.projects.contributorFork,
      'c11s',
      bot.world.branch,
      bot.world.users.contributor,
    );
    const sg = await bot.openMergeRequest({
      branch: 'scenario-7',
      targetBranch: 'c11s',
      files: { 'beer.c': 'int main(void) { return 7; }\n' },
      title: 'Seven',
    });
    await bot.idle();
    expect(distGitMergeRequestsFor(bot, sg.iid, 'c11s')).toEqual([]);
    const notes = userNotes(bot, bot.world.projects.sourceGit.id, sg.iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('c11s');
    expect(notes[0]?.body).toContain('rpms/beer');
  });

  it('scenario 8: a missing .distro/source-git.yaml is explained on the MR, nothing else', SLOW, async () => {
    // The contributor deletes the configuration with git (a real clone and push over HTTP).
    const { contributorFork } = bot.world.projects;
    const clone = createTempDir('contributor');
    try {
      const git = (...args: string[]) => runGit(args, { cwd: clone.path });
      await git(
        'clone',
        '--quiet',
        '--branch',
        bot.world.branch,
        bot.sim.cloneUrl(contributorFork, bot.world.users.contributor),
        '.',
      );
      await git('checkout', '--quiet', '-b', 'scenario-8');
      await git('rm', '--quiet', '.distro/source-git.yaml');
      await git('commit', '--quiet', '-m', 'Drop the source-git configuration');
      await git('push', '--quiet', 'origin', 'scenario-8');
    } finally {
      await clone.remove();
    }
    const sg = await bot.sim.createMergeRequest({
      sourceProject: contributorFork,
      targetProject: bot.world.projects.sourceGit,
      sourceBranch: 'scenario-8',
      targetBranch: bot.world.branch,
      title: 'Eight',
      author: bot.world.users.contributor,
    });
    await bot.idle();
    expect(distGitMergeRequestsFor(bot, sg.iid)).toEqual([]);
    const notes = userNotes(bot, bot.world.projects.sourceGit.id, sg.iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('.distro/source-git.yaml');
  });

  it(
    'scenario 9: close closes the dist-git MR with one comment, reopen reopens it, merge only comments',
    SLOW,
    async () => {
      const { sourceGit, distGit } = bot.world.projects;
      const { contributor, maintainer } = bot.world.users;
      const sg = await bot.openMergeRequest({
        branch: 'scenario-9',
        files: { 'beer.c': 'int main(void) { return 9; }\n' },
        title: 'Nine',
      });
      await bot.idle();
      const [dg] = distGitMergeRequestsFor(bot, sg.iid);
      const dgIid = dg?.iid ?? 0;

      await bot.sim.updateMergeRequest(sourceGit, sg.iid, contributor, { stateEvent: 'close' });
      await bot.idle();
      expect(bot.sim.mergeRequest(distGit, dgIid).state).toBe('closed');
      const closedNotes = userNotes(bot, distGit.id, dgIid);
      expect(closedNotes).toHaveLength(1);
      expect(closedNotes[0]?.body).toContain('has been closed');

      await bot.sim.updateMergeRequest(sourceGit, sg.iid, contributor, { stateEvent: 'reopen' });
      await bot.idle();
      expect(bot.sim.mergeRequest(distGit, dgIid).state).toBe('opened');
      expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(1);

      const notesBeforeMerge = userNotes(bot, distGit.id, dgIid).length;
      await bot.sim.mergeMergeRequest(sourceGit, sg.iid, maintainer);
      await bot.idle();
      expect(bot.sim.mergeRequest(distGit, dgIid).state).toBe('opened');
      const notes = userNotes(bot, distGit.id, dgIid);
      expect(notes).toHaveLength(notesBeforeMerge + 1);
      expect(notes.at(-1)?.body).toContain('merged');
    },
  );

  it(
    'scenario 16: a wrong token or one for another namespace is a 401, a Job Hook a 202 "not interested"',
    SLOW,
    async () => {
      const [open] = bot.sim.deliveries({ event: 'Merge Request Hook' });
      const post = (headers: Record<string, string>, body = open?.body ?? '') =>
        fetch(bot.webhookUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Gitlab-Event': 'Merge Request Hook', ...headers },
          body,
        });
      expect((await post({ 'X-Gitlab-Token': 'wrong' })).status).toBe(401);
      const { SignJWT } = await import('jose');
      const foreign = await new SignJWT({ namespace: 'other' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('jwt-secret'));
      const jwtBot = await bot.startServer({ GITLAB_TOKEN_SECRET: 'jwt-secret', SRCGIT_PORT: '0' });
      try {
        const url = String(jwtBot.lines.find((line) => line['msg'] === 'listening')?.['url']);
        const response = await fetch(`${url}/api/webhooks/gitlab`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Gitlab-Event': 'Merge Request Hook',
            'X-Gitlab-Token': foreign,
          },
          body: open?.body ?? '',
        });
        expect(response.status).toBe(401);
        expect(await response.text()).toContain('namespace');
      } finally {
        await jwtBot.stop();
      }
      const job = await post(
        { 'X-Gitlab-Token': WEBHOOK_SECRET, 'X-Gitlab-Event': 'Job Hook' },
        '{"object_kind":"build"}',
      );
      expect(job.status).toBe(202);
      expect(await job.json()).toMatchObject({ status: 'not-interested' });
    },
  );
});

describe('the bot, end to end, with a slow fork import', () => {
  it('scenario 17: waits for the new dist-git fork to finish importing, then pushes', SLOW, async () => {
    const slow = await startBotHarness({
      redisUrl: privateRedisUrl(),
      systemEnv,
      simulator: { forkImportDelayMs: 'manual' },
    });
    try {
      const sg = await slow.openMergeRequest({
        branch: 'scenario-17',
        files: { 'beer.c': 'int main(void) { return 17; }\n' },
        title: 'Seventeen',
      });
      const forkPath = `${slow.world.users.bot.username}/beer`;
      const deadline = Date.now() + 60_000;
      while (projectOrNull(slow.sim, forkPath) === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(projectOrNull(slow.sim, forkPath)?.importStatus).not.toBe('finished');
      expect(distGitMergeRequestsFor(slow, sg.iid)).toEqual([]);
      await slow.sim.completeForkImports();
      await slow.idle();
      expect(projectOrNull(slow.sim, forkPath)?.importStatus).toBe('finished');
      expect(distGitMergeRequestsFor(slow, sg.iid)).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});

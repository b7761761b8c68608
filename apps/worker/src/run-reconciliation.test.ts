import { createGitLabForge, createRequestMeter } from '@srcgit/gitlab-adapter';
import { seedDemo, startGitLabSimulator } from '@srcgit/test-fixtures';
import type { DemoWorld, GitLabSimulator } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReconciliation } from './run-reconciliation';
import type { ReconcileRepair, ReconciliationDeps } from './run-reconciliation';

let sim: GitLabSimulator;
let world: DemoWorld;
const config = {
  mappings: [
    { sourceGitNamespace: 'src', distGitNamespace: 'rpms', branches: '.+', addRunPipelineHint: false },
  ],
  forkBranchTemplate: '{dgBranch}-src-{sgIid}',
};

beforeAll(async () => {
  sim = await startGitLabSimulator();
  world = await seedDemo(sim);
  for (const name of ['one', 'two', 'three']) {
    await sim.commitFiles(world.projects.contributorFork, {
      branch: name,
      files: { [`${name}.txt`]: `${name}\n` },
      user: world.users.contributor,
    });
  }
  // Three open MRs the bot never heard of (no webhooks in this world): no dist-git MR yet.
  await sim.importMergeRequests(
    world.users.contributor,
    ['one', 'two', 'three'].map((name) => ({
      sourceProject: world.projects.contributorFork,
      targetProject: world.projects.sourceGit,
      sourceBranch: name,
      targetBranch: world.branch,
      title: `Change ${name}`,
    })),
  );
}, 120_000);
afterAll(async () => {
  await sim.close();
});

function deps(queued: ReconcileRepair[]): ReconciliationDeps {
  const meter = createRequestMeter();
  return {
    forge: createGitLabForge({ url: sim.url, token: world.users.bot.token, responseObserver: meter }),
    meter,
    config,
    queueRepair: (repair) => {
      queued.push(repair);
      return Promise.resolve('queued');
    },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    now: Date.now,
  };
}

const roomy = { maxRequests: 1_000, rateLimitReserve: 0 };

describe('runReconciliation against the GitLab simulator', () => {
  it('queues an "opened" repair per MR without a dist-git MR, with one job id per drift and state', async () => {
    const queued: ReconcileRepair[] = [];
    const report = await runReconciliation(deps(queued), { budget: roomy, dryRun: false });
    expect(report).toMatchObject({
      sourceGitMrs: 3,
      distGitMrs: 0,
      pairsChecked: 3,
      drift: { 'missing-dist-git-mr': 3, head: 0, metadata: 0 },
      repairs: { queued: 3 },
      budgetExhausted: null,
      dryRun: false,
    });
    expect(queued.map((repair) => repair.event.kind)).toEqual([
      'source-git-mr-opened',
      'source-git-mr-opened',
      'source-git-mr-opened',
    ]);
    expect(queued[0]?.event.mergeRequest).toMatchObject({
      project: { id: world.projects.sourceGit.id, path: 'src/beer' },
      sourceProject: { id: world.projects.contributorFork.id, path: 'contributor/beer' },
    });
    const again: ReconcileRepair[] = [];
    await runReconciliation(deps(again), { budget: roomy, dryRun: false });
    expect(again.map((repair) => repair.jobId)).toEqual(queued.map((repair) => repair.jobId));
    // Listing both namespaces (1 page each), the user, a fork-branch lookup per MR, two project reads.
    expect(report.requests).toBe(1 + 2 + 3 + 2);
  });

  it('only reports in a dry run', async () => {
    const queued: ReconcileRepair[] = [];
    const report = await runReconciliation(deps(queued), { budget: roomy, dryRun: true });
    expect(report.drift['missing-dist-git-mr']).toBe(3);
    expect(report.repairs).toEqual({ queued: 0, duplicate: 0, coalesced: 0 });
    expect(queued).toEqual([]);
  });

  it('stops at its request budget and says why', async () => {
    const queued: ReconcileRepair[] = [];
    const report = await runReconciliation(deps(queued), {
      budget: { maxRequests: 4, rateLimitReserve: 0 },
      dryRun: false,
    });
    expect(report.budgetExhausted).toEqual({ reason: 'max-requests', detail: 'the run used its 4 requests' });
    expect(report.requests).toBe(4);
    expect(report.pairsChecked).toBeLessThan(3);
  });

  it('stops while GitLab’s RateLimit-Remaining is down to the reserve', async () => {
    const queued: ReconcileRepair[] = [];
    const report = await runReconciliation(deps(queued), {
      budget: { maxRequests: 1_000, rateLimitReserve: 1_000_000 },
      dryRun: false,
    });
    expect(report.budgetExhausted?.reason).toBe('rate-limit');
    expect(report.budgetExhausted?.detail).toMatch(
      /^GitLab allows \d+ more requests until .*; 1000000 are kept for webhook jobs$/,
    );
    expect(report.requests).toBe(1);
    expect(queued).toEqual([]);
  });
});

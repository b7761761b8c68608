/**
 * `pnpm bench`, the reconciliation's cost: run by bench/reconcile.ts as
 * `node --import tsx apps/worker/bench/reconcile-cost.ts <repository root> [pairs]` (it lives in
 * the worker's package, whose run it measures). Figures, not pass/fail.
 *
 * The GitLab simulator is seeded with 1 000 open source-git MRs (`src/beer`, from the
 * contributor's fork) and their 1 000 open, in-sync dist-git MRs (`rpms/beer`, from the bot's
 * fork): each dist-git head carries the `From-source-git-commit` trailer of its source-git MR's
 * head, each title and description is the bot's rendering. The commits are written with one
 * `git fast-import` per repository. Then `runReconciliation` — the worker's run, over HTTP — is
 * called a few times: "cold" with an empty trailer cache (a worker's first run), "warm" with the
 * cache the previous run left (every later run of a long-lived worker). Each run gets a fresh
 * rate-limit window of the simulator (its clock jumps a minute), as runs minutes apart would.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  appendMarker,
  renderDistGitMrDescription,
  renderDistGitMrTitle,
  sourceGitMrMarker,
} from '@srcgit/core';
import { createGitLabForge, createRequestMeter } from '@srcgit/gitlab-adapter';
import { runGit, seedDemo, startGitLabSimulator } from '@srcgit/test-fixtures';
import type { DemoWorld, GitLabSimulator } from '@srcgit/test-fixtures';
import { runReconciliation } from '../src/run-reconciliation';
import type { ReconciliationReport } from '../src/run-reconciliation';

interface ReconcileBenchOptions {
  /** The repository root. */
  readonly root: string;
  /** Pairs to seed (default 1 000). */
  readonly pairs?: number;
}

const PAIRS = 1000;
const RUNS = 3;
const IDENTITY = 'Bench <bench@example.org> 1700000000 +0000';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** One commit per branch on top of `parent`, written by `git fast-import`; returns their shas in order. */
async function fastImport(
  repositoryPath: string,
  parent: string,
  commits: readonly { branch: string; message: string; path: string; content: string }[],
): Promise<string[]> {
  const chunks: string[] = [];
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (const [index, commit] of commits.entries()) {
    chunks.push(
      `commit refs/heads/${commit.branch}\nmark :${index + 1}\ncommitter ${IDENTITY}\n${data(commit.message)}from ${parent}\n`,
      `M 100644 inline ${commit.path}\n${data(commit.content)}\n`,
    );
  }
  chunks.push(...commits.map((_, index) => `get-mark :${index + 1}\n`));
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet', '--cat-blob-fd=1'], {
      cwd: repositoryPath,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`bench: git fast-import failed:\n${errors}`)),
    );
    child.stdin.end(chunks.join(''));
  });
  return output.trim().split('\n');
}

/** Seeds {@link PAIRS} open source-git MRs and their in-sync dist-git MRs. */
async function seedPairs(sim: GitLabSimulator, world: DemoWorld, pairs: number): Promise<void> {
  const { contributor, bot } = world.users;
  const { sourceGit, distGit, contributorFork } = world.projects;
  const botFork = await sim.forkProject(distGit, bot);
  const forkPath = sim.repositoryPath(contributorFork);
  const sgBase = (await runGit(['rev-parse', `refs/heads/${world.branch}`], { cwd: forkPath })).trim();
  const sgHeads = await fastImport(
    forkPath,
    sgBase,
    Array.from({ length: pairs }, (_, index) => ({
      branch: `bench-${index + 1}`,
      message: `Bench change ${index + 1}\n`,
      path: `bench/${index + 1}.txt`,
      content: `${index + 1}\n`,
    })),
  );
  const sourceGitMrs = await sim.importMergeRequests(
    contributor,
    sgHeads.map((_, index) => ({
      sourceProject: contributorFork,
      targetProject: sourceGit,
      sourceBranch: `bench-${index + 1}`,
      targetBranch: world.branch,
      title: `Bench change ${index + 1}`,
      description: `Change number ${index + 1}.`,
    })),
  );
  const botForkPath = sim.repositoryPath(botFork);
  const dgBase = (await runGit(['rev-parse', `refs/heads/${world.branch}`], { cwd: botForkPath })).trim();
  await fastImport(
    botForkPath,
    dgBase,
    sourceGitMrs.map((mr, index) => ({
      branch: `${world.branch}-src-${mr.iid}`,
      message: `Bench change ${index + 1}\n\nFrom-source-git-commit: ${sgHeads[index]}\n`,
      path: `bench-${index + 1}.patch`,
      content: `patch ${index + 1}\n`,
    })),
  );
  await sim.importMergeRequests(
    bot,
    sourceGitMrs.map((mr) => {
      const texts = {
        title: mr.title,
        description: mr.description,
        sourceGitMrUrl: `${sourceGit.webUrl}/-/merge_requests/${mr.iid}`,
        addRunPipelineHint: false,
      };
      return {
        sourceProject: botFork,
        targetProject: distGit,
        sourceBranch: `${world.branch}-src-${mr.iid}`,
        targetBranch: world.branch,
        title: renderDistGitMrTitle(texts),
        description: appendMarker(renderDistGitMrDescription(texts), sourceGitMrMarker(sourceGit.id, mr.iid)),
      };
    }),
  );
}

/** The reconciliation of {@link PAIRS} in-sync pairs: requests and wall time, cold and warm. */
async function benchReconcile(options: ReconcileBenchOptions): Promise<void> {
  const pairs = options.pairs ?? PAIRS;
  let clockOffsetMs = 0;
  const sim = await startGitLabSimulator({ now: () => new Date(Date.now() + clockOffsetMs) });
  try {
    const world = await seedDemo(sim);
    const seeding = performance.now();
    await seedPairs(sim, world, pairs);
    const seededSeconds = (performance.now() - seeding) / 1000;
    const config = {
      mappings: [
        { sourceGitNamespace: 'src', distGitNamespace: 'rpms', branches: '.+', addRunPipelineHint: false },
      ],
      forkBranchTemplate: '{dgBranch}-src-{sgIid}',
    };
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const measureRun = async (trailerCache: Map<string, string | null>) => {
      clockOffsetMs += 60_000; // a fresh rate-limit window, as for runs minutes apart
      const meter = createRequestMeter();
      const forge = createGitLabForge({
        url: sim.url,
        token: world.users.bot.token,
        responseObserver: meter,
      });
      const started = performance.now();
      const report: ReconciliationReport = await runReconciliation(
        {
          forge,
          meter,
          config,
          queueRepair: () =>
            Promise.reject(new Error('bench: the seeded pairs are in sync; nothing to queue')),
          logger: silent,
          now: () => Date.now() + clockOffsetMs,
          trailerCache,
        },
        { budget: { maxRequests: 1_000_000, rateLimitReserve: 0 }, dryRun: false },
      );
      const seconds = (performance.now() - started) / 1000;
      const drifted = Object.values(report.drift).reduce((sum, count) => sum + count, 0);
      if (report.pairsChecked !== pairs || drifted !== 0 || report.budgetExhausted !== null) {
        throw new Error(
          `bench: the reconciliation of the seeded pairs went wrong: ${JSON.stringify(report)}`,
        );
      }
      return { seconds, requests: report.requests };
    };
    const cold: { seconds: number; requests: number }[] = [];
    const warm: { seconds: number; requests: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const cache = new Map<string, string | null>();
      cold.push(await measureRun(cache));
      warm.push(await measureRun(cache));
    }
    const result = {
      pairs,
      runs: RUNS,
      seededSeconds,
      cold: { seconds: median(cold.map((m) => m.seconds)), requests: median(cold.map((m) => m.requests)) },
      warm: { seconds: median(warm.map((m) => m.seconds)), requests: median(warm.map((m) => m.requests)) },
    };
    const load = loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
    const lines = [
      '',
      `reconciliation of ${pairs} open in-sync MR pairs against the GitLab simulator (median of ${RUNS} runs; ${cpus().length} CPUs, load average ${load})`,
      `  cold (empty trailer cache, a worker's first run): ${result.cold.requests} GitLab requests, ${result.cold.seconds.toFixed(2)} s`,
      `  warm (trailers cached by the previous run):        ${result.warm.requests} GitLab requests, ${result.warm.seconds.toFixed(2)} s`,
      `  (seeding the ${pairs} pairs took ${seededSeconds.toFixed(1)} s)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await writeFile(
      join(options.root, '.bench', 'reconcile.json'),
      JSON.stringify({ loadAverage: loadavg(), ...result }, null, 2),
    );
  } finally {
    await sim.close();
  }
}

const [root, pairs] = process.argv.slice(2);
if (root === undefined) throw new Error('usage: reconcile-cost.ts <repository root> [pairs]');
await benchReconcile({ root, ...(pairs === undefined ? {} : { pairs: Number(pairs) }) });

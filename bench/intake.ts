/**
 * `pnpm bench`, the bot's side (registered in bench/run.ts). Figures, not pass/fail.
 *
 * 1. Webhook intake: autocannon (as a library, loopback only, bounded in time) POSTs distinct
 *    Merge Request Hook deliveries to the built webhook server backed by a private Redis; reports
 *    deliveries/s and latency percentiles, and counts the queue afterwards (every 202 "queued"
 *    must be a job, counted by the server's queue-depth gauge). Target: ≥ 3 000 deliveries/s sustained with p99 < 50 ms on 2 cores.
 * 2. Time from the "MR opened" delivery to the dist-git MR existing, with the real webhook server
 *    and worker against the GitLab simulator: the small demo package (beer) and the glibc-like
 *    package (~20k files, 3 000 upstream commits, 127 patches), cold (first MR: fork, empty
 *    repository cache) and warm (next MR).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  createTempDir,
  freePort,
  runGit,
  seedDemo,
  startGitLabSimulator,
  startRedisServer,
  type DemoWorld,
  type GitLabSimulator,
  type SimulatorProject,
} from '../test-fixtures/src/index';

export interface IntakeBenchOptions {
  /** The repository root. */
  readonly root: string;
  /** The glibc-shaped package of bench/package-bench.ts: its source-git (`main` and tags) and up-to-date dist-git. */
  readonly repos: GlibcRepositories;
}

/** Where the glibc-shaped package's repositories are. */
export interface GlibcRepositories {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
}

const SECRET = 'bench-secret';
/** `/metrics` on the server's public port needs it (docs/bot-behaviour.md §8.2). */
const METRICS_TOKEN = 'bench-metrics-token';
const INTAKE_SECONDS = 10;
const CONNECTIONS = 32;

function startApp(
  root: string,
  app: 'webhook-server' | 'worker',
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = app === 'webhook-server' ? '"msg":"listening"' : '"msg":"worker started"';
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes(ready)) resolve(child);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`bench: ${app} exited with ${code}:\n${output}`)));
  });
}

/** User + system CPU seconds of a process so far (Linux `/proc`), robust on a busy machine. */
async function processCpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Part 1: deliveries per second and latency of `POST /api/webhooks/gitlab`. */
async function benchIntakeThroughput(root: string): Promise<Record<string, number>> {
  const redis = await startRedisServer();
  const work = createTempDir('bench-intake');
  const port = await freePort();
  const queueName = 'bench-intake';
  const server = await startApp(root, 'webhook-server', {
    GITLAB_URL: 'https://gitlab.com',
    GITLAB_TOKEN: 'unused-by-the-server',
    WEBHOOK_SECRET: SECRET,
    REDIS_URL: redis.url,
    SRCGIT_HOST: '127.0.0.1',
    SRCGIT_PORT: String(port),
    SRCGIT_SOURCE_GIT_NAMESPACE: 'packit-service/src',
    SRCGIT_DIST_GIT_NAMESPACE: 'packit-service/rpms',
    SRCGIT_GIT_AUTHOR_EMAIL: 'bot@example.org',
    SRCGIT_WORK_DIR: work.path,
    SRCGIT_QUEUE_NAME: queueName,
    METRICS_TOKEN,
  });
  try {
    const recorded = JSON.parse(
      await readFile(join(root, 'test-fixtures/recorded/gitlab-webhooks/hardly__mr_event.json'), 'utf8'),
    ) as { object_attributes: Record<string, unknown> };
    recorded.object_attributes['action'] = 'update';
    // The iid and the MR's URL must agree (the server refuses a self-contradicting payload).
    recorded.object_attributes['iid'] = 987_654_321;
    recorded.object_attributes['url'] = String(recorded.object_attributes['url']).replace(
      /\/merge_requests\/\d+$/,
      '/merge_requests/987654321',
    );
    const template = JSON.stringify(recorded);
    let sequence = 0;
    const run = (seconds: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}/api/webhooks/gitlab`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              sequence += 1;
              return {
                ...request,
                headers: {
                  'content-type': 'application/json',
                  'x-gitlab-event': 'Merge Request Hook',
                  'x-gitlab-token': SECRET,
                  'idempotency-key': `bench-${sequence}`,
                },
                // One MR per delivery, so that no two deliveries collapse into one job.
                body: template.replaceAll('987654321', String(sequence)),
              };
            },
          },
        ],
      });
    await run(2); // warm-up (JIT, connections); its deliveries are counted in the queue too
    const cpuBefore = await processCpuSeconds(server.pid);
    const sentBefore = sequence;
    const result = await run(INTAKE_SECONDS);
    const serverCpuMsPerDelivery =
      (((await processCpuSeconds(server.pid)) - cpuBefore) * 1000) / (sequence - sentBefore);
    // Counted in Redis by the server's queue-depth gauge.
    const metrics = await (
      await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    const accepted = [
      ...metrics.matchAll(/^srcgit_queue_jobs\{state="(?:waiting|prioritized|delayed)"\} (\d+)$/gm),
    ]
      .map((match) => Number(match[1]))
      .reduce((sum, count) => sum + count, 0);
    return {
      deliveriesPerSecond: result.requests.average,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      latencyMaxMs: result.latency.max,
      responses2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      sent: sequence,
      jobsQueued: accepted,
      serverCpuMsPerDelivery,
    };
  } finally {
    await stop(server);
    await redis.stop();
    await work.remove();
  }
}

/** Imports a local repository's `main` and tags into an (empty) simulator project over git HTTP. */
async function importRepository(
  sim: GitLabSimulator,
  dir: string,
  project: SimulatorProject,
  world: DemoWorld,
) {
  const url = sim.cloneUrl(project, world.users.maintainer);
  await runGit(['push', '--quiet', url, 'main:refs/heads/main', '--tags'], { cwd: dir });
}

/** Part 2: from the "MR opened" delivery to the dist-git MR existing. */
async function benchMergeRequestToDistGit(
  root: string,
  repos: GlibcRepositories,
): Promise<Record<string, number>> {
  const redis = await startRedisServer();
  const work = createTempDir('bench-e2e');
  const port = await freePort();
  const sim = await startGitLabSimulator({ forkImportDelayMs: 100 });
  const children: ChildProcess[] = [];
  try {
    const world = await seedDemo(sim, {
      webhookUrl: `http://127.0.0.1:${port}/api/webhooks/gitlab`,
      webhookToken: SECRET,
    });
    const glibcSourceGit = await sim.createProject({
      namespace: 'src',
      path: 'glibc',
      defaultBranch: 'main',
      creator: world.users.maintainer,
    });
    const glibcDistGit = await sim.createProject({
      namespace: 'rpms',
      path: 'glibc',
      defaultBranch: 'main',
      creator: world.users.maintainer,
    });
    await importRepository(sim, repos.sourceGitDir, glibcSourceGit, world);
    await importRepository(sim, repos.distGitDir, glibcDistGit, world);
    const glibcFork = await sim.forkProject(glibcSourceGit, world.users.contributor);
    const env = {
      GITLAB_URL: sim.url,
      GITLAB_TOKEN: world.users.bot.token,
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: redis.url,
      SRCGIT_HOST: '127.0.0.1',
      SRCGIT_PORT: String(port),
      SRCGIT_SOURCE_GIT_NAMESPACE: 'src',
      SRCGIT_DIST_GIT_NAMESPACE: 'rpms',
      SRCGIT_GIT_AUTHOR_EMAIL: world.users.bot.email,
      SRCGIT_WORK_DIR: work.path,
      SRCGIT_METRICS_PORT: '0',
      SRCGIT_FORK_POLL_INTERVAL_MS: '50',
      SRCGIT_JOB_TIMEOUT_MS: '900000',
    };
    children.push(await startApp(root, 'webhook-server', env), await startApp(root, 'worker', env));

    const timeToDistGitMr = async (
      fork: SimulatorProject,
      target: SimulatorProject,
      distGit: SimulatorProject,
      branch: string,
      targetBranch: string,
    ) => {
      await sim.commitFiles(fork, {
        branch,
        startBranch: targetBranch,
        files: { [`bench/${branch}.txt`]: `${branch}\n` },
        message: `Bench change ${branch}`,
        user: world.users.contributor,
      });
      const before = sim.mergeRequests({ project: distGit }).length;
      const started = performance.now();
      await sim.createMergeRequest({
        sourceProject: fork,
        targetProject: target,
        sourceBranch: branch,
        targetBranch,
        title: `Bench ${branch}`,
        author: world.users.contributor,
      });
      const deadline = Date.now() + 900_000;
      while (sim.mergeRequests({ project: distGit }).length === before) {
        if (Date.now() > deadline) throw new Error(`bench: no dist-git MR for ${branch}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return (performance.now() - started) / 1000;
    };
    const { contributorFork, sourceGit, distGit } = world.projects;
    return {
      smallColdSeconds: await timeToDistGitMr(contributorFork, sourceGit, distGit, 'small-1', world.branch),
      smallWarmSeconds: await timeToDistGitMr(contributorFork, sourceGit, distGit, 'small-2', world.branch),
      glibcColdSeconds: await timeToDistGitMr(glibcFork, glibcSourceGit, glibcDistGit, 'glibc-1', 'main'),
      glibcWarmSeconds: await timeToDistGitMr(glibcFork, glibcSourceGit, glibcDistGit, 'glibc-2', 'main'),
    };
  } finally {
    for (const child of children) await stop(child);
    await sim.close();
    await redis.stop();
    await work.remove();
  }
}

/** Runs both parts and prints the figures (also written to `.bench/intake.json`). */
export async function benchIntake(options: IntakeBenchOptions): Promise<void> {
  const intake = await benchIntakeThroughput(options.root);
  const e2e = await benchMergeRequestToDistGit(options.root, options.repos);
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  const lines = [
    '',
    `webhook intake (${INTAKE_SECONDS} s, ${CONNECTIONS} connections, loopback; ${cpus().length} CPUs, load average ${load})`,
    `  deliveries/s ${intake.deliveriesPerSecond?.toFixed(0)}   latency p50 ${intake.latencyP50Ms} ms, p99 ${intake.latencyP99Ms} ms, max ${intake.latencyMaxMs} ms`,
    `  server CPU ${intake.serverCpuMsPerDelivery?.toFixed(3)} ms per delivery (one core: ~${(1000 / (intake.serverCpuMsPerDelivery ?? Number.NaN)).toFixed(0)} deliveries/s)`,
    `  sent ${intake.sent}, 2xx ${intake.responses2xx}, non-2xx ${intake.non2xx}, errors ${intake.errors}, timeouts ${intake.timeouts}; jobs in the queue afterwards ${intake.jobsQueued}`,
    '  targets: ≥ 3 000 deliveries/s sustained, p99 < 50 ms, every accepted delivery queued',
    '',
    'from the "MR opened" delivery to the dist-git MR (webhook server + worker + GitLab simulator)',
    `  small package (beer):  cold ${e2e.smallColdSeconds?.toFixed(2)} s, warm ${e2e.smallWarmSeconds?.toFixed(2)} s`,
    `  glibc-shaped package:  cold ${e2e.glibcColdSeconds?.toFixed(2)} s, warm ${e2e.glibcWarmSeconds?.toFixed(2)} s`,
    '  cold = first MR of the package (bot fork created, repository cache empty); warm = the next MR',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await writeFile(
    join(options.root, '.bench', 'intake.json'),
    JSON.stringify({ loadAverage: loadavg(), intake, mergeRequestToDistGit: e2e }, null, 2),
  );
}

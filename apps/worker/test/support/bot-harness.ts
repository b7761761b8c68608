/**
 * The bot for end-to-end tests: the GitLab simulator with the demo world, a Redis, and the real
 * webhook server and worker processes (the built binaries), configured through their environment.
 */
import { randomUUID } from 'node:crypto';
import { createTempDir, freePort, seedDemo, startGitLabSimulator } from '@srcgit/test-fixtures';
import type {
  DemoWorld,
  GitLabSimulator,
  GitLabSimulatorOptions,
  SimMergeRequest,
  Tree,
} from '@srcgit/test-fixtures';
import { Queue } from 'bullmq';
import { startBotProcess } from './bot-process';
import type { BotProcess } from './bot-process';

export const WEBHOOK_SECRET = 'e2e-webhook-secret';

export interface BotHarness {
  readonly sim: GitLabSimulator;
  readonly world: DemoWorld;
  readonly serverUrl: string;
  readonly webhookUrl: string;
  readonly queue: Queue;
  readonly env: Record<string, string>;
  server: BotProcess;
  worker: BotProcess;
  /** Starts a (new) worker process, waiting until it consumes. */
  startWorker(extraEnv?: Record<string, string>): Promise<BotProcess>;
  /** Starts a (new) webhook server process, waiting until it listens. */
  startServer(extraEnv?: Record<string, string>): Promise<BotProcess>;
  /** Resolves when GitLab has delivered everything and the queue has no job left to run. */
  idle(timeoutMs?: number): Promise<void>;
  /** The contributor pushes `files` to a new branch of their fork and opens an MR into `src/beer`. */
  openMergeRequest(options: {
    branch: string;
    files: Tree;
    title: string;
    description?: string;
    targetBranch?: string;
  }): Promise<SimMergeRequest>;
  /** Warnings and errors the current server and worker logged (for failure messages). */
  problems(): Record<string, unknown>[];
  close(): Promise<void>;
}

export interface BotHarnessOptions {
  readonly redisUrl: string;
  /** What the processes inherit from the test's environment (PATH, HOME: git needs them). */
  readonly systemEnv: Record<string, string>;
  readonly simulator?: GitLabSimulatorOptions;
  readonly env?: Record<string, string>;
}

export async function startBotHarness(options: BotHarnessOptions): Promise<BotHarness> {
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const webhookUrl = `${serverUrl}/api/webhooks/gitlab`;
  const sim = await startGitLabSimulator({ forkImportDelayMs: 100, ...options.simulator });
  const world = await seedDemo(sim, { webhookUrl, webhookToken: WEBHOOK_SECRET });
  const work = createTempDir('bot');
  const queueName = `e2e-${randomUUID()}`;
  const env: Record<string, string> = {
    ...options.systemEnv,
    GITLAB_URL: sim.url,
    GITLAB_TOKEN: world.users.bot.token,
    SRCGIT_BOT_USERNAME: world.users.bot.username,
    WEBHOOK_SECRET,
    REDIS_URL: options.redisUrl,
    SRCGIT_HOST: '127.0.0.1',
    SRCGIT_PORT: String(port),
    SRCGIT_SOURCE_GIT_NAMESPACE: 'src',
    SRCGIT_DIST_GIT_NAMESPACE: 'rpms',
    SRCGIT_GIT_AUTHOR_NAME: 'srcgit bot',
    SRCGIT_GIT_AUTHOR_EMAIL: 'srcgit-bot@example.com',
    SRCGIT_WORK_DIR: work.path,
    SRCGIT_QUEUE_NAME: queueName,
    SRCGIT_CONCURRENCY: '4',
    SRCGIT_RETRY_ATTEMPTS: '5',
    SRCGIT_RETRY_BASE_DELAY_MS: '100',
    SRCGIT_RETRY_MAX_DELAY_MS: '1000',
    SRCGIT_METRICS_PORT: '0',
    SRCGIT_METRICS_HOST: '127.0.0.1',
    SRCGIT_FORK_POLL_INTERVAL_MS: '50',
    SRCGIT_WORKER_LOCK_DURATION_MS: '3000',
    SRCGIT_WORKER_STALLED_INTERVAL_MS: '1000',
    SRCGIT_SHUTDOWN_TIMEOUT_MS: '5000',
    SRCGIT_SPOOL_DRAIN_INTERVAL_MS: '100',
    SRCGIT_REDIS_TIMEOUT_MS: '1000',
    ...options.env,
  };
  const queue = new Queue(queueName, { connection: { url: options.redisUrl } });
  queue.on('error', () => {});

  async function startServer(extraEnv: Record<string, string> = {}): Promise<BotProcess> {
    const process = startBotProcess('webhook-server', { ...env, ...extraEnv });
    await process.waitForLine((line) => line['msg'] === 'listening');
    return process;
  }
  async function startWorker(extraEnv: Record<string, string> = {}): Promise<BotProcess> {
    const process = startBotProcess('worker', { ...env, ...extraEnv });
    await process.waitForLine((line) => line['msg'] === 'worker started');
    return process;
  }

  const [server, worker] = await Promise.all([startServer(), startWorker()]);
  const harness: BotHarness = {
    sim,
    world,
    serverUrl,
    webhookUrl,
    queue,
    env,
    server,
    worker,
    startWorker,
    startServer,
    async idle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let quietRounds = 0;
      while (quietRounds < 2) {
        if (Date.now() > deadline) throw new Error(`the bot did not become idle within ${timeoutMs} ms`);
        await sim.settled();
        const before = sim.deliveries().length;
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const busy = Object.values(counts).some((count) => count > 0);
        await new Promise((resolve) => setTimeout(resolve, busy ? 200 : 100));
        await sim.settled();
        quietRounds = !busy && sim.deliveries().length === before ? quietRounds + 1 : 0;
      }
    },
    async openMergeRequest(input) {
      const { contributor } = world.users;
      await sim.commitFiles(world.projects.contributorFork, {
        branch: input.branch,
        startBranch: input.targetBranch ?? world.branch,
        files: input.files,
        message: input.title,
        user: contributor,
      });
      return sim.createMergeRequest({
        sourceProject: world.projects.contributorFork,
        targetProject: world.projects.sourceGit,
        sourceBranch: input.branch,
        targetBranch: input.targetBranch ?? world.branch,
        title: input.title,
        description: input.description ?? '',
        author: contributor,
      });
    },
    problems() {
      return [harness.server, harness.worker].flatMap((process) =>
        process.lines.filter((line) => line['level'] === 'warn' || line['level'] === 'error'),
      );
    },
    async close() {
      await Promise.all([harness.server.stop('SIGKILL'), harness.worker.stop('SIGKILL')]);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await sim.close();
      await work.remove();
    },
  };
  return harness;
}

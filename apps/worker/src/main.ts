/**
 * The worker process: reads the configuration, builds the object graph once, consumes the queue
 * and serves its metrics. SIGTERM/SIGINT: stop taking jobs, let running ones finish for
 * `SRCGIT_SHUTDOWN_TIMEOUT_MS`, then hand the rest back to the queue and exit.
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CoreError, createGitWorkspace } from '@srcgit/core';
import { createJsonLogger, createStalenessBoard, stalenessDetails } from '@srcgit/core/internal';
import type { EventWorkflowDeps } from '@srcgit/core';
import { createGitLabForge, createRequestMeter } from '@srcgit/gitlab-adapter';
import { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createEventWorker } from './create-event-worker';
import { createIsolatedConverter } from './create-isolated-converter';
import { createJobProcessor } from './create-job-processor';
import { createRedisPairingCache } from './create-redis-pairing-cache';
import { readWorkerEnv } from './env';
import { createReconcileMetrics } from './reconcile-metrics';
import { runReconciliation } from './run-reconciliation';
import { startReconciliation } from './start-reconciliation';
import { registerStalenessGauges } from './register-staleness-gauges';
import type { WorkerEnv } from './env';
import { startMetricsServer } from './start-metrics-server';
import { createWorkerMetrics } from './worker-metrics';
import { conversionTimeoutMs } from './worker-settings';

let env: WorkerEnv;
try {
  env = readWorkerEnv(process.env);
} catch (error) {
  if (error instanceof CoreError && error.code === 'CONFIG_INVALID') {
    process.stderr.write(`srcgit worker: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
const { config, settings } = env;
const logger = createJsonLogger(process.stdout, { app: 'worker' }, config.logLevel);

const forge = createGitLabForge({
  url: config.gitlab.url,
  token: config.gitlab.token,
  logger,
  forkPollIntervalMs: settings.forkPollIntervalMs,
});
let bot: Awaited<ReturnType<typeof forge.getCurrentUser>>;
try {
  bot = await forge.getCurrentUser();
} catch (error) {
  process.stderr.write(
    `srcgit worker: cannot authenticate at ${config.gitlab.url} with GITLAB_TOKEN (${error instanceof Error ? error.message : String(error)}): check GITLAB_URL and that the token is valid and has the api scope\n`,
  );
  process.exit(3);
}
if (config.gitlab.botUsername !== undefined && config.gitlab.botUsername !== bot.username) {
  process.stderr.write(
    `srcgit worker: GITLAB_TOKEN belongs to "${bot.username}", but SRCGIT_BOT_USERNAME says "${config.gitlab.botUsername}": use the bot's token or fix the username\n`,
  );
  process.exit(2);
}

// BullMQ's blocking connection must retry forever; the cache gets its own fail-fast client.
const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
connection.on('error', (error: Error) => logger.warn('Redis connection error', { error }));
const cacheRedis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
cacheRedis.on('error', () => {
  // Logged by the queue connection; the cache only degrades to GitLab lookups.
});

const workflowDeps: EventWorkflowDeps = {
  forge,
  workspace: createGitWorkspace({
    workDir: config.workDir,
    ...(config.cacheDir === undefined ? {} : { cacheDir: config.cacheDir }),
  }),
  // Each conversion in a child process killed at its limits: a hostile MR never stops the worker.
  converter: createIsolatedConverter({
    childEntry: fileURLToPath(new URL('./conversion-child.js', import.meta.url)),
    env: process.env,
    identity: { name: config.git.authorName, email: config.git.authorEmail },
    maxRssMb: settings.conversionMaxRssMb,
    timeoutMs: conversionTimeoutMs(settings, config.jobTimeoutMs),
    logger,
  }),
  config,
  clock: () => new Date(),
  logger,
  pairingCache: createRedisPairingCache(cacheRedis, `srcgit:${settings.queueName}:pairing:`, 30 * 86_400),
};

// When jobs last started and last succeeded, fleet-wide: merged into one Redis hash every second.
const staleness = createStalenessBoard({ redis: cacheRedis, key: `srcgit:${settings.queueName}:staleness` });
staleness.start();

const registry = new Registry();
collectDefaultMetrics({ register: registry });
registerStalenessGauges(registry, () => staleness.read());
const handBack = new AbortController();
const worker = createEventWorker({
  queueName: settings.queueName,
  connection,
  processor: createJobProcessor({
    workflowDeps,
    logger,
    metrics: createWorkerMetrics(registry),
    staleness,
    jobTimeoutMs: config.jobTimeoutMs,
    handBack: handBack.signal,
  }),
  concurrency: config.concurrency,
  lockDurationMs: settings.lockDurationMs,
  stalledIntervalMs: settings.stalledIntervalMs,
  maxStalledCount: settings.maxStalledCount,
  retry: config.retry,
});
worker.on('error', (error) => logger.error('worker error', { error }));
const metricsServer = await startMetricsServer({
  registry,
  port: settings.metricsPort,
  host: settings.metricsHost,
  healthy: () => worker.isRunning(),
  async readiness() {
    const report = await staleness.read();
    return {
      ready: worker.isRunning(),
      redis: report.source === 'redis' ? 'up' : 'down',
      staleness: stalenessDetails(report),
    };
  },
  metricsToken: config.metrics.token,
});
await worker.waitUntilReady();

// The periodic reconciliation, on a forge of its own so that its requests can be counted.
const reconcileMeter = createRequestMeter();
const reconcileForge = createGitLabForge({
  url: config.gitlab.url,
  token: config.gitlab.token,
  logger,
  responseObserver: reconcileMeter,
});
const trailerCache = new Map<string, string | null>();
const reconciliation = await startReconciliation({
  queueName: settings.queueName,
  connection,
  settings: settings.reconcile,
  metrics: createReconcileMetrics(registry),
  logger,
  instance: config.gitlab.url,
  instanceId: `${hostname()}-${process.pid}`,
  retry: config.retry,
  run: (queueRepair) =>
    runReconciliation(
      {
        forge: reconcileForge,
        meter: reconcileMeter,
        config,
        queueRepair,
        logger,
        now: Date.now,
        trailerCache,
      },
      { budget: settings.reconcile, dryRun: settings.reconcile.dryRun },
    ),
});
logger.info('worker started', {
  queue: settings.queueName,
  concurrency: config.concurrency,
  bot: bot.username,
  metricsPort: metricsServer.port,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down: finishing running jobs', { signal, timeoutMs: settings.shutdownTimeoutMs });
  const deadline = setTimeout(() => handBack.abort(), settings.shutdownTimeoutMs);
  await worker.close();
  await reconciliation.close();
  clearTimeout(deadline);
  await metricsServer.close();
  await staleness.stop();
  connection.disconnect();
  cacheRedis.disconnect();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

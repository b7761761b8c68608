/**
 * The webhook server process: reads the configuration, builds the object graph once and serves
 * `POST /api/webhooks/gitlab`, `/healthz`, `/readyz` and `/metrics` (with `METRICS_TOKEN`), and
 * the latter three on `SRCGIT_METRICS_PORT` when set.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { CoreError, eventJobOptions } from '@srcgit/core';
import { createJsonLogger, createStalenessBoard, stalenessDetails } from '@srcgit/core/internal';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createApp } from './create-app';
import { createOperationsApp } from './create-operations-app';
import type { OperationsDeps } from './create-operations-app';
import { createDeliveryIntake } from './delivery-intake';
import { openDeliverySpool } from './delivery-spool';
import { createIntakeMetrics } from './intake-metrics';
import { oldestWaitingJobTimestamp } from './oldest-waiting-job-timestamp';
import { readServerEnv } from './env';
import type { ServerEnv } from './env';

let env: ServerEnv;
try {
  env = readServerEnv(process.env);
} catch (error) {
  if (error instanceof CoreError && error.code === 'CONFIG_INVALID') {
    process.stderr.write(`srcgit webhook server: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
const { config, settings } = env;
const logger = createJsonLogger(process.stdout, { app: 'webhook-server' }, config.logLevel);

// Fail fast while Redis is down (no offline queue): deliveries then go to the spool.
const redis = new Redis(config.redis.url, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  // Concurrent deliveries' commands share one write per event-loop tick.
  enableAutoPipelining: true,
});
let redisErrorLogged = false;
redis.on('error', (error: Error) => {
  if (!redisErrorLogged) logger.warn('Redis connection error', { error });
  redisErrorLogged = true;
});
redis.on('ready', () => {
  redisErrorLogged = false;
});
const queue = new Queue(settings.queueName, { connection: redis });
queue.on('error', () => {
  // Reported through the connection's own error handler above.
});

// One spool per server instance under the spool root; spools of dead instances are adopted.
const spool = await openDeliverySpool(settings.spoolDir ?? join(config.workDir, 'spool'), {
  ...(settings.instanceId === null ? {} : { instanceId: settings.instanceId }),
});
await spool.adoptOrphans();
const intake = createDeliveryIntake({
  queue,
  redis,
  spool,
  keyPrefix: `srcgit:${settings.queueName}:delivery:`,
  dedupeTtlSeconds: settings.dedupeTtlSeconds,
  jobOptions: eventJobOptions(config.retry),
  redisTimeoutMs: settings.redisTimeoutMs,
  logger,
});
await intake.start(settings.drainIntervalMs);
const adoption = setInterval(() => {
  void spool
    .adoptOrphans()
    .then((moved) => {
      if (moved === 0) return;
      logger.info("adopted a dead server instance's spooled deliveries", { moved });
      intake.adopted(moved);
    })
    .catch((error: unknown) => logger.error('adopting orphaned spools failed; retrying later', { error }));
}, 5_000);
adoption.unref();

// When events last arrived, fleet-wide: merged into one Redis hash every second.
const staleness = createStalenessBoard({
  redis,
  key: `srcgit:${settings.queueName}:staleness`,
  readTimeoutMs: settings.redisTimeoutMs,
});
staleness.start();

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const metrics = createIntakeMetrics(registry, {
  queueCounts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'),
  oldestWaiting: () => oldestWaitingJobTimestamp(queue),
  spooled: () => intake.spooled(),
  redisReachable: () => intake.redisReachable(),
  staleness: () => staleness.read(),
});

async function redisAnswers(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      redis.ping().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), settings.redisTimeoutMs))),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const operations: Omit<OperationsDeps, 'dedicatedListener'> = {
  async readiness() {
    const up = await redisAnswers();
    // While Redis is down deliveries are still accepted into the spool, so the server stays ready
    // as long as it can write there.
    const canAccept =
      up ||
      (await access(spool.dir, constants.W_OK).then(
        () => true,
        () => false,
      ));
    return {
      ready: canAccept,
      redis: up ? 'up' : 'down',
      spooled: intake.spooled(),
      staleness: stalenessDetails(await staleness.read()),
    };
  },
  metricsText: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  metricsToken: config.metrics.token,
};

const app = createApp({
  intake,
  secrets: config.webhook.validate
    ? {
        sharedSecrets: config.webhook.sharedSecrets,
        ...(config.webhook.jwtSecret === undefined ? {} : { jwtSecret: config.webhook.jwtSecret }),
      }
    : null,
  instanceUrl: config.gitlab.url,
  commandPrefix: config.commentCommandPrefix,
  limits: { maxBodyBytes: settings.maxBodyBytes, maxJsonDepth: settings.maxJsonDepth },
  metrics,
  ...operations,
  staleness,
  logger,
  now: () => new Date(),
});

const server = serve({ fetch: app.fetch, port: config.server.port, hostname: config.server.host }, (info) => {
  logger.info('listening', {
    url: `http://${info.address}:${info.port}`,
    port: info.port,
    queue: settings.queueName,
    metrics:
      settings.metricsPort !== null
        ? 'own listener (SRCGIT_METRICS_PORT)'
        : config.metrics.token === undefined
          ? 'off: set SRCGIT_METRICS_PORT or METRICS_TOKEN'
          : 'on this port, with METRICS_TOKEN',
  });
});
const metricsServer =
  settings.metricsPort === null
    ? null
    : serve(
        {
          fetch: createOperationsApp({ ...operations, dedicatedListener: true }).fetch,
          port: settings.metricsPort,
          hostname: settings.metricsHost,
        },
        (info) =>
          logger.info('metrics listening', { url: `http://${info.address}:${info.port}`, port: info.port }),
      );

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (metricsServer !== null) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  clearInterval(adoption);
  await intake.stop();
  await spool.close();
  await staleness.stop();
  await queue.close();
  redis.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

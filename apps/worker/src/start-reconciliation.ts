/**
 * @module
 * The periodic reconciliation on BullMQ's job scheduler: one schedule in Redis however many
 * workers run, each run taken by one worker.
 */
import { createJobPayload, eventJobOptions, jobDeduplicationId } from '@srcgit/core';
import type { CoreLogger, RetryPolicy } from '@srcgit/core';
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { ReconcileMetrics } from './reconcile-metrics';
import type { ReconcileRepair, ReconciliationReport, RepairOutcome } from './run-reconciliation';
import type { ReconcileSettings } from './worker-settings';

/** The job scheduler's id in the reconciliation queue. */
export const RECONCILE_SCHEDULER_ID = 'srcgit-reconcile';

/** Options of {@link startReconciliation}. */
export interface StartReconciliationOptions {
  /** The events queue's name; the reconciliation queue is `<queueName>-reconcile`. */
  readonly queueName: string;
  readonly connection: ConnectionOptions;
  readonly settings: ReconcileSettings;
  /** One run, given how to queue a repair. */
  readonly run: (
    queueRepair: (repair: ReconcileRepair) => Promise<RepairOutcome>,
  ) => Promise<ReconciliationReport>;
  readonly metrics: ReconcileMetrics;
  readonly logger: CoreLogger;
  /** The forge's base URL, stamped on queued repairs as the webhook server stamps deliveries. */
  readonly instance: string;
  /** Names this worker process on the repairs it queues (`reconciler:<hostname>-<pid>`). */
  readonly instanceId: string;
  readonly retry: Pick<RetryPolicy, 'attempts'>;
  readonly now?: () => number;
}

/** A started reconciliation. */
export interface Reconciliation {
  /** Stops taking runs (a running one finishes) and closes the queues. */
  close(): Promise<void>;
}

/**
 * Starts the reconciliation of this worker process. With `intervalSeconds` 0 the schedule is
 * removed (for every worker: all must share the setting) and nothing runs. Otherwise the
 * scheduler `srcgit-reconcile` is upserted — only when missing or of another period, so a
 * restarting worker does not start an extra run — and this process takes its runs, one at a time.
 * A run queues its repairs into the events queue exactly like the webhook server queues
 * deliveries: same job options, same deduplication id per merge request, so a repair and a
 * webhook job for one MR never run together; the deterministic job id makes a repair found by two
 * overlapping runs one job.
 */
export async function startReconciliation(options: StartReconciliationOptions): Promise<Reconciliation> {
  const { settings, logger, metrics } = options;
  const now = options.now ?? Date.now;
  const schedule = new Queue(`${options.queueName}-reconcile`, { connection: options.connection });
  if (settings.intervalSeconds === 0) {
    await schedule.removeJobScheduler(RECONCILE_SCHEDULER_ID);
    logger.info('reconciliation is off (SRCGIT_RECONCILE_INTERVAL_SECONDS=0)');
    return { close: () => schedule.close() };
  }
  const every = settings.intervalSeconds * 1000;
  const existing = await schedule.getJobScheduler(RECONCILE_SCHEDULER_ID);
  if (existing === undefined || Number(existing.every) !== every) {
    await schedule.upsertJobScheduler(
      RECONCILE_SCHEDULER_ID,
      { every },
      { name: 'reconcile', data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  const events = new Queue(options.queueName, { connection: options.connection });
  const jobOptions = eventJobOptions(options.retry);
  async function queueRepair(repair: ReconcileRepair): Promise<RepairOutcome> {
    if ((await events.getJob(repair.jobId)) !== undefined) return 'duplicate';
    const deduplicationId = jobDeduplicationId(repair.event);
    const payload = createJobPayload({
      deliveryId: repair.jobId,
      receivedAt: new Date(now()),
      instance: options.instance,
      receivedBy: `reconciler:${options.instanceId}`,
      event: repair.event,
    });
    const job = await events.add(repair.event.kind, payload, {
      ...jobOptions,
      jobId: repair.jobId,
      ...(deduplicationId === null ? {} : { deduplication: { id: deduplicationId, keepLastIfActive: true } }),
    });
    return job.id === repair.jobId ? 'queued' : 'coalesced';
  }

  const worker = new Worker(
    schedule.name,
    async () => {
      const started = now();
      try {
        const report = await options.run(queueRepair);
        metrics.runFinished(report, (now() - started) / 1000);
        logger.info('reconciliation run finished', {
          ...report,
          startedAt: new Date(started).toISOString(),
          seconds: (now() - started) / 1000,
        });
        return report;
      } catch (error) {
        metrics.runFailed(settings.dryRun, (now() - started) / 1000);
        logger.error('reconciliation run failed; the next scheduled run starts over', { error });
        throw error;
      }
    },
    { connection: options.connection, concurrency: 1 },
  );
  worker.on('error', (error) => logger.error('reconciliation worker error', { error }));
  logger.info('reconciliation scheduled', {
    intervalSeconds: settings.intervalSeconds,
    dryRun: settings.dryRun,
    maxRequests: settings.maxRequests,
    rateLimitReserve: settings.rateLimitReserve,
  });
  return {
    async close() {
      await worker.close();
      await Promise.all([events.close(), schedule.close()]);
    },
  };
}

/**
 * @module
 * The webhook server's Prometheus metrics.
 */
import { STALENESS_GAUGES } from '@srcgit/core/internal';
import type { StalenessReport } from '@srcgit/core/internal';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** How a delivery ended, as counted in `srcgit_webhook_deliveries_total`. */
export type DeliveryOutcome =
  | 'queued'
  | 'spooled'
  | 'duplicate'
  | 'not_interested'
  | 'unusable'
  | 'unauthorized'
  | 'too_large'
  | 'invalid'
  | 'error';

/** What the request handler records. */
export interface IntakeMetrics {
  delivery(eventName: string, outcome: DeliveryOutcome, seconds: number): void;
}

/** Sources of the gauges, read when Prometheus scrapes. */
export interface IntakeGaugeSources {
  /** Job counts of the queue by state (waiting, active, delayed, failed, …). */
  queueCounts(): Promise<Record<string, number>>;
  /** When the oldest waiting job was added (unix ms), `null` when none waits. */
  oldestWaiting(): Promise<number | null>;
  /** Deliveries waiting in the local spool. */
  spooled(): number;
  /** Whether Redis answered the last operation. */
  redisReachable(): boolean;
  /** The fleet's staleness times (the staleness board's `read`). */
  staleness(): Promise<StalenessReport>;
}

const EVENT_LABELS: Readonly<Record<string, string>> = {
  'Merge Request Hook': 'merge_request',
  'Pipeline Hook': 'pipeline',
  'Push Hook': 'push',
  'Note Hook': 'note',
};

/** The `event` label of a delivery: known GitLab events by name, everything else `other`. */
export function eventLabel(eventName: string): string {
  return EVENT_LABELS[eventName] ?? 'other';
}

/**
 * Registers the intake metrics in `registry`: `srcgit_webhook_deliveries_total{event,outcome}`,
 * `srcgit_webhook_request_duration_seconds{event}`, `srcgit_queue_jobs{state}` (queue depth, read
 * from Redis at scrape time), `srcgit_queue_oldest_waiting_job_timestamp_seconds` (queue age:
 * alert on `time() - …`), `srcgit_webhook_spooled_deliveries`, `srcgit_redis_up` and the
 * staleness gauges (`STALENESS_GAUGES`: `srcgit_last_event_received_timestamp_seconds{kind,by}`,
 * `srcgit_last_successful_sync_timestamp_seconds{kind}`, fleet-wide).
 *
 * @example
 * const registry = new Registry();
 * const metrics = createIntakeMetrics(registry, { queueCounts: () => queue.getJobCounts(), spooled, redisReachable });
 */
export function createIntakeMetrics(registry: Registry, sources: IntakeGaugeSources): IntakeMetrics {
  const deliveries = new Counter({
    name: 'srcgit_webhook_deliveries_total',
    help: 'Webhook deliveries by GitLab event and outcome.',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'srcgit_webhook_request_duration_seconds',
    help: 'Time to answer a webhook delivery.',
    labelNames: ['event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'srcgit_queue_jobs',
    help: 'Jobs in the queue by state (waiting, active, delayed, prioritized, failed, completed).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await sources.queueCounts();
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      } catch {
        // Redis is down: the gauge stays empty, srcgit_redis_up says why.
      }
    },
  });
  new Gauge({
    name: 'srcgit_queue_oldest_waiting_job_timestamp_seconds',
    help: 'When the oldest job still waiting in the queue was added (unix seconds); absent when none waits.',
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const added = await sources.oldestWaiting();
        if (added !== null) this.set(added / 1000);
      } catch {
        // Redis is down: the gauge stays empty, srcgit_redis_up says why.
      }
    },
  });
  new Gauge({
    name: 'srcgit_webhook_spooled_deliveries',
    help: 'Accepted deliveries kept in the local spool until Redis answers again.',
    registers: [registry],
    collect() {
      this.set(sources.spooled());
    },
  });
  new Gauge({
    name: 'srcgit_redis_up',
    help: '1 when the last Redis operation succeeded.',
    registers: [registry],
    collect() {
      this.set(sources.redisReachable() ? 1 : 0);
    },
  });
  for (const gauge of STALENESS_GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const sample of gauge.samples(await sources.staleness())) this.set(sample.labels, sample.value);
      },
    });
  }
  return {
    delivery(eventName, outcome, seconds) {
      const event = eventLabel(eventName);
      deliveries.inc({ event, outcome });
      duration.observe({ event }, seconds);
    },
  };
}

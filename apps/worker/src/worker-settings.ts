/**
 * @module
 * The worker's own settings, next to core's service configuration: environment variables only,
 * validated with messages that name the variable.
 */
import { envInteger as integer, parseEnvSettings } from '@srcgit/core/internal';
import { z } from 'zod';

const schema = z.object({
  SRCGIT_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_"')
    .default('srcgit-events'),
  SRCGIT_WORKER_LOCK_DURATION_MS: integer(1_000, 3_600_000).optional(),
  SRCGIT_WORKER_STALLED_INTERVAL_MS: integer(500, 3_600_000).optional(),
  SRCGIT_WORKER_MAX_STALLED_COUNT: integer(1, 100).optional(),
  SRCGIT_SHUTDOWN_TIMEOUT_MS: integer(0, 3_600_000).optional(),
  SRCGIT_METRICS_PORT: integer(0, 65_535).optional(),
  SRCGIT_METRICS_HOST: z.string().min(1).optional(),
  SRCGIT_FORK_POLL_INTERVAL_MS: integer(10, 60_000).optional(),
  SRCGIT_CONVERSION_MAX_RSS_MB: integer(64, 1_048_576).optional(),
  SRCGIT_CONVERSION_TIMEOUT_MS: integer(1_000, 86_400_000).optional(),
  SRCGIT_RECONCILE_INTERVAL_SECONDS: integer(0, 604_800).optional(),
  SRCGIT_RECONCILE_DRY_RUN: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'true or false' })
    .optional(),
  SRCGIT_RECONCILE_MAX_REQUESTS: integer(10, 1_000_000).optional(),
  SRCGIT_RECONCILE_RATE_LIMIT_RESERVE: integer(0, 1_000_000).optional(),
});

/** Settings of the worker that are not part of the shared service configuration. */
export interface WorkerSettings {
  /** The BullMQ queue name (the webhook server must use the same). Default `srcgit-events`. */
  readonly queueName: string;
  /** How long a job's lock lasts without renewal; a SIGKILLed worker's job is retaken after it. Default 30 000. */
  readonly lockDurationMs: number;
  /** How often stalled jobs (of dead workers) are looked for. Default 30 000. */
  readonly stalledIntervalMs: number;
  /** How often a job may stall before it is failed. Default 2. */
  readonly maxStalledCount: number;
  /** On SIGTERM, how long running jobs may finish before they are handed back. Default 30 000. */
  readonly shutdownTimeoutMs: number;
  /** Port of `GET /metrics` and `GET /healthz`. Default 9464; 0 picks a free port. */
  readonly metricsPort: number;
  readonly metricsHost: string;
  /** How often a new fork's import status is polled. Default 1 000. */
  readonly forkPollIntervalMs: number;
  /**
   * Memory cap of one conversion, in MiB: the resident memory of its child process and the git
   * processes it starts, and the child's V8 heap limit. Default 1 024.
   */
  readonly conversionMaxRssMb: number;
  /**
   * Time limit of one conversion, in ms; see {@link conversionTimeoutMs} for the one applied.
   * Unset: 4/5 of the job timeout.
   */
  readonly conversionTimeoutMs: number | undefined;
  /** The periodic reconciliation (docs/bot-behaviour.md §1.H). */
  readonly reconcile: ReconcileSettings;
}

/** Settings of the periodic reconciliation. */
export interface ReconcileSettings {
  /** Seconds between runs (one schedule for all workers); 0 turns reconciliation off. Default 1 800. */
  readonly intervalSeconds: number;
  /** Only report drift (logs and metrics); queue nothing. Default false. */
  readonly dryRun: boolean;
  /** GitLab requests one run may send at most. Default 5 000. */
  readonly maxRequests: number;
  /** A run stops while GitLab's `RateLimit-Remaining` is at most this (left for webhook jobs). Default 200. */
  readonly rateLimitReserve: number;
}

/**
 * Reads the worker's settings from `env`.
 *
 * @throws {CoreError} `CONFIG_INVALID` naming each wrong variable, what was expected and what was found.
 */
export function parseWorkerSettings(env: Readonly<Record<string, string | undefined>>): WorkerSettings {
  const value = parseEnvSettings(schema, env, 'worker settings');
  return {
    queueName: value.SRCGIT_QUEUE_NAME,
    lockDurationMs: value.SRCGIT_WORKER_LOCK_DURATION_MS ?? 30_000,
    stalledIntervalMs: value.SRCGIT_WORKER_STALLED_INTERVAL_MS ?? 30_000,
    maxStalledCount: value.SRCGIT_WORKER_MAX_STALLED_COUNT ?? 2,
    shutdownTimeoutMs: value.SRCGIT_SHUTDOWN_TIMEOUT_MS ?? 30_000,
    metricsPort: value.SRCGIT_METRICS_PORT ?? 9464,
    metricsHost: value.SRCGIT_METRICS_HOST ?? '0.0.0.0',
    forkPollIntervalMs: value.SRCGIT_FORK_POLL_INTERVAL_MS ?? 1_000,
    conversionMaxRssMb: value.SRCGIT_CONVERSION_MAX_RSS_MB ?? 1_024,
    conversionTimeoutMs: value.SRCGIT_CONVERSION_TIMEOUT_MS,
    reconcile: {
      intervalSeconds: value.SRCGIT_RECONCILE_INTERVAL_SECONDS ?? 1_800,
      dryRun: ['true', '1', 'yes', 'on'].includes(value.SRCGIT_RECONCILE_DRY_RUN ?? 'false'),
      maxRequests: value.SRCGIT_RECONCILE_MAX_REQUESTS ?? 5_000,
      rateLimitReserve: value.SRCGIT_RECONCILE_RATE_LIMIT_RESERVE ?? 200,
    },
  };
}

/**
 * The time limit of one conversion: `SRCGIT_CONVERSION_TIMEOUT_MS`, but at most 4/5 of the job
 * timeout (`SRCGIT_JOB_TIMEOUT_MS`), so that a conversion stopped at its limit is still explained
 * on the merge request before the job itself times out (and would be retried).
 */
export function conversionTimeoutMs(settings: WorkerSettings, jobTimeoutMs: number): number {
  return Math.min(
    settings.conversionTimeoutMs ?? Number.POSITIVE_INFINITY,
    Math.floor((jobTimeoutMs * 4) / 5),
  );
}

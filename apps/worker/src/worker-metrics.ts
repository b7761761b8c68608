/**
 * @module
 * The worker's Prometheus metrics (served by the worker itself, see `startMetricsServer`).
 */
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** What the job processor records. */
export interface WorkerMetrics {
  /** A job ended: `result` is the workflow result (`created`, `no-op`, …) or `failed`/`handed-back`. */
  jobFinished(kind: string, result: string, seconds: number): void;
  /** A job failed: `failureClass` is `transient` (will be retried), `permanent` or `user`. */
  jobFailed(kind: string, failureClass: string): void;
  /**
   * A job gave up: its last attempt failed with a transient error. `noted` tells whether the
   * source-git MR got the gave-up note.
   */
  jobGaveUp(kind: string, noted: boolean): void;
}

/**
 * Registers `srcgit_worker_jobs_total{kind,result}`, `srcgit_worker_job_duration_seconds{kind}`,
 * `srcgit_worker_job_failures_total{kind,class}` and `srcgit_worker_jobs_gave_up_total{kind,noted}`
 * in `registry`.
 */
export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const jobs = new Counter({
    name: 'srcgit_worker_jobs_total',
    help: 'Jobs processed, by event kind and result.',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'srcgit_worker_job_duration_seconds',
    help: 'Time to process a job, by event kind.',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'srcgit_worker_job_failures_total',
    help: 'Failed job attempts, by event kind and class (transient failures are retried).',
    labelNames: ['kind', 'class'] as const,
    registers: [registry],
  });
  const gaveUp = new Counter({
    name: 'srcgit_worker_jobs_gave_up_total',
    help: 'Jobs whose last attempt failed (retries exhausted), by event kind and whether the source-git MR was told.',
    labelNames: ['kind', 'noted'] as const,
    registers: [registry],
  });
  return {
    jobFinished(kind, result, seconds) {
      jobs.inc({ kind, result });
      duration.observe({ kind }, seconds);
    },
    jobFailed(kind, failureClass) {
      failures.inc({ kind, class: failureClass });
    },
    jobGaveUp(kind, noted) {
      gaveUp.inc({ kind, noted: String(noted) });
    },
  };
}

/**
 * @module
 * The reconciliation's Prometheus metrics (served with the worker's others).
 */
import { RECONCILE_DRIFT_KINDS } from '@srcgit/core';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ReconciliationReport } from './run-reconciliation';

/** What a reconciliation run records. */
export interface ReconcileMetrics {
  /** A run ended with `report`, after `seconds`. */
  runFinished(report: ReconciliationReport, seconds: number): void;
  /** A run failed (an error other than a spent budget; the next scheduled run starts over). */
  runFailed(dryRun: boolean, seconds: number): void;
}

/**
 * Registers in `registry`:
 * - `srcgit_reconcile_runs_total{result,mode}`: runs, `result` `complete`, `budget-exhausted` or
 *   `failed`, `mode` `repair` or `dry-run`;
 * - `srcgit_reconcile_drift_total{kind}` and `srcgit_reconcile_last_run_drift{kind}`: drifted
 *   pairs found, by drift kind (all runs; the last run);
 * - `srcgit_reconcile_repairs_total{outcome}`: repair jobs, `queued`, `duplicate` (an identical
 *   one is queued or was run) or `coalesced` (a job for the MR was waiting already);
 * - `srcgit_reconcile_requests_total` and `srcgit_reconcile_last_run_requests`: GitLab requests;
 * - `srcgit_reconcile_budget_exhausted_total{reason}`: runs stopped early, `max-requests` or
 *   `rate-limit`;
 * - `srcgit_reconcile_pairs_checked_total`, `srcgit_reconcile_run_duration_seconds`;
 * - `srcgit_reconcile_last_run_timestamp_seconds` and
 *   `srcgit_reconcile_last_complete_run_timestamp_seconds` (a run that went through every pair).
 */
export function createReconcileMetrics(registry: Registry): ReconcileMetrics {
  const registers = [registry];
  const runs = new Counter({
    name: 'srcgit_reconcile_runs_total',
    help: 'Reconciliation runs, by result (complete, budget-exhausted, failed) and mode (repair, dry-run).',
    labelNames: ['result', 'mode'] as const,
    registers,
  });
  const drift = new Counter({
    name: 'srcgit_reconcile_drift_total',
    help: 'Drifted source-git/dist-git pairs found by reconciliation, by drift kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const lastDrift = new Gauge({
    name: 'srcgit_reconcile_last_run_drift',
    help: 'Drifted pairs the last reconciliation run found, by drift kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const repairs = new Counter({
    name: 'srcgit_reconcile_repairs_total',
    help: 'Repair jobs of reconciliation, by outcome (queued, duplicate, coalesced).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const requests = new Counter({
    name: 'srcgit_reconcile_requests_total',
    help: 'GitLab requests sent by reconciliation.',
    registers,
  });
  const lastRequests = new Gauge({
    name: 'srcgit_reconcile_last_run_requests',
    help: 'GitLab requests the last reconciliation run sent.',
    registers,
  });
  const exhausted = new Counter({
    name: 'srcgit_reconcile_budget_exhausted_total',
    help: 'Reconciliation runs stopped early by their request budget, by reason (max-requests, rate-limit).',
    labelNames: ['reason'] as const,
    registers,
  });
  const pairs = new Counter({
    name: 'srcgit_reconcile_pairs_checked_total',
    help: 'Source-git/dist-git pairs compared by reconciliation.',
    registers,
  });
  const duration = new Histogram({
    name: 'srcgit_reconcile_run_duration_seconds',
    help: 'Time of a reconciliation run.',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers,
  });
  const lastRun = new Gauge({
    name: 'srcgit_reconcile_last_run_timestamp_seconds',
    help: 'When the last reconciliation run ended (Unix time).',
    registers,
  });
  const lastComplete = new Gauge({
    name: 'srcgit_reconcile_last_complete_run_timestamp_seconds',
    help: 'When the last reconciliation run that compared every pair ended (Unix time).',
    registers,
  });
  for (const kind of RECONCILE_DRIFT_KINDS) {
    drift.inc({ kind }, 0);
    lastDrift.set({ kind }, 0);
  }
  return {
    runFinished(report, seconds) {
      const mode = report.dryRun ? 'dry-run' : 'repair';
      runs.inc({ result: report.budgetExhausted === null ? 'complete' : 'budget-exhausted', mode });
      for (const kind of RECONCILE_DRIFT_KINDS) {
        drift.inc({ kind }, report.drift[kind]);
        lastDrift.set({ kind }, report.drift[kind]);
      }
      for (const [outcome, count] of Object.entries(report.repairs)) repairs.inc({ outcome }, count);
      requests.inc(report.requests);
      lastRequests.set(report.requests);
      if (report.budgetExhausted !== null) exhausted.inc({ reason: report.budgetExhausted.reason });
      pairs.inc(report.pairsChecked);
      duration.observe(seconds);
      const now = Date.now() / 1000;
      lastRun.set(now);
      if (report.budgetExhausted === null) lastComplete.set(now);
    },
    runFailed(dryRun, seconds) {
      runs.inc({ result: 'failed', mode: dryRun ? 'dry-run' : 'repair' });
      duration.observe(seconds);
      lastRun.set(Date.now() / 1000);
    },
  };
}

/**
 * @module
 * The processor of the worker's one queue: a job → the workflows of its event.
 */
import { parseJobPayload } from '@srcgit/core';
import type { CoreLogger, EventOutcome, EventWorkflowDeps, JobPayload, WorkflowOutcome } from '@srcgit/core';
import type { StalenessBoard } from '@srcgit/core/internal';
import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { reportGaveUp } from './report-gave-up';
import { runEvent } from './run-event';
import type { EventRun } from './run-event';
import { classifyFailure, toJobFailure } from './to-job-failure';
import type { WorkerMetrics } from './worker-metrics';

/** What a finished job returns (stored by BullMQ as the job's return value). */
export interface JobSummary {
  readonly deliveryId: string;
  readonly outcomes: readonly Pick<
    WorkflowOutcome | EventOutcome,
    'workflow' | 'result' | 'summary' | 'reason' | 'distGitMr'
  >[];
  readonly unsupported: string | null;
}

/** Options of {@link createJobProcessor}. */
export interface JobProcessorOptions {
  /** The workflows' side effects (forge, workspace, converter, config, clock, logger). */
  readonly workflowDeps: EventWorkflowDeps;
  readonly logger: CoreLogger;
  readonly metrics: WorkerMetrics;
  /**
   * Where a started job is noted as the last event received of its kind, and a job whose
   * workflows all succeeded as the last successful sync of its kind.
   */
  readonly staleness: Pick<StalenessBoard, 'record'>;
  /** A job running longer than this is aborted and retried. */
  readonly jobTimeoutMs: number;
  /** Aborted when the worker must stop now: running jobs are handed back to the queue. */
  readonly handBack: AbortSignal;
  readonly now?: () => number;
}

class JobInterrupted extends Error {
  override readonly name = 'JobInterrupted';
  constructor(
    readonly why: 'hand-back' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

/** A promise that rejects when `signal` aborts (never resolves), and its cleanup. */
function rejectOnAbort(
  signal: AbortSignal,
  error: () => Error,
): { promise: Promise<never>; dispose(): void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(error());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => onAbort && signal.removeEventListener('abort', onAbort) };
}

/**
 * Creates the processor. It validates the job, runs the workflows of its event with a per-job
 * abort signal, and maps the result onto BullMQ: a `user-error` outcome (the workflow explained
 * the problem on the MR) and permanent failures become `UnrecoverableError` (no retry); transient
 * failures are rethrown (retried with backoff) — after the last attempt the job gives up: an
 * error line, `srcgit_worker_jobs_gave_up_total` and one note on the source-git MR
 * (`reportGaveUp`); a job interrupted by shutdown is handed back to the queue (delayed to now,
 * without using an attempt); a job over `jobTimeoutMs` is retried.
 *
 * @example
 * const worker = new Worker(queueName, createJobProcessor({ workflowDeps, logger, metrics, jobTimeoutMs, handBack }), opts);
 */
export function createJobProcessor(
  options: JobProcessorOptions,
): (job: Job, token?: string, signal?: AbortSignal) => Promise<JobSummary> {
  const { workflowDeps, logger, metrics, staleness, jobTimeoutMs, handBack } = options;
  const now = options.now ?? Date.now;

  return async (job, token, signal) => {
    const started = now();
    const seconds = (): number => (now() - started) / 1000;
    let payload: JobPayload;
    try {
      payload = parseJobPayload(job.data);
    } catch (error) {
      metrics.jobFailed(job.name, 'permanent');
      metrics.jobFinished(job.name, 'failed', seconds());
      logger.error('job payload is invalid; dropped', { jobId: job.id, error });
      throw toJobFailure(error, 'permanent');
    }
    const kind = payload.event.kind;
    staleness.record({ signal: 'event-received', by: 'worker', kind });
    const fields = { jobId: job.id, deliveryId: payload.deliveryId, kind, attempt: job.attemptsMade + 1 };

    const timeout = AbortSignal.timeout(jobTimeoutMs);
    const jobSignal = AbortSignal.any([timeout, handBack, ...(signal === undefined ? [] : [signal])]);
    const handedBack = rejectOnAbort(
      handBack,
      () => new JobInterrupted('hand-back', 'the worker is stopping'),
    );
    const timedOut = rejectOnAbort(
      timeout,
      () => new JobInterrupted('timeout', `the job ran longer than ${jobTimeoutMs} ms`),
    );
    let run: EventRun;
    try {
      run = await Promise.race([
        runEvent(payload.event, workflowDeps, { signal: jobSignal }),
        handedBack.promise,
        timedOut.promise,
      ]);
    } catch (error) {
      if (error instanceof JobInterrupted && error.why === 'hand-back' && token !== undefined) {
        await job.moveToDelayed(now(), token);
        metrics.jobFinished(kind, 'handed-back', seconds());
        logger.warn('job handed back to the queue at shutdown', fields);
        throw new DelayedError();
      }
      const failureClass = error instanceof JobInterrupted ? 'transient' : classifyFailure(error);
      metrics.jobFailed(kind, failureClass);
      metrics.jobFinished(kind, 'failed', seconds());
      const willRetry = failureClass === 'transient' && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      logger[failureClass === 'transient' ? 'warn' : 'error']('job failed', {
        ...fields,
        error,
        failureClass,
        willRetry,
      });
      if (failureClass === 'transient' && !willRetry) {
        const report = await reportGaveUp(
          { event: payload.event, attempts: fields.attempt, error },
          workflowDeps,
          logger,
        );
        metrics.jobGaveUp(kind, report.noted);
        logger.error('job gave up after its last attempt', { ...fields, error, report });
      }
      throw toJobFailure(error, failureClass);
    } finally {
      handedBack.dispose();
      timedOut.dispose();
    }

    if (run.kind === 'unsupported') {
      metrics.jobFinished(kind, 'unsupported', seconds());
      logger.info('no workflow for this event', { ...fields, reason: run.reason });
      return { deliveryId: payload.deliveryId, outcomes: [], unsupported: run.reason };
    }
    for (const outcome of run.outcomes) {
      logger.info(outcome.summary, {
        ...fields,
        workflow: outcome.workflow,
        result: outcome.result,
        reason: outcome.reason,
      });
    }
    const userError = run.outcomes.find((outcome) => outcome.result === 'user-error');
    if (userError !== undefined) {
      metrics.jobFailed(kind, 'user');
      metrics.jobFinished(kind, 'user-error', seconds());
      throw new UnrecoverableError(`user: ${userError.error?.message ?? userError.summary}`);
    }
    metrics.jobFinished(kind, run.outcomes.at(-1)?.result ?? 'no-op', seconds());
    staleness.record({ signal: 'sync-succeeded', kind });
    return {
      deliveryId: payload.deliveryId,
      outcomes: run.outcomes.map(({ workflow, result, summary, reason, distGitMr }) => ({
        workflow,
        result,
        summary,
        reason,
        distGitMr,
      })),
      unsupported: null,
    };
  };
}

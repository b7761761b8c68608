/**
 * @module
 * The worker's error boundary (conventions C8, C16): which failures BullMQ retries.
 */
import { CoreError, classifyWorkflowError } from '@srcgit/core';
import { isConverterError } from '@srcgit/dist-git-converter';
import { UnrecoverableError } from 'bullmq';

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** How the worker treats a failure. */
export type FailureClass = 'transient' | 'permanent' | 'user';

/**
 * Classifies a failure: a transient forge or git transport failure (or a network error) is
 * retried with backoff; a malformed job, a user-fixable problem (the workflow has explained it on
 * the MR) or a bug is not. A local git command that failed (`GIT_FAILED`: a lock held by a
 * concurrent git process, a full disk) is retried too — the attempts are bounded.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof CoreError && (error.code === 'JOB_INVALID' || error.code === 'EVENT_INVALID')) {
    return 'permanent';
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return 'transient';
  if (isConverterError(error) && error.code === 'GIT_FAILED') return 'transient';
  return classifyWorkflowError(error);
}

/**
 * The error a processor throws for `error`: the error itself when BullMQ should retry the job,
 * an `UnrecoverableError` carrying its message when it should fail the job at once.
 */
export function toJobFailure(error: unknown, failureClass: FailureClass = classifyFailure(error)): Error {
  const asError = error instanceof Error ? error : new Error(String(error));
  if (failureClass === 'transient') return asError;
  const unrecoverable = new UnrecoverableError(`${failureClass}: ${asError.message}`);
  unrecoverable.cause = asError;
  return unrecoverable;
}

/**
 * @module
 * How long a failed job waits before its next attempt.
 */
import { ForgeError, exponentialBackoffDelay } from '@srcgit/core';
import type { RetryPolicy } from '@srcgit/core';

/**
 * Core's exponential backoff with equal jitter (`exponentialBackoffDelay`, the one the GitLab
 * adapter's request retries use too): attempt n waits a random time in [d/2, d] with
 * d = min(baseDelayMs · 2^(n−1), maxDelayMs) — and never less than a `Retry-After` the forge
 * asked for (`ForgeError.retryAfterMs`).
 *
 * @example
 * backoffDelay(3, error, { attempts: 5, baseDelayMs: 30_000, maxDelayMs: 600_000 }) // ~60–120 s
 */
export function backoffDelay(
  attemptsMade: number,
  error: unknown,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const delay = exponentialBackoffDelay(attemptsMade, policy, random);
  const retryAfter = error instanceof ForgeError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(delay, retryAfter);
}

/**
 * @module
 * How long a failed job waits before its next attempt.
 */
import { ForgeError } from '@srcgit/core';
import type { RetryPolicy } from '@srcgit/core';

/**
 * Exponential backoff with full jitter, capped: attempt n waits a random time in
 * [d/2, d] with d = min(baseDelayMs · 2^(n−1), maxDelayMs) — and never less than a
 * `Retry-After` the forge asked for (`ForgeError.retryAfterMs`).
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
  const exponent = Math.max(0, attemptsMade - 1);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** Math.min(exponent, 30), policy.maxDelayMs);
  const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  const retryAfter = error instanceof ForgeError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(delay, retryAfter);
}

/**
 * @module
 * `exponentialBackoffDelay`: the one backoff of srcgit — the worker's job retries and the GitLab
 * adapter's request retries both wait this long.
 */

/** The delays {@link exponentialBackoffDelay} grows between. */
export interface BackoffBounds {
  /** The ceiling of the first retry's delay; it doubles on each further retry. */
  readonly baseDelayMs: number;
  /** The largest ceiling. */
  readonly maxDelayMs: number;
}

/**
 * The delay before retry number `retry` (1 for the first): exponential backoff with **equal
 * jitter**, capped. With the ceiling d = min(baseDelayMs · 2^(retry−1), maxDelayMs), the delay is
 * a random time in [d/2, d] — half of it fixed, so a retry never comes at once, and half random, so
 * that many clients do not retry in step. `random` returns a number in [0, 1).
 *
 * @example
 * exponentialBackoffDelay(3, { baseDelayMs: 30_000, maxDelayMs: 600_000 }) // 60–120 s
 */
export function exponentialBackoffDelay(
  retry: number,
  bounds: BackoffBounds,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, retry - 1), 30);
  const ceiling = Math.min(bounds.baseDelayMs * 2 ** exponent, bounds.maxDelayMs);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * @module
 * How failed GitLab requests are retried.
 */

/** Retry policy for rate limits (429), server errors (5xx) and dropped connections. */
export interface RetryOptions {
  /** Attempts in total, the first included (default 5; 1 disables retries). */
  attempts: number;
  /** Delay before the first retry; doubles on each further one (default 500 ms). */
  baseDelayMs: number;
  /**
   * Longest delay between attempts (default 30 000 ms). A `Retry-After` asking for longer ends
   * the retries at once with a `transient` error carrying `retryAfterMs`, for the job queue.
   */
  maxDelayMs: number;
}

/** The defaults of {@link RetryOptions}. */
export const defaultRetryOptions: RetryOptions = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The delay a `Retry-After` header asks for, in ms: either delay-seconds or an HTTP date
 * (relative to `nowMs`). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its weekday and month (`Wed, 21 Oct 2015 07:28:00 GMT`); `Date.parse`
  // alone would also read strings such as "-1" as dates.
  if (!/^[A-Za-z]{3}, /.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

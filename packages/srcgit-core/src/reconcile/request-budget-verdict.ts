/**
 * @module
 * `requestBudgetVerdict`: whether a reconciliation may send one more request to the forge.
 */

/** What the forge last said about its rate limit (GitLab's `RateLimit-Remaining`/`RateLimit-Reset`). */
export interface RateLimitReading {
  /** Requests left in the current window. */
  readonly remaining: number;
  /** When the window resets, in ms since the epoch. */
  readonly resetAtMs: number;
}

/** The limits of one reconciliation run. */
export interface RequestBudget {
  /** Requests one run may send at most. */
  readonly maxRequests: number;
  /**
   * Requests of the forge's rate-limit window left to everything else (the webhook-driven jobs):
   * the run stops once `RateLimit-Remaining` is down to this, until the window resets.
   */
  readonly rateLimitReserve: number;
}

/** {@link requestBudgetVerdict}'s answer. */
export type RequestBudgetVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'max-requests' | 'rate-limit'; readonly detail: string };

/**
 * Whether one more request fits: `spent` requests of `budget.maxRequests` are used, and the last
 * rate-limit reading (if any, and if its window has not reset by `nowMs`) leaves more than the
 * reserve.
 *
 * @example
 * requestBudgetVerdict(10, { remaining: 50, resetAtMs }, { maxRequests: 1000, rateLimitReserve: 100 }, Date.now());
 * // { ok: false, reason: 'rate-limit', detail: 'GitLab allows 50 more requests until …; 100 are kept for webhook jobs' }
 */
export function requestBudgetVerdict(
  spent: number,
  reading: RateLimitReading | null,
  budget: RequestBudget,
  nowMs: number,
): RequestBudgetVerdict {
  if (spent >= budget.maxRequests) {
    return {
      ok: false,
      reason: 'max-requests',
      detail: `the run used its ${budget.maxRequests} requests`,
    };
  }
  if (reading !== null && nowMs < reading.resetAtMs && reading.remaining <= budget.rateLimitReserve) {
    return {
      ok: false,
      reason: 'rate-limit',
      detail: `GitLab allows ${reading.remaining} more requests until ${new Date(reading.resetAtMs).toISOString()}; ${budget.rateLimitReserve} are kept for webhook jobs`,
    };
  }
  return { ok: true };
}

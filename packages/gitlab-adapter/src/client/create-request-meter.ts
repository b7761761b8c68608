/**
 * @module
 * `createRequestMeter`: counts the HTTP requests a `Forge` sends and keeps GitLab's last
 * `RateLimit-*` reading, for callers that work within a request budget (the reconciliation).
 */
import type { RateLimitReading } from '@srcgit/core';

/** What the transport reports for every answer it receives (each attempt counts). */
export interface ResponseObserver {
  observe(response: { readonly status: number; readonly headers: Headers }): void;
}

/** A {@link ResponseObserver} that counts and remembers the rate limit. */
export interface RequestMeter extends ResponseObserver {
  /** Answers received so far (retried attempts included). */
  requests(): number;
  /** The last `RateLimit-Remaining`/`RateLimit-Reset` pair GitLab sent, or `null`. */
  rateLimit(): RateLimitReading | null;
}

/**
 * Creates a meter; pass it as `createGitLabForge({ …, responseObserver: meter })`. GitLab sends
 * `RateLimit-Remaining` (requests left in the window) and `RateLimit-Reset` (when the window
 * resets, in seconds since the epoch) on every API answer; answers without them leave the last
 * reading in place.
 *
 * @example
 * const meter = createRequestMeter();
 * const forge = createGitLabForge({ url, token, responseObserver: meter });
 * await forge.getCurrentUser();
 * meter.requests(); // 1
 * meter.rateLimit(); // { remaining: 1999, resetAtMs: 1767225660000 }
 */
export function createRequestMeter(): RequestMeter {
  let count = 0;
  let reading: RateLimitReading | null = null;
  return {
    observe({ headers }) {
      count += 1;
      const remaining = Number.parseInt(headers.get('ratelimit-remaining') ?? '', 10);
      const reset = Number.parseInt(headers.get('ratelimit-reset') ?? '', 10);
      if (Number.isFinite(remaining) && Number.isFinite(reset)) {
        reading = { remaining, resetAtMs: reset * 1000 };
      }
    },
    requests: () => count,
    rateLimit: () => reading,
  };
}

/**
 * @module
 * Who may read an app's `/metrics`: the one rule both apps apply (docs/bot-behaviour.md §8.2).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The answer to a `GET /metrics`. */
export type MetricsAccess =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 404; readonly message: string };

/**
 * Decides a metrics request. On an app's own metrics listener (`dedicatedListener`), metrics are
 * served to everyone unless `METRICS_TOKEN` is set; on the public webhook port they are served
 * only with `Authorization: Bearer <METRICS_TOKEN>`, and not at all (404) without a token
 * configured. The token is compared in constant time.
 *
 * @example
 * const access = metricsAccess({ authorization: c.req.header('authorization'), token, dedicatedListener: false });
 * if (!access.allowed) return c.text(access.message, access.status);
 */
export function metricsAccess(request: {
  readonly authorization: string | undefined;
  /** `METRICS_TOKEN`, when configured. */
  readonly token: string | undefined;
  /** Whether the request came to a listener that serves only metrics and health. */
  readonly dedicatedListener: boolean;
}): MetricsAccess {
  const { authorization, token, dedicatedListener } = request;
  if (token === undefined) {
    return dedicatedListener
      ? { allowed: true }
      : {
          allowed: false,
          status: 404,
          message:
            'Metrics are not served on the public port: set SRCGIT_METRICS_PORT (a listener of their own) or METRICS_TOKEN.',
        };
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (presented !== undefined && sameSecret(presented, token)) return { allowed: true };
  return {
    allowed: false,
    status: 401,
    message: 'Metrics need "Authorization: Bearer <METRICS_TOKEN>".',
  };
}

/** Equal texts, compared in constant time (their digests, so lengths leak nothing either). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * @module
 * The webhook server's operations endpoints: `GET /healthz`, `GET /readyz` and `GET /metrics`,
 * served on the public port (metrics only with the metrics token) and, given
 * `SRCGIT_METRICS_PORT`, on a listener of their own.
 */
import { metricsAccess } from '@srcgit/core/internal';
import type { stalenessDetails } from '@srcgit/core/internal';
import { Hono } from 'hono';

/** What `GET /readyz` reports. */
export interface ReadinessReport {
  /** Whether deliveries can be accepted (queued, or spooled while Redis is down). */
  readonly ready: boolean;
  readonly redis: 'up' | 'down';
  /** Deliveries waiting in the local spool. */
  readonly spooled: number;
  /** When the fleet last received an event and last synced, per event kind. */
  readonly staleness: ReturnType<typeof stalenessDetails>;
}

/** What the operations endpoints need. */
export interface OperationsDeps {
  readonly readiness: () => Promise<ReadinessReport>;
  /** The Prometheus exposition (`registry.metrics()` and its content type). */
  readonly metricsText: () => Promise<{ contentType: string; body: string }>;
  /** `METRICS_TOKEN`, when configured. */
  readonly metricsToken: string | undefined;
  /** Whether these endpoints are the metrics listener's (else the public webhook port's). */
  readonly dedicatedListener: boolean;
}

/**
 * Builds the operations endpoints. `/healthz` is liveness, `/readyz` readiness with details
 * (503 when not ready), `/metrics` the Prometheus exposition under the rule of `metricsAccess`:
 * on the public port only with `Authorization: Bearer <METRICS_TOKEN>` (404 without a token
 * configured, 401 for a wrong one); on the metrics listener to everyone unless a token is set.
 *
 * @example
 * serve({ fetch: createOperationsApp({ readiness, metricsText, metricsToken, dedicatedListener: true }).fetch, port });
 */
export function createOperationsApp(deps: OperationsDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const report = await deps.readiness();
    return c.json(report, report.ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const access = metricsAccess({
      authorization: c.req.header('authorization'),
      token: deps.metricsToken,
      dedicatedListener: deps.dedicatedListener,
    });
    if (!access.allowed) {
      return c.text(
        access.message,
        access.status,
        access.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="srcgit metrics"' } : {},
      );
    }
    const { contentType, body } = await deps.metricsText();
    return c.body(body, 200, { 'Content-Type': contentType });
  });

  return app;
}

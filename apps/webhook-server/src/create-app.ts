/**
 * @module
 * The webhook server's HTTP application: verify → validate → dedupe → enqueue → 202
 * (conventions C10, C11), plus health, readiness and metrics.
 */
import { parseGitLabWebhook, verifyWebhookToken } from '@srcgit/gitlab-adapter';
import type { WebhookSecrets } from '@srcgit/gitlab-adapter';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { deliveryKey } from './delivery-key';
import type { DeliveryIntake } from './delivery-intake';
import type { IntakeMetrics } from './intake-metrics';
import type { Logger } from './logger';
import { semanticDeliveryKey } from './semantic-delivery-key';
import { toQueuedDelivery } from './to-queued-delivery';

/** The path GitLab's hooks point at (kept from packit-service). */
export const WEBHOOK_PATH = '/api/webhooks/gitlab';

/** What `GET /readyz` reports. */
export interface ReadinessReport {
  /** Whether deliveries can be accepted (queued, or spooled while Redis is down). */
  readonly ready: boolean;
  readonly redis: 'up' | 'down';
  /** Deliveries waiting in the local spool. */
  readonly spooled: number;
}

/** Everything the application needs, built once in `main.ts` (or by a test). */
export interface WebhookAppDeps {
  readonly intake: Pick<DeliveryIntake, 'accept'>;
  /** The secrets hook tokens are checked against; `null` accepts every token (development only). */
  readonly secrets: WebhookSecrets | null;
  /** The GitLab instance served, e.g. `https://gitlab.com`; deliveries from another are refused. */
  readonly instanceUrl: string;
  /** The comment-command prefix: comments without a command are not queued. */
  readonly commandPrefix?: string;
  readonly metrics: IntakeMetrics;
  readonly readiness: () => Promise<ReadinessReport>;
  /** The Prometheus exposition (`registry.metrics()` and its content type). */
  readonly metricsText: () => Promise<{ contentType: string; body: string }>;
  readonly logger: Logger;
  readonly now: () => Date;
}

const NOT_INTERESTED = "Thanks but we don't care about this event";

/**
 * Builds the HTTP application. `POST /api/webhooks/gitlab` answers 400 for a body that is not a
 * JSON object, 401 for a bad token (or a token for another namespace, or another instance), 202
 * "not interested" for events the bot ignores, 400 for a payload that does not have GitLab's
 * shape, and 202 once the delivery is durably queued (or spooled, or recognised as a duplicate).
 * `GET /healthz` is liveness, `GET /readyz` readiness, `GET /metrics` Prometheus.
 *
 * @example
 * const app = createApp({ intake, secrets: { sharedSecrets: ['s3cret'] }, instanceUrl: 'https://gitlab.com', … });
 * const response = await app.request('/api/webhooks/gitlab', { method: 'POST', headers, body });
 */
export function createApp(deps: WebhookAppDeps): Hono {
  const { intake, secrets, metrics, logger } = deps;
  const instanceOrigin = new URL(deps.instanceUrl).origin;
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const report = await deps.readiness();
    return c.json(report, report.ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const { contentType, body } = await deps.metricsText();
    return c.body(body, 200, { 'Content-Type': contentType });
  });

  app.post(WEBHOOK_PATH, async (c) => {
    const started = performance.now();
    const eventName = c.req.header('x-gitlab-event') ?? '';
    const done = (outcome: Parameters<IntakeMetrics['delivery']>[1]): void =>
      metrics.delivery(eventName, outcome, (performance.now() - started) / 1000);

    const raw = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      done('invalid');
      return c.text("We haven't received any JSON data.", 400);
    }

    const instanceHeader = c.req.header('x-gitlab-instance');
    if (instanceHeader !== undefined && originOf(instanceHeader) !== instanceOrigin) {
      done('unauthorized');
      logger.warn('delivery from an unknown GitLab instance refused', {
        instance: instanceHeader,
        remedy: `this server serves ${instanceOrigin}; point the hook of the other instance at its own srcgit`,
      });
      return c.text(`Deliveries from ${instanceHeader} are not accepted here.`, 401);
    }

    const verdict =
      secrets === null
        ? ({ valid: true } as const)
        : await verifyWebhookToken(c.req.header('x-gitlab-token'), secrets, body);
    if (!verdict.valid) {
      done('unauthorized');
      logger.warn('webhook token refused', {
        event: eventName,
        reason: verdict.reason,
        detail: verdict.message,
      });
      return c.text(verdict.message, 401);
    }

    const parsed = parseGitLabWebhook({
      eventName,
      body,
      ...(deps.commandPrefix === undefined ? {} : { commandPrefix: deps.commandPrefix }),
    });
    if (parsed.kind === 'not-interested') {
      done('not_interested');
      return c.json({ status: 'not-interested', message: NOT_INTERESTED, reason: parsed.reason }, 202);
    }
    if (parsed.kind === 'invalid') {
      done('invalid');
      logger.warn('webhook payload refused', { event: eventName, detail: parsed.message });
      return c.text(parsed.message, 400);
    }

    const key = deliveryKey(c.req.raw.headers, eventName, raw);
    const delivery = toQueuedDelivery({
      key,
      semanticKey: semanticDeliveryKey(eventName, body),
      event: parsed.event,
      instance: instanceOrigin,
      receivedAt: deps.now(),
    });
    let outcome;
    try {
      outcome = await intake.accept(delivery);
    } catch (error) {
      done('error');
      logger.error('delivery could be neither queued nor spooled', { deliveryId: key.key, error });
      throw new HTTPException(503, { message: 'The delivery could not be stored; please retry.' });
    }
    done(outcome);
    return c.json({ status: outcome, deliveryId: key.key, jobId: delivery.jobId }, 202);
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    logger.error('unexpected failure while handling a request', { path: c.req.path, error });
    return c.text('Internal server error', 500);
  });

  return app;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

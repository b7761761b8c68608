/**
 * @module
 * The webhook server's HTTP application: authenticate (headers only) → read the body, bounded →
 * parse → bind the token to the project → validate → dedupe → enqueue → 202, plus
 * health, readiness and metrics.
 */
import { authenticateWebhookToken, bindWebhookToken, parseGitLabWebhook } from '@srcgit/gitlab-adapter';
import type { WebhookSecrets, WebhookTokenAuthentication } from '@srcgit/gitlab-adapter';
import type { StalenessBoard } from '@srcgit/core/internal';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createOperationsApp } from './create-operations-app';
import type { ReadinessReport } from './create-operations-app';
import { deliveryKey } from './delivery-key';
import type { DeliveryIntake } from './delivery-intake';
import type { IntakeMetrics } from './intake-metrics';
import type { Logger } from './logger';
import { parseDeliveryBody } from './parse-delivery-body';
import { readBoundedBody } from './read-bounded-body';
import { semanticDeliveryKey } from './semantic-delivery-key';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_JSON_DEPTH } from './server-settings';
import { toQueuedDelivery } from './to-queued-delivery';

/** The path GitLab's hooks point at (kept from packit-service). */
export const WEBHOOK_PATH = '/api/webhooks/gitlab';

/** Bounds on what a delivery may cost before it is refused. */
export interface IntakeLimits {
  /** The largest body read (`SRCGIT_MAX_BODY_BYTES`, default 5 MiB): more is `413`. */
  readonly maxBodyBytes: number;
  /** The deepest nesting of arrays and objects (`SRCGIT_MAX_JSON_DEPTH`, default 64): more is `400`. */
  readonly maxJsonDepth: number;
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
  /** Body limits; the defaults of the server settings when absent. */
  readonly limits?: IntakeLimits;
  readonly metrics: IntakeMetrics;
  readonly readiness: () => Promise<ReadinessReport>;
  /** The Prometheus exposition (`registry.metrics()` and its content type). */
  readonly metricsText: () => Promise<{ contentType: string; body: string }>;
  /** `METRICS_TOKEN`: `/metrics` on this (public) port needs it; without one it is not served. */
  readonly metricsToken: string | undefined;
  /** Where an accepted delivery is noted as the last event received of its kind. */
  readonly staleness: Pick<StalenessBoard, 'record'>;
  readonly logger: Logger;
  readonly now: () => Date;
}

const NOT_INTERESTED = "Thanks but we don't care about this event";

/**
 * Builds the HTTP application. `POST /api/webhooks/gitlab` checks, in this order and reading the
 * body only once the headers passed: `401` for a delivery from another instance or a bad token
 * (shared secret compared in constant time; a JWT's signature and expiry) — before a byte of the
 * body is read; `413` for a body over `limits.maxBodyBytes` (announced by `Content-Length`, or
 * counted while reading); `400` for a body that is not UTF-8, nests deeper than
 * `limits.maxJsonDepth`, or is not a JSON object; `401` for a JWT whose namespace (or project)
 * does not cover `project.path_with_namespace`; `202` "not interested" for events the bot
 * ignores; `400` for a payload without GitLab's shape or whose project fields disagree; and `202`
 * once the delivery is durably queued (or spooled, or recognised as a duplicate). Client input
 * never yields a `500`. `GET /healthz` is liveness, `GET /readyz` readiness, `GET /metrics`
 * Prometheus, only with the metrics token ({@link createOperationsApp}). An accepted delivery
 * is recorded on the staleness board as the last event received of its kind.
 *
 * @example
 * const app = createApp({ intake, secrets: { sharedSecrets: ['s3cret'] }, instanceUrl: 'https://gitlab.com', … });
 * const response = await app.request('/api/webhooks/gitlab', { method: 'POST', headers, body });
 */
export function createApp(deps: WebhookAppDeps): Hono {
  const { intake, secrets, metrics, logger } = deps;
  const limits = deps.limits ?? {
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  };
  const instanceOrigin = new URL(deps.instanceUrl).origin;
  const app = new Hono();

  app.route(
    '/',
    createOperationsApp({
      readiness: deps.readiness,
      metricsText: deps.metricsText,
      metricsToken: deps.metricsToken,
      dedicatedListener: false,
    }),
  );

  app.post(WEBHOOK_PATH, async (c) => {
    const started = performance.now();
    const eventName = c.req.header('x-gitlab-event') ?? '';
    const done = (outcome: Parameters<IntakeMetrics['delivery']>[1]): void =>
      metrics.delivery(eventName, outcome, (performance.now() - started) / 1000);

    // 1. Headers only: the instance and the token. A stranger's body is never read.
    const instanceHeader = c.req.header('x-gitlab-instance');
    if (instanceHeader !== undefined && originOf(instanceHeader) !== instanceOrigin) {
      done('unauthorized');
      logger.warn('delivery from an unknown GitLab instance refused', {
        instance: instanceHeader,
        remedy: `this server serves ${instanceOrigin}; point the hook of the other instance at its own srcgit`,
      });
      return c.text(`Deliveries from ${instanceHeader} are not accepted here.`, 401);
    }
    const authentication: WebhookTokenAuthentication =
      secrets === null
        ? { valid: true, scheme: 'shared-secret' }
        : await authenticateWebhookToken(c.req.header('x-gitlab-token'), secrets);
    if (!authentication.valid) {
      done('unauthorized');
      logger.warn('webhook token refused', {
        event: eventName,
        reason: authentication.reason,
        detail: authentication.message,
      });
      return c.text(authentication.message, 401);
    }

    // 2. The body, bounded in size, then in nesting depth, then parsed.
    const read = await readBoundedBody(c.req.raw, limits.maxBodyBytes);
    if (read.kind === 'too-large') {
      done('too_large');
      logger.warn('delivery body over the size limit refused', {
        event: eventName,
        announced: read.announced,
        limit: limits.maxBodyBytes,
        setting: 'SRCGIT_MAX_BODY_BYTES',
      });
      return c.text(
        `The delivery body is larger than ${limits.maxBodyBytes} bytes (limit: SRCGIT_MAX_BODY_BYTES).`,
        413,
      );
    }
    const parsedBody = parseDeliveryBody(read.bytes, limits.maxJsonDepth);
    if (!parsedBody.ok) {
      done('invalid');
      return c.text(parsedBody.message, 400);
    }
    const { body, text: raw } = parsedBody;

    // 3. A JWT must cover the project the event acts on.
    const verdict = bindWebhookToken(authentication, body);
    if (!verdict.valid) {
      done('unauthorized');
      logger.warn('webhook token refused for the payload project', {
        event: eventName,
        reason: verdict.reason,
        detail: verdict.message,
      });
      return c.text(verdict.message, 401);
    }

    // 4. GitLab's shape, one project throughout, and an event the bot handles.
    const parsed = parseGitLabWebhook({
      eventName,
      body,
      ...(deps.commandPrefix === undefined ? {} : { commandPrefix: deps.commandPrefix }),
    });
    if (parsed.kind === 'not-interested') {
      done('not_interested');
      logger.info('delivery ignored', { event: eventName, reason: parsed.reason });
      return c.json({ status: 'not-interested', message: NOT_INTERESTED, reason: parsed.reason }, 202);
    }
    if (parsed.kind === 'unusable') {
      // An authenticated delivery from GitLab that lacks a field a workflow needs: a 4xx would
      // make GitLab disable the hook, so it is answered 202 and logged, and nothing is queued.
      done('unusable');
      logger.warn('webhook payload unusable; ignored', { event: eventName, detail: parsed.message });
      return c.json({ status: 'unusable', reason: parsed.message }, 202);
    }
    if (parsed.kind === 'invalid') {
      done('invalid');
      logger.warn('webhook payload refused', { event: eventName, detail: parsed.message });
      return c.text(parsed.message, 400);
    }

    // 5. Dedupe and enqueue (or spool).
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
    deps.staleness.record({ signal: 'event-received', by: 'webhook-server', kind: parsed.event.kind });
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

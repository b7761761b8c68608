import { randomUUID } from 'node:crypto';
import type { BackgroundWork } from '../background-work';
import type { SimHook, SimProject } from '../sim-model';
import type { SimState } from '../sim-state';

/** Event kinds as hooks subscribe to them, with the `X-Gitlab-Event` name each is sent under. */
export const hookEventNames = {
  push: 'Push Hook',
  tag_push: 'Tag Push Hook',
  merge_request: 'Merge Request Hook',
  note: 'Note Hook',
  confidential_note: 'Confidential Note Hook',
  pipeline: 'Pipeline Hook',
} as const;

export type HookEventKind = keyof typeof hookEventNames;

const eventFlag: Readonly<Record<HookEventKind, keyof SimHook['events']>> = {
  push: 'push_events',
  tag_push: 'tag_push_events',
  merge_request: 'merge_requests_events',
  note: 'note_events',
  confidential_note: 'confidential_note_events',
  pipeline: 'pipeline_events',
};

/** One webhook request the simulator sent (or skipped), with the receiver's answer. */
export interface WebhookDelivery {
  readonly id: number;
  readonly hookId: number;
  readonly url: string;
  /** The `X-Gitlab-Event` header. */
  readonly event: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, parsed. */
  readonly payload: Record<string, unknown>;
  /** The JSON body exactly as sent. */
  readonly body: string;
  /** Receiver's HTTP status; `null` if it did not answer (see `error`) or the delivery was skipped. */
  status: number | null;
  responseBody: string | null;
  /** Network error or timeout. */
  error: string | null;
  /** Why the delivery was not attempted (the hook is disabled). */
  skipped: string | null;
  /** False while queued or in flight. */
  settled: boolean;
  /** Simulator clock when the event happened. */
  readonly createdAt: number;
}

export interface WebhookDispatcherOptions {
  readonly state: SimState;
  readonly background: BackgroundWork;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly instanceUrl: () => string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly autoDisable: boolean;
}

/** Consecutive failures after which GitLab disables a hook. */
const FAILURES_BEFORE_DISABLE = 4;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Delivers webhooks the way GitLab does: asynchronously after the triggering request, one request
 * per subscribed hook, with GitLab's headers; a hook that keeps failing is disabled (4xx
 * permanently, 5xx and timeouts temporarily with growing back-off).
 */
export class WebhookDispatcher {
  private readonly all: WebhookDelivery[] = [];
  private readonly queues = new Map<number, WebhookDelivery[]>();
  private readonly draining = new Set<number>();
  private readonly idempotencyKeys = new Map<number, string>();
  private nextId = 1;
  private held = false;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /** Stops sending: deliveries are recorded and queued per hook, unsent, until {@link release}. */
  hold(): void {
    this.held = true;
  }

  /** Sends every delivery held since {@link hold}, each hook's in order, and sends at once again. */
  release(): void {
    this.held = false;
    for (const [hookId, queue] of this.queues) {
      if (queue.length > 0 && !this.draining.has(hookId)) {
        this.draining.add(hookId);
        this.options.background.schedule(0, () => this.drain(hookId));
      }
    }
  }

  /**
   * Queues a delivery of the payload to every hook of `project` (and its groups) subscribed to
   * `kind`. The payload is built (once) only when some hook subscribes.
   */
  async fire(
    project: SimProject,
    kind: HookEventKind,
    payload: () => Promise<Record<string, unknown>>,
    eventUuid: string,
    filter?: { readonly branch?: string },
  ): Promise<void> {
    const hooks = this.options.state
      .hooksFor(project)
      .filter(
        (hook) =>
          hook.events[eventFlag[kind]] &&
          (filter?.branch === undefined || branchMatches(hook.pushEventsBranchFilter, filter.branch)),
      );
    if (hooks.length === 0) return;
    const body = await payload();
    for (const hook of hooks) this.enqueue(hook, hookEventNames[kind], body, eventUuid, randomUUID());
  }

  /** Sends a recorded delivery again, like "Resend request": same `Idempotency-Key`, new webhook UUID. */
  redeliver(deliveryId: number): WebhookDelivery {
    const original = this.all.find((delivery) => delivery.id === deliveryId);
    if (original === undefined) throw new Error(`no webhook delivery ${deliveryId}`);
    const hook = this.options.state.hooks.get(original.hookId);
    if (hook === undefined) throw new Error(`the hook of delivery ${deliveryId} was removed`);
    const key = this.idempotencyKeys.get(original.id) ?? randomUUID();
    return this.enqueue(
      hook,
      original.event,
      original.payload,
      original.headers['X-Gitlab-Event-UUID'] ?? '',
      key,
    );
  }

  deliveries(): readonly WebhookDelivery[] {
    return this.all;
  }

  private enqueue(
    hook: SimHook,
    event: string,
    payload: Record<string, unknown>,
    eventUuid: string,
    idempotencyKey: string,
  ): WebhookDelivery {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': this.options.userAgent,
      'X-Gitlab-Event': event,
      'X-Gitlab-Webhook-UUID': randomUUID(),
      'X-Gitlab-Event-UUID': eventUuid,
      'X-Gitlab-Instance': this.options.instanceUrl(),
      'Idempotency-Key': idempotencyKey,
    };
    if (hook.token !== '') headers['X-Gitlab-Token'] = hook.token;
    const delivery: WebhookDelivery = {
      id: this.nextId++,
      hookId: hook.id,
      url: hook.url,
      event,
      headers,
      payload: JSON.parse(body) as Record<string, unknown>,
      body,
      status: null,
      responseBody: null,
      error: null,
      skipped: null,
      settled: false,
      createdAt: this.options.now(),
    };
    this.idempotencyKeys.set(delivery.id, idempotencyKey);
    this.all.push(delivery);
    const queue = this.queues.get(hook.id) ?? [];
    queue.push(delivery);
    this.queues.set(hook.id, queue);
    if (!this.held && !this.draining.has(hook.id)) {
      this.draining.add(hook.id);
      this.options.background.schedule(0, () => this.drain(hook.id));
    }
    return delivery;
  }

  /** Delivers a hook's queue in order, one request at a time. */
  private async drain(hookId: number): Promise<void> {
    try {
      const queue = this.queues.get(hookId) ?? [];
      for (
        let delivery = queue.shift();
        delivery !== undefined;
        delivery = this.held ? undefined : queue.shift()
      ) {
        await this.deliver(delivery);
      }
    } finally {
      this.draining.delete(hookId);
    }
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const hook = this.options.state.hooks.get(delivery.hookId);
    const now = this.options.now();
    if (hook === undefined) {
      delivery.skipped = 'hook removed';
    } else if (hook.alertStatus === 'disabled') {
      delivery.skipped = 'hook disabled';
    } else if (
      hook.alertStatus === 'temporarily_disabled' &&
      hook.disabledUntil !== null &&
      now < hook.disabledUntil
    ) {
      delivery.skipped = 'hook temporarily disabled';
    } else {
      try {
        const response = await this.options.fetch(delivery.url, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        delivery.status = response.status;
        delivery.responseBody = await response.text();
      } catch (error) {
        delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      this.recordOutcome(hook, delivery);
    }
    delivery.settled = true;
  }

  private recordOutcome(hook: SimHook, delivery: WebhookDelivery): void {
    const ok = delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
    if (ok) {
      hook.recentFailures = 0;
      hook.alertStatus = 'executable';
      hook.disabledUntil = null;
      return;
    }
    hook.recentFailures += 1;
    if (!this.options.autoDisable || hook.recentFailures < FAILURES_BEFORE_DISABLE) return;
    const clientError = delivery.status !== null && delivery.status >= 400 && delivery.status < 500;
    if (clientError) {
      hook.alertStatus = 'disabled';
      hook.disabledUntil = null;
    } else {
      const backoff = Math.min(MINUTE * 2 ** (hook.recentFailures - FAILURES_BEFORE_DISABLE), DAY);
      hook.alertStatus = 'temporarily_disabled';
      hook.disabledUntil = this.options.now() + backoff;
    }
  }
}

/** GitLab's wildcard branch filter (`*` matches anything, empty filter matches all branches). */
function branchMatches(filter: string, branch: string): boolean {
  if (filter === '') return true;
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(branch);
}

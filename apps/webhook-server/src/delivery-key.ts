/**
 * @module
 * The key that identifies one webhook delivery, for deduplication.
 */
import { createHash } from 'node:crypto';

/** Where a {@link DeliveryKey} came from. */
export type DeliveryKeySource = 'idempotency-key' | 'webhook-uuid' | 'body-hash';

/** The dedupe key of a delivery and where it came from. */
export interface DeliveryKey {
  readonly key: string;
  readonly source: DeliveryKeySource;
}

/** The headers the key is taken from (a `Headers` or anything with `get`). */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The delivery's dedupe key: GitLab's `Idempotency-Key` (the same when a delivery is re-sent),
 * else `X-Gitlab-Webhook-UUID` (unique per delivery), else the sha256 of the event name and the
 * raw body, so that even an old GitLab's re-sent delivery is recognised.
 *
 * @example
 * deliveryKey(c.req.raw.headers, 'Merge Request Hook', rawBody) // → { key: '6a0e…', source: 'idempotency-key' }
 */
export function deliveryKey(headers: HeaderReader, eventName: string, rawBody: string): DeliveryKey {
  const idempotencyKey = headers.get('idempotency-key')?.trim();
  if (idempotencyKey !== undefined && idempotencyKey !== '') {
    return { key: idempotencyKey, source: 'idempotency-key' };
  }
  const uuid = headers.get('x-gitlab-webhook-uuid')?.trim();
  if (uuid !== undefined && uuid !== '') return { key: uuid, source: 'webhook-uuid' };
  return { key: sha256(`${eventName}\n${rawBody}`), source: 'body-hash' };
}

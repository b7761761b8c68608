/**
 * @module
 * BullMQ job ids derived from delivery keys.
 */
import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * A BullMQ job id for a delivery key. BullMQ rejects custom ids that are integer strings or
 * contain `:`; delivery keys come from request headers, so anything unusual (or long) is hashed.
 * The id is deterministic, which makes BullMQ's own "job id exists" check a second dedupe layer.
 *
 * @example
 * toJobId('7d5c1a0e-…') // → 'd-7d5c1a0e-…'
 */
export function toJobId(deliveryKey: string): string {
  if (SAFE.test(deliveryKey)) return `d-${deliveryKey}`;
  return `h-${createHash('sha256').update(deliveryKey).digest('hex')}`;
}

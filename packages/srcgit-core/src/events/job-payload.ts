/**
 * @module
 * What the webhook server enqueues and the worker dequeues: one domain event plus where and when
 * it was received.
 */
import { z } from 'zod';
import { CoreError } from '../core-error';
import { describeZodIssues } from './describe-zod-issues';
import { domainEventSchema } from './domain-event';
import type { DomainEvent } from './domain-event';

/**
 * The version of the job payload format servers enqueue; bumped on incompatible changes. Version 2
 * added `receivedBy`.
 */
export const JOB_PAYLOAD_VERSION = 2;

/**
 * The previous version, which workers still accept (upgraded by {@link parseJobPayload}): during a
 * rolling upgrade — workers first, then servers — old servers keep enqueueing it.
 */
export const PREVIOUS_JOB_PAYLOAD_VERSION = 1;

/**
 * A queued job. `deliveryId` identifies the webhook delivery (GitLab's `Idempotency-Key`, else
 * `X-Gitlab-Webhook-UUID`, else a hash of the body) and is the dedupe key; `receivedAt` is an
 * ISO-8601 timestamp; `instance` is the forge's base URL the delivery came from; `receivedBy`
 * names the webhook server process that accepted it (`<hostname>-<pid>`; `unknown` in a job
 * upgraded from version 1). JSON-serialisable.
 */
export const jobPayloadSchema = z.object({
  version: z.literal(JOB_PAYLOAD_VERSION),
  deliveryId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  instance: z.string().min(1),
  receivedBy: z.string().min(1),
  event: domainEventSchema,
});
export type JobPayload = z.infer<typeof jobPayloadSchema>;

/**
 * Builds a job payload, validating the event and stamping the version.
 *
 * @throws {CoreError} `JOB_INVALID` when a field is malformed.
 * @example
 * const job = createJobPayload({ deliveryId, receivedAt: now(), instance: 'https://gitlab.com', event });
 * await queue.add(event.kind, job, { jobId: deliveryId });
 */
export function createJobPayload(input: {
  deliveryId: string;
  receivedAt: Date | string;
  instance: string;
  receivedBy: string;
  event: DomainEvent;
}): JobPayload {
  const receivedAt = typeof input.receivedAt === 'string' ? input.receivedAt : input.receivedAt.toISOString();
  return parseJobPayload({ version: JOB_PAYLOAD_VERSION, ...input, receivedAt });
}

/**
 * Validates a dequeued job's data, of the current or the previous version; a previous-version
 * job is upgraded to the current format.
 *
 * @throws {CoreError} `JOB_INVALID`, naming the first offending field (an unknown version: the
 *   versions accepted).
 */
export function parseJobPayload(value: unknown): JobPayload {
  const result = jobPayloadSchema.safeParse(upgradePreviousVersion(value));
  if (result.success) return result.data;
  throw new CoreError('JOB_INVALID', `Invalid job payload: ${describeZodIssues(result.error)}`, {
    data: {
      issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    },
  });
}

/** A version-1 payload as version 2 (it lacked `receivedBy`); anything else unchanged. */
function upgradePreviousVersion(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (record['version'] !== PREVIOUS_JOB_PAYLOAD_VERSION) return value;
  return { ...record, version: JOB_PAYLOAD_VERSION, receivedBy: 'unknown' };
}

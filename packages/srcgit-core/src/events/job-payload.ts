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

/** The version of the job payload format; bumped on incompatible changes. */
export const JOB_PAYLOAD_VERSION = 1;

/**
 * A queued job. `deliveryId` identifies the webhook delivery (GitLab's `Idempotency-Key`, else
 * `X-Gitlab-Webhook-UUID`, else a hash of the body) and is the dedupe key; `receivedAt` is an
 * ISO-8601 timestamp; `instance` is the forge's base URL the delivery came from. JSON-serialisable.
 */
export const jobPayloadSchema = z.object({
  version: z.literal(JOB_PAYLOAD_VERSION),
  deliveryId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  instance: z.string().min(1),
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
  event: DomainEvent;
}): JobPayload {
  const receivedAt = typeof input.receivedAt === 'string' ? input.receivedAt : input.receivedAt.toISOString();
  return parseJobPayload({ version: JOB_PAYLOAD_VERSION, ...input, receivedAt });
}

/**
 * Validates a dequeued job's data.
 *
 * @throws {CoreError} `JOB_INVALID`, naming the first offending field.
 */
export function parseJobPayload(value: unknown): JobPayload {
  const result = jobPayloadSchema.safeParse(value);
  if (result.success) return result.data;
  throw new CoreError('JOB_INVALID', `Invalid job payload: ${describeZodIssues(result.error)}`, {
    data: {
      issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    },
  });
}

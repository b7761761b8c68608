/**
 * @module
 * The union of every event the bot's workflows react to, and its validating parser.
 */
import { z } from 'zod';
import { CoreError } from '../core-error';
import { describeZodIssues } from './describe-zod-issues';
import { commentCommandIssuedSchema } from './comment-command-event';
import { distGitMrPipelineChangedSchema } from './dist-git-pipeline-event';
import { distGitPushedSchema } from './dist-git-push-event';
import {
  sourceGitMrClosedSchema,
  sourceGitMrMergedSchema,
  sourceGitMrOpenedSchema,
  sourceGitMrReopenedSchema,
  sourceGitMrUpdatedSchema,
} from './source-git-mr-event';

/** Every domain event, discriminated by `kind`. Plain JSON data: safe to queue and log. */
export const domainEventSchema = z.discriminatedUnion('kind', [
  sourceGitMrOpenedSchema,
  sourceGitMrUpdatedSchema,
  sourceGitMrClosedSchema,
  sourceGitMrReopenedSchema,
  sourceGitMrMergedSchema,
  distGitMrPipelineChangedSchema,
  distGitPushedSchema,
  commentCommandIssuedSchema,
]);
export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventKind = DomainEvent['kind'];

/**
 * Validates untrusted data (e.g. a queued job) as a {@link DomainEvent}.
 *
 * @throws {CoreError} `EVENT_INVALID`, naming the first offending field.
 * @example
 * const event = parseDomainEvent(JSON.parse(text));
 * if (event.kind === 'source-git-mr-updated' && event.oldrev !== null) resync(event);
 */
export function parseDomainEvent(value: unknown): DomainEvent {
  const result = domainEventSchema.safeParse(value);
  if (result.success) return result.data;
  throw new CoreError('EVENT_INVALID', `Invalid domain event: ${describeZodIssues(result.error)}`, {
    data: {
      issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    },
  });
}

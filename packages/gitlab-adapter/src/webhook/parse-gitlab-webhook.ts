/**
 * @module
 * Validates a GitLab webhook delivery and maps it onto `@srcgit/core`'s domain events.
 */
import type { z } from 'zod';
import { mergeRequestHookSchema } from '../schemas/merge-request-hook';
import { noteHookSchema } from '../schemas/note-hook';
import { pipelineHookSchema } from '../schemas/pipeline-hook';
import { pushHookSchema } from '../schemas/push-hook';
import { mergeRequestHookToEvent } from './merge-request-hook-to-event';
import { noteHookToEvent } from './note-hook-to-event';
import { pipelineHookToEvent } from './pipeline-hook-to-event';
import { pushHookToEvent } from './push-hook-to-event';
import type { WebhookParseResult } from './webhook-parse-result';
import { webhookProjectDisagreement } from './webhook-project-disagreement';

/** Input of {@link parseGitLabWebhook}. */
export interface GitLabWebhookDelivery {
  /** The `X-Gitlab-Event` header, e.g. `Merge Request Hook`. */
  eventName: string | null | undefined;
  /** The JSON-parsed request body. */
  body: unknown;
  /**
   * The comment command prefix (e.g. `/packit`). When given, MR comments without a command are
   * "not interested", so they are never queued.
   */
  commandPrefix?: string;
}

function unusable(eventName: string, error: z.ZodError): WebhookParseResult {
  const issues = error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return { kind: 'unusable', message: `${eventName} payload: ${shown}${more}`, issues };
}

function validate<T>(
  schema: z.ZodType<T>,
  eventName: string,
  body: unknown,
  map: (value: T) => WebhookParseResult,
): WebhookParseResult {
  const parsed = schema.safeParse(body);
  return parsed.success ? map(parsed.data) : unusable(eventName, parsed.error);
}

/**
 * A delivery that maps to an event must not contradict itself about its project: "invalid",
 * naming the field, when one does (see `webhookProjectDisagreement`).
 */
function consistent(eventName: string, body: unknown, result: WebhookParseResult): WebhookParseResult {
  if (result.kind !== 'event') return result;
  const disagreement = webhookProjectDisagreement(eventName, body);
  if (disagreement === null) return result;
  return {
    kind: 'invalid',
    message: `${eventName} payload: ${disagreement.path}: ${disagreement.message} (the project fields must agree)`,
    issues: [disagreement],
  };
}

/**
 * Turns a delivery into a domain event, "not interested" (a valid delivery the bot ignores: tag
 * pushes, job and issue hooks, comments on commits or issues, approvals, …), "unusable" (a field
 * a workflow needs is missing or has another type; the message names it) or "invalid". Only what
 * a workflow needs is required: what GitLab may omit is derived (a merge request's `url` from
 * the project's `web_url` and the `iid`) and unknown fields are accepted, so the payloads of older
 * and newer GitLab versions — and the examples GitLab documents — parse.
 * A delivery that would become an event but whose project fields disagree with each other (URLs,
 * ids and paths of `project`, `repository`, the merge request's target) is "invalid": the event
 * acts on `project.path_with_namespace` and `project.id`, so they must be one project.
 *
 * @example
 * const result = parseGitLabWebhook({ eventName: headers['x-gitlab-event'], body: JSON.parse(raw) });
 * if (result.kind === 'event') await queue.add(result.event.kind, createJobPayload({ ..., event: result.event }));
 * else if (result.kind === 'invalid') return c.text(result.message, 400);
 * else if (result.kind === 'unusable') logger.warn('unusable delivery', { detail: result.message }); // and answer 202
 */
export function parseGitLabWebhook(delivery: GitLabWebhookDelivery): WebhookParseResult {
  const { eventName, body } = delivery;
  return typeof eventName === 'string' ? consistent(eventName, body, classify(delivery)) : classify(delivery);
}

function classify(delivery: GitLabWebhookDelivery): WebhookParseResult {
  const { eventName, body } = delivery;
  switch (eventName) {
    case 'Merge Request Hook':
      return validate(mergeRequestHookSchema, eventName, body, mergeRequestHookToEvent);
    case 'Pipeline Hook':
      return validate(pipelineHookSchema, eventName, body, pipelineHookToEvent);
    case 'Push Hook':
      return validate(pushHookSchema, eventName, body, pushHookToEvent);
    case 'Note Hook':
      return validate(noteHookSchema, eventName, body, (hook) =>
        noteHookToEvent(hook, delivery.commandPrefix),
      );
    case null:
    case undefined:
    case '':
      return { kind: 'not-interested', reason: 'no X-Gitlab-Event header' };
    default:
      return { kind: 'not-interested', reason: `the bot does not handle "${eventName}" events` };
  }
}

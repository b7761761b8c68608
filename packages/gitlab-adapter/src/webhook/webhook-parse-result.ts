/**
 * @module
 * What `parseGitLabWebhook` returns.
 */
import type { DomainEvent } from '@srcgit/core';

/**
 * - `event`: a domain event the workflows react to;
 * - `not-interested`: a valid delivery the bot ignores (answer 202, do not enqueue), with why;
 * - `invalid`: the payload does not have the shape GitLab documents; `message` names the field.
 */
export type WebhookParseResult =
  | { kind: 'event'; event: DomainEvent }
  | { kind: 'not-interested'; reason: string }
  | { kind: 'invalid'; message: string; issues: { path: string; message: string }[] };

/**
 * @module
 * What `parseGitLabWebhook` returns.
 */
import type { DomainEvent } from '@srcgit/core';

/**
 * - `event`: a domain event the workflows react to;
 * - `not-interested`: a valid delivery the bot ignores (answer 202, do not enqueue), with why;
 * - `unusable`: the payload lacks a field a workflow needs (or has one of another type) — what an
 *   older or newer GitLab may send: answer 202, log `message` (it names the field), enqueue nothing;
 * - `invalid`: the payload contradicts itself about its project, which GitLab never does (it fills
 *   all project fields from one record): a forged payload; `message` names the field.
 */
export type WebhookParseResult =
  | { kind: 'event'; event: DomainEvent }
  | { kind: 'not-interested'; reason: string }
  | { kind: 'unusable'; message: string; issues: { path: string; message: string }[] }
  | { kind: 'invalid'; message: string; issues: { path: string; message: string }[] };

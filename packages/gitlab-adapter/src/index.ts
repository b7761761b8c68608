/**
 * @module
 * `@srcgit/gitlab-adapter`: GitLab behind `@srcgit/core`'s `Forge` port, on gitbeaker's resource
 * classes (`@gitbeaker/core`) and srcgit's own transport, with webhook token verification and
 * payload validation.
 */
export { GitLabError } from './gitlab-error';
export type { GitLabErrorKind } from './gitlab-error';

// Webhooks: token verification and payload validation into core's domain events.
export { verifyWebhookToken } from './webhook/verify-webhook-token';
export { authenticateWebhookToken } from './webhook/authenticate-webhook-token';
export { bindWebhookToken } from './webhook/bind-webhook-token';
export type {
  PackitTokenClaims,
  WebhookSecrets,
  WebhookTokenAuthentication,
  WebhookTokenFailure,
  WebhookTokenRejection,
  WebhookTokenVerdict,
} from './webhook/webhook-token-verdict';
export { constantTimeEqual } from './webhook/constant-time-equal';
export { webhookProjectPath } from './webhook/webhook-project-path';
export { webhookProjectDisagreement } from './webhook/webhook-project-disagreement';
export type { WebhookProjectDisagreement } from './webhook/webhook-project-disagreement';
export { parseGitLabWebhook } from './webhook/parse-gitlab-webhook';
export type { GitLabWebhookDelivery } from './webhook/parse-gitlab-webhook';
export type { WebhookParseResult } from './webhook/webhook-parse-result';

// The Forge port on GitLab.
export { createGitLabForge } from './forge/create-gitlab-forge';
export type { GitLabForgeOptions } from './forge/create-gitlab-forge';
export type { GitLabLogger } from './client/create-request-handler';
export type { RetryOptions } from './client/retry-options';
export { createRequestMeter } from './client/create-request-meter';
export type { RequestMeter, ResponseObserver } from './client/create-request-meter';

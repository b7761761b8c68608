/**
 * @module
 * What checking a webhook delivery's `X-Gitlab-Token` can conclude.
 */

/** The secrets a delivery's token is checked against. Configure at least one. */
export interface WebhookSecrets {
  /** Plain shared secrets (the hook's "Secret token"), compared in constant time. */
  sharedSecrets?: readonly string[];
  /**
   * The HS256 key packit-service signed hook tokens with (`gitlab_token_secret`), so hooks set up
   * for packit keep working. Tokens carry `namespace` and optionally `repo_name` claims.
   */
  jwtSecret?: string;
}

/** Why a token was rejected. */
export type WebhookTokenFailure =
  | 'missing-token'
  | 'no-secrets-configured'
  | 'mismatch'
  | 'malformed-jwt'
  | 'bad-signature'
  | 'missing-claims'
  | 'unknown-project'
  | 'wrong-namespace'
  | 'wrong-repo';

/** A refused token, with why and a message that says what to fix. */
export interface WebhookTokenRejection {
  valid: false;
  reason: WebhookTokenFailure;
  message: string;
}

/**
 * The claims of a packit JWT whose signature (and expiry, when it has one) was verified. They
 * still have to be bound to the payload's project ({@link WebhookTokenVerdict}).
 */
export interface PackitTokenClaims {
  /** The namespace the token was minted for (every path segment of a project but the last). */
  namespace: string;
  /** The one project of `namespace` the token covers, or `null` for the whole namespace. */
  repoName: string | null;
}

/**
 * What the headers alone establish (`authenticateWebhookToken`): a matching shared secret, a
 * genuine packit JWT whose claims are not yet bound to a project, or a rejection.
 */
export type WebhookTokenAuthentication =
  | { valid: true; scheme: 'shared-secret' }
  | { valid: true; scheme: 'jwt-unbound'; claims: PackitTokenClaims }
  | WebhookTokenRejection;

/**
 * The final verdict on a delivery's token: a shared secret, or a JWT whose claims cover the
 * project the payload acts on (`project.path_with_namespace`), or a rejection.
 */
export type WebhookTokenVerdict =
  | { valid: true; scheme: 'shared-secret' }
  | { valid: true; scheme: 'jwt'; namespace: string; repoName: string | null }
  | WebhookTokenRejection;

/** A rejection with its reason and message. */
export function rejectWebhookToken(reason: WebhookTokenFailure, message: string): WebhookTokenRejection {
  return { valid: false, reason, message };
}

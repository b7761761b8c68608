/**
 * @module
 * Verifies the `X-Gitlab-Token` header of a webhook delivery.
 */
import { errors, jwtVerify } from 'jose';
import { constantTimeEqual } from './constant-time-equal';
import { webhookProjectPath } from './webhook-project-path';

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

/** The verdict of {@link verifyWebhookToken}. */
export type WebhookTokenVerdict =
  | { valid: true; scheme: 'shared-secret' }
  | { valid: true; scheme: 'jwt'; namespace: string; repoName: string | null }
  | { valid: false; reason: WebhookTokenFailure; message: string };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function reject(reason: WebhookTokenFailure, message: string): WebhookTokenVerdict {
  return { valid: false, reason, message };
}

async function verifyJwt(token: string, secret: string, body: unknown): Promise<WebhookTokenVerdict> {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return reject('bad-signature', 'X-Gitlab-Token is a JWT not signed with the configured secret.');
    }
    const detail = error instanceof Error ? error.message : String(error);
    return reject('malformed-jwt', `Can't decode X-Gitlab-Token as an HS256 JWT (${detail}).`);
  }
  const { namespace, repo_name: repoName } = claims;
  if (typeof namespace !== 'string' || (repoName !== undefined && typeof repoName !== 'string')) {
    return reject('missing-claims', 'X-Gitlab-Token JWT lacks a string "namespace" claim.');
  }
  const path = webhookProjectPath(body);
  if (path === null) {
    return reject('unknown-project', 'The payload names no project to check the X-Gitlab-Token JWT against.');
  }
  const slash = path.lastIndexOf('/');
  const [payloadNamespace, payloadRepo] = [path.slice(0, slash), path.slice(slash + 1)];
  if (namespace !== payloadNamespace) {
    return reject(
      'wrong-namespace',
      `X-Gitlab-Token was issued for namespace "${namespace}", the payload is from "${payloadNamespace}"; ` +
        'mint a token for that namespace and set it as the hook secret.',
    );
  }
  if (repoName !== undefined && repoName !== payloadRepo) {
    return reject(
      'wrong-repo',
      `X-Gitlab-Token was issued for project "${namespace}/${repoName}", the payload is from "${path}".`,
    );
  }
  return { valid: true, scheme: 'jwt', namespace, repoName: repoName ?? null };
}

/**
 * Checks a delivery's `X-Gitlab-Token` against the configured secrets: first every shared secret
 * (all compared in constant time, no early exit), then — if a JWT secret is configured and the
 * token looks like a JWT — as a packit HS256 token whose `namespace` (and `repo_name`, if present)
 * must equal those of the payload's project (namespace = every path segment but the last, exactly;
 * a group token does not cover sub-groups). `body` is the parsed payload, needed for JWTs only.
 *
 * @example
 * const verdict = await verifyWebhookToken(c.req.header('x-gitlab-token'), { sharedSecrets: [secret] }, body);
 * if (!verdict.valid) return c.text(verdict.message, 401);
 */
export async function verifyWebhookToken(
  token: string | null | undefined,
  secrets: WebhookSecrets,
  body?: unknown,
): Promise<WebhookTokenVerdict> {
  const shared = secrets.sharedSecrets ?? [];
  const jwtSecret = secrets.jwtSecret;
  if (shared.length === 0 && (jwtSecret === undefined || jwtSecret === '')) {
    return reject('no-secrets-configured', 'No webhook secret is configured, so no token can be accepted.');
  }
  if (token === null || token === undefined || token === '') {
    return reject(
      'missing-token',
      'The delivery has no X-Gitlab-Token header; set the secret token on the hook.',
    );
  }
  let matched = false;
  for (const secret of shared) {
    // The comparison runs before the `||`, so every secret is compared whatever matched before.
    matched = constantTimeEqual(token, secret) || matched;
  }
  if (matched) return { valid: true, scheme: 'shared-secret' };
  if (jwtSecret !== undefined && jwtSecret !== '' && JWT_SHAPE.test(token)) {
    return verifyJwt(token, jwtSecret, body);
  }
  return reject('mismatch', 'X-Gitlab-Token matches no configured webhook secret.');
}

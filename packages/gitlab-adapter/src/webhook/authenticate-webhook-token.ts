/**
 * @module
 * The part of the `X-Gitlab-Token` check that needs the headers only, so it runs before the body
 * is read.
 */
import { errors, jwtVerify } from 'jose';
import { constantTimeEqual } from './constant-time-equal';
import { rejectWebhookToken as reject } from './webhook-token-verdict';
import type { WebhookSecrets, WebhookTokenAuthentication } from './webhook-token-verdict';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

async function verifyJwtSignature(token: string, secret: string): Promise<WebhookTokenAuthentication> {
  let claims: Record<string, unknown>;
  try {
    // Checks the signature, the algorithm, and `exp`/`nbf` when the token carries them.
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
  return { valid: true, scheme: 'jwt-unbound', claims: { namespace, repoName: repoName ?? null } };
}

/**
 * Checks a delivery's `X-Gitlab-Token` from the headers alone: first every shared secret (all
 * compared in constant time, no early exit), then — if a JWT secret is configured and the token
 * looks like a JWT — the signature (HS256 only) and expiry of a packit token. A JWT's claims are
 * returned unbound (`jwt-unbound`): `bindWebhookToken` must check them against the payload
 * before the delivery is trusted. Run it before reading the body, so a stranger's body is never
 * read.
 *
 * @example
 * const authentication = await authenticateWebhookToken(c.req.header('x-gitlab-token'), secrets);
 * if (!authentication.valid) return c.text(authentication.message, 401);
 * // … read and parse the body, then:
 * const verdict = bindWebhookToken(authentication, body);
 */
export async function authenticateWebhookToken(
  token: string | null | undefined,
  secrets: WebhookSecrets,
): Promise<WebhookTokenAuthentication> {
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
    return verifyJwtSignature(token, jwtSecret);
  }
  return reject('mismatch', 'X-Gitlab-Token matches no configured webhook secret.');
}

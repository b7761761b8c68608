/**
 * @module
 * Verifies the `X-Gitlab-Token` header of a webhook delivery against its parsed payload.
 */
import { authenticateWebhookToken } from './authenticate-webhook-token';
import { bindWebhookToken } from './bind-webhook-token';
import type { WebhookSecrets, WebhookTokenVerdict } from './webhook-token-verdict';

/**
 * Checks a delivery's `X-Gitlab-Token` in one step: `authenticateWebhookToken` (shared secrets in
 * constant time, a packit JWT's signature) then `bindWebhookToken` (the JWT's `namespace` and
 * `repo_name` must cover `project.path_with_namespace`). `body` is the parsed payload, needed for
 * JWTs only. A server should rather call the two steps itself, the first before reading the body.
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
  return bindWebhookToken(await authenticateWebhookToken(token, secrets), body);
}

/**
 * @module
 * Binds a packit JWT's claims to the project a webhook payload acts on.
 */
import { webhookProjectPath } from './webhook-project-path';
import { rejectWebhookToken as reject } from './webhook-token-verdict';
import type { WebhookTokenAuthentication, WebhookTokenVerdict } from './webhook-token-verdict';

/**
 * Turns an authentication into the final verdict. A shared secret stands as it is; a JWT's
 * `namespace` (and `repo_name`, if present) must equal those of `project.path_with_namespace` —
 * the project the workflows act on, not a URL field a forger could set apart from it (namespace =
 * every path segment but the last, exactly: a group token does not cover sub-groups). That the
 * payload's other project fields agree with that path is `parseGitLabWebhook`'s check.
 *
 * @example
 * const verdict = bindWebhookToken(authentication, body);
 * if (!verdict.valid) return c.text(verdict.message, 401);
 */
export function bindWebhookToken(
  authentication: WebhookTokenAuthentication,
  body: unknown,
): WebhookTokenVerdict {
  if (!authentication.valid || authentication.scheme === 'shared-secret') return authentication;
  const { namespace, repoName } = authentication.claims;
  const path = webhookProjectPath(body);
  if (path === null) {
    return reject(
      'unknown-project',
      'The payload has no project.path_with_namespace to check the X-Gitlab-Token JWT against.',
    );
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
  if (repoName !== null && repoName !== payloadRepo) {
    return reject(
      'wrong-repo',
      `X-Gitlab-Token was issued for project "${namespace}/${repoName}", the payload is from "${path}".`,
    );
  }
  return { valid: true, scheme: 'jwt', namespace, repoName };
}

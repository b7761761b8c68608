/**
 * @module
 * Which project a webhook payload acts on.
 */

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The full path (`namespace/…/repo`) of the payload's project: `project.path_with_namespace`, the
 * field the workflows act on (URL fields are not read: they could disagree with it, see
 * `parseGitLabWebhook`). `null` when the payload names no project path with a namespace.
 *
 * @example
 * webhookProjectPath({ project: { path_with_namespace: 'redhat/rpms/bash' } }) // → 'redhat/rpms/bash'
 */
export function webhookProjectPath(body: unknown): string | null {
  const path = field(field(body, 'project'), 'path_with_namespace');
  return typeof path === 'string' && path.includes('/') && !path.startsWith('/') && !path.endsWith('/')
    ? path
    : null;
}

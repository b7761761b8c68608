/**
 * @module
 * Which project a webhook payload claims to come from, as packit derived it.
 */

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The full path (`namespace/…/repo`) of the payload's `project`: from `git_http_url`, else
 * `http_url`, else `web_url` (as packit-service did), else `path_with_namespace`. `null` when the
 * payload names no project.
 */
export function webhookProjectPath(body: unknown): string | null {
  const project = field(body, 'project');
  for (const key of ['git_http_url', 'http_url', 'web_url']) {
    const url = field(project, key);
    if (typeof url !== 'string') continue;
    try {
      const path = new URL(url).pathname
        .replace(/^\/+/, '')
        .replace(/\/+$/, '')
        .replace(/\.git$/, '');
      if (path.includes('/')) return path;
    } catch {
      // not a URL: try the next field
    }
  }
  const path = field(project, 'path_with_namespace');
  return typeof path === 'string' && path.includes('/') ? path : null;
}

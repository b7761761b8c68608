/**
 * @module
 * The environment a conversion child process gets: an allow-list, never the worker's secrets.
 */

/**
 * The variables a conversion needs: where git and temporary files are, the locale and the time
 * zone. Everything else — `GITLAB_TOKEN`, `WEBHOOK_SECRET`, `REDIS_URL`, `NODE_OPTIONS`, every
 * `GIT_*` variable (the bot identity is set explicitly) — stays in the worker.
 */
export const CONVERSION_CHILD_ENV_ALLOW_LIST: readonly string[] = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TZ',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
];

/** The allow-listed part of `env` ({@link CONVERSION_CHILD_ENV_ALLOW_LIST}), for a conversion child. */
export function conversionChildEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const childEnv: Record<string, string> = {};
  for (const name of CONVERSION_CHILD_ENV_ALLOW_LIST) {
    const value = env[name];
    if (value !== undefined) childEnv[name] = value;
  }
  return childEnv;
}

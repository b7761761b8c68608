/**
 * @module
 * Keeps credentials out of git's command line, its configuration files and its messages.
 */

/** A remote URL without credentials, and the environment that gives them to git. */
export interface RemoteAccess {
  /** The URL with user and password removed: safe to show. */
  readonly url: string;
  /** `GIT_CONFIG_*` variables setting an `Authorization` header for this git process only. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Splits `https://user:secret@host/path.git` into the bare URL and a one-process git
 * configuration (`http.extraHeader: Authorization: Basic …`, through `GIT_CONFIG_COUNT`), so the
 * secret never appears in arguments (which error messages and `ps` show) or in `.git/config`.
 * URLs without a password (and non-HTTP URLs) pass through with no extra environment.
 */
export function remoteAccess(remoteUrl: string): RemoteAccess {
  let parsed: URL;
  try {
    parsed = new URL(remoteUrl);
  } catch {
    return { url: remoteUrl, env: {} };
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.password === '') return { url: remoteUrl, env: {} };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const basic = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return {
    url: parsed.toString(),
    env: {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    },
  };
}

/**
 * @module
 * The only place the webhook server reads its environment: core's service configuration (env
 * variables, optionally a YAML file named by `SRCGIT_CONFIG`) and the server's own settings.
 * Secrets may be given as `<NAME>_FILE` (`WEBHOOK_SECRET_FILE`, `GITLAB_TOKEN_SECRET_FILE`, …), read
 * by `parseServiceConfig`.
 */
import { readFileSync } from 'node:fs';
import { parseServiceConfig } from '@srcgit/core';
import type { ServiceConfig } from '@srcgit/core';
import { parseServerSettings } from './server-settings';
import type { ServerSettings } from './server-settings';

/** Everything the server is configured with. */
export interface ServerEnv {
  readonly config: ServiceConfig;
  readonly settings: ServerSettings;
}

/**
 * Reads and validates the configuration.
 *
 * @throws {CoreError} `CONFIG_INVALID` naming the wrong setting.
 */
export function readServerEnv(env: Readonly<Record<string, string | undefined>> = process.env): ServerEnv {
  const yamlPath = env['SRCGIT_CONFIG'];
  const yamlText = yamlPath === undefined || yamlPath === '' ? undefined : readFileSync(yamlPath, 'utf8');
  return {
    config: parseServiceConfig(env, yamlText, yamlPath === undefined ? {} : { yamlPath }),
    settings: parseServerSettings(env),
  };
}

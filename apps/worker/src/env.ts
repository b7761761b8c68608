/**
 * @module
 * The only place the worker reads its environment: core's service configuration (env variables,
 * optionally a YAML file named by `SRCGIT_CONFIG`) and the worker's own settings.
 * Secrets may be given as `<NAME>_FILE` (`GITLAB_TOKEN_FILE`, `WEBHOOK_SECRET_FILE`, …), read by
 * `parseServiceConfig`; git processes never see them (the git runner's allow-listed environment).
 */
import { readFileSync } from 'node:fs';
import { parseServiceConfig } from '@srcgit/core';
import type { ServiceConfig } from '@srcgit/core';
import { parseWorkerSettings } from './worker-settings';
import type { WorkerSettings } from './worker-settings';

/** Everything the worker is configured with. */
export interface WorkerEnv {
  readonly config: ServiceConfig;
  readonly settings: WorkerSettings;
}

/**
 * Reads and validates the configuration.
 *
 * @throws {CoreError} `CONFIG_INVALID` naming the wrong setting.
 */
export function readWorkerEnv(env: Readonly<Record<string, string | undefined>> = process.env): WorkerEnv {
  const yamlPath = env['SRCGIT_CONFIG'];
  const yamlText = yamlPath === undefined || yamlPath === '' ? undefined : readFileSync(yamlPath, 'utf8');
  return {
    config: parseServiceConfig(env, yamlText, yamlPath === undefined ? {} : { yamlPath }),
    settings: parseWorkerSettings(env),
  };
}

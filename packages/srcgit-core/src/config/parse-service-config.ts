/**
 * @module
 * `parseServiceConfig`: the service configuration from environment variables and an optional
 * YAML file, validated, with errors that name the setting as the operator wrote it.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { CoreError } from '../core-error';
import { serviceConfigSchema } from './service-config';
import type { ServiceConfig } from './service-config';

/** How an environment variable's text becomes a value. */
type EnvKind = 'string' | 'integer' | 'boolean' | 'list';

/** One setting that an environment variable can give; `path` is its place in the YAML/config. */
interface EnvSetting {
  readonly name: string;
  readonly path: readonly string[];
  readonly kind: EnvKind;
  readonly secret?: boolean;
}

/**
 * Every environment variable `parseServiceConfig` reads, and the setting it gives. An environment
 * variable wins over the YAML file. The single-mapping variables (`SRCGIT_SOURCE_GIT_NAMESPACE`, …)
 * replace the YAML `mappings` when `SRCGIT_SOURCE_GIT_NAMESPACE` is set. Each secret (`GITLAB_TOKEN`,
 * `WEBHOOK_SECRET`, `GITLAB_TOKEN_SECRET`, `REDIS_URL`, `METRICS_TOKEN`) may instead be given as `<NAME>_FILE`, the
 * path of a file holding it (a mounted Kubernetes or Podman secret), never both.
 */
export const SERVICE_CONFIG_ENV: readonly EnvSetting[] = [
  { name: 'GITLAB_URL', path: ['gitlab', 'url'], kind: 'string' },
  { name: 'GITLAB_TOKEN', path: ['gitlab', 'token'], kind: 'string', secret: true },
  { name: 'SRCGIT_BOT_USERNAME', path: ['gitlab', 'botUsername'], kind: 'string' },
  { name: 'WEBHOOK_SECRET', path: ['webhook', 'sharedSecrets'], kind: 'list', secret: true },
  { name: 'GITLAB_TOKEN_SECRET', path: ['webhook', 'jwtSecret'], kind: 'string', secret: true },
  { name: 'SRCGIT_VALIDATE_WEBHOOKS', path: ['webhook', 'validate'], kind: 'boolean' },
  { name: 'REDIS_URL', path: ['redis', 'url'], kind: 'string', secret: true },
  { name: 'METRICS_TOKEN', path: ['metrics', 'token'], kind: 'string', secret: true },
  { name: 'SRCGIT_HOST', path: ['server', 'host'], kind: 'string' },
  { name: 'SRCGIT_PORT', path: ['server', 'port'], kind: 'integer' },
  { name: 'SRCGIT_GIT_AUTHOR_NAME', path: ['git', 'authorName'], kind: 'string' },
  { name: 'SRCGIT_GIT_AUTHOR_EMAIL', path: ['git', 'authorEmail'], kind: 'string' },
  { name: 'SRCGIT_WORK_DIR', path: ['workDir'], kind: 'string' },
  { name: 'SRCGIT_CACHE_DIR', path: ['cacheDir'], kind: 'string' },
  { name: 'SRCGIT_CONCURRENCY', path: ['concurrency'], kind: 'integer' },
  { name: 'SRCGIT_RETRY_ATTEMPTS', path: ['retry', 'attempts'], kind: 'integer' },
  { name: 'SRCGIT_RETRY_BASE_DELAY_MS', path: ['retry', 'baseDelayMs'], kind: 'integer' },
  { name: 'SRCGIT_RETRY_MAX_DELAY_MS', path: ['retry', 'maxDelayMs'], kind: 'integer' },
  { name: 'SRCGIT_JOB_TIMEOUT_MS', path: ['jobTimeoutMs'], kind: 'integer' },
  { name: 'SRCGIT_MAX_COMMITS', path: ['limits', 'maxCommits'], kind: 'integer' },
  { name: 'SRCGIT_MAX_PATCH_BYTES', path: ['limits', 'maxPatchBytes'], kind: 'integer' },
  { name: 'SRCGIT_MAX_PATCH_SERIES_BYTES', path: ['limits', 'maxPatchSeriesBytes'], kind: 'integer' },
  { name: 'SRCGIT_MAX_BLOB_BYTES', path: ['limits', 'maxBlobBytes'], kind: 'integer' },
  { name: 'SRCGIT_MAX_SPEC_BYTES', path: ['limits', 'maxSpecBytes'], kind: 'integer' },
  { name: 'SRCGIT_PACKAGE_CONFIG_PATH', path: ['packageConfigPath'], kind: 'string' },
  { name: 'SRCGIT_FORK_BRANCH_TEMPLATE', path: ['forkBranchTemplate'], kind: 'string' },
  { name: 'SRCGIT_FORK_NAMESPACE', path: ['forkNamespace'], kind: 'string' },
  { name: 'SRCGIT_COMMENT_COMMAND_PREFIX', path: ['commentCommandPrefix'], kind: 'string' },
  { name: 'SRCGIT_STATUS_CHECK_NAME', path: ['statusCheckName'], kind: 'string' },
  { name: 'LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { name: 'SRCGIT_SOURCE_GIT_NAMESPACE', path: ['mappings', '0', 'sourceGitNamespace'], kind: 'string' },
  { name: 'SRCGIT_DIST_GIT_NAMESPACE', path: ['mappings', '0', 'distGitNamespace'], kind: 'string' },
  { name: 'SRCGIT_BRANCHES', path: ['mappings', '0', 'branches'], kind: 'string' },
  { name: 'SRCGIT_RUN_PIPELINE_HINT', path: ['mappings', '0', 'addRunPipelineHint'], kind: 'boolean' },
];

/** Options of {@link parseServiceConfig}. */
export interface ParseServiceConfigOptions {
  /** The YAML file's name, for messages (default `the configuration file`). */
  readonly yamlPath?: string;
  /** Reads the file a `<NAME>_FILE` variable names (default: `readFileSync` as UTF-8). */
  readonly readSecretFile?: (path: string) => string;
}

/** Where a value came from, for messages. */
interface Origin {
  readonly label: string;
  readonly secret: boolean;
}

const SECRET_KEYS = new Set(['token', 'jwtSecret', 'sharedSecrets']);

/**
 * Builds the service configuration from `env` (e.g. `process.env`, read in an app's `env.ts`) and
 * the text of an optional YAML file (docs/bot-behaviour.md §4.3 layout: the keys of `ServiceConfig`).
 * Environment variables win over the file (see {@link SERVICE_CONFIG_ENV}); `${NAME}` in a YAML
 * string is replaced by that environment variable.
 *
 * @throws {CoreError} `CONFIG_INVALID` naming each wrong setting as written — the environment
 *   variable (`SRCGIT_CONCURRENCY`) or the YAML key (`mappings[0].branches` in srcgit.yaml) — with
 *   what was expected and what was found (secrets are never shown).
 * @example
 * ```ts
 * // apps/worker/src/env.ts
 * export const config = parseServiceConfig(process.env, yamlText);
 * config.mappings[0]?.distGitNamespace; // 'redhat/centos-stream/rpms'
 * ```
 */
export function parseServiceConfig(
  givenEnv: Readonly<Record<string, string | undefined>>,
  yamlText?: string,
  options: ParseServiceConfigOptions = {},
): ServiceConfig {
  const { env, fromFiles } = withSecretFiles(
    givenEnv,
    options.readSecretFile ?? ((path) => readFileSync(path, 'utf8')),
  );
  const yamlPath = options.yamlPath ?? 'the configuration file';
  const origins = new Map<string, Origin>();
  const raw = yamlText === undefined ? {} : readYaml(yamlText, yamlPath, env, origins);

  const singleMapping = (env['SRCGIT_SOURCE_GIT_NAMESPACE'] ?? '') !== '';
  if (singleMapping) {
    raw['mappings'] = [{}];
    for (const key of [...origins.keys()]) if (key.startsWith('mappings.')) origins.delete(key);
  }
  for (const setting of SERVICE_CONFIG_ENV) {
    const text = env[setting.name];
    if (text === undefined || text === '') continue;
    if (setting.path[0] === 'mappings' && !singleMapping) continue;
    setAt(raw, setting.path, fromEnv(text, setting.kind));
    const label = fromFiles.has(setting.name) ? `${setting.name}_FILE` : setting.name;
    origins.set(setting.path.join('.'), { label, secret: setting.secret === true });
  }

  const result = serviceConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, raw, origins, yamlPath));
  throw new CoreError(
    'CONFIG_INVALID',
    `Invalid service configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    { data: { problems } },
  );
}

/**
 * `env` with each secret given as `<NAME>_FILE` read from its file (trailing line breaks removed),
 * and the names of the secrets read so.
 *
 * @throws {CoreError} `CONFIG_INVALID` when both `NAME` and `NAME_FILE` are set, or the file cannot
 *   be read or is empty; the message names the variable and the file, never the secret.
 */
function withSecretFiles(
  env: Readonly<Record<string, string | undefined>>,
  readSecretFile: (path: string) => string,
): { env: Readonly<Record<string, string | undefined>>; fromFiles: ReadonlySet<string> } {
  const resolved: Record<string, string | undefined> = { ...env };
  const fromFiles = new Set<string>();
  for (const { name } of SERVICE_CONFIG_ENV.filter((setting) => setting.secret === true)) {
    const fileVariable = `${name}_FILE`;
    const file = env[fileVariable];
    if (file === undefined || file === '') continue;
    if ((env[name] ?? '') !== '') {
      throw new CoreError(
        'CONFIG_INVALID',
        `${name} and ${fileVariable} are both set: set only one of them`,
        {
          data: { variable: name },
        },
      );
    }
    let text: string;
    try {
      text = readSecretFile(file);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'unreadable');
      throw new CoreError(
        'CONFIG_INVALID',
        `${fileVariable}: cannot read the secret file ${file} (${reason})`,
        {
          cause: error,
          data: { variable: fileVariable, path: file },
        },
      );
    }
    const secret = text.replace(/[\r\n]+$/, '');
    if (secret === '') {
      throw new CoreError('CONFIG_INVALID', `${fileVariable}: the secret file ${file} is empty`, {
        data: { variable: fileVariable, path: file },
      });
    }
    resolved[name] = secret;
    delete resolved[fileVariable];
    fromFiles.add(name);
  }
  return { env: resolved, fromFiles };
}

function readYaml(
  text: string,
  yamlPath: string,
  env: Readonly<Record<string, string | undefined>>,
  origins: Map<string, Origin>,
): Record<string, unknown> {
  const document = parseDocument(text);
  const [first] = document.errors;
  if (first !== undefined) {
    const line = first.linePos?.[0].line;
    throw new CoreError(
      'CONFIG_INVALID',
      `${yamlPath}${line === undefined ? '' : `:${line}`}: not valid YAML (${first.message.split('\n')[0] ?? ''})`,
      { data: { path: yamlPath, line } },
    );
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CoreError('CONFIG_INVALID', `${yamlPath}: expected a mapping of settings at the top level`, {
      data: { path: yamlPath },
    });
  }
  return interpolate(value, [], env, origins, yamlPath) as Record<string, unknown>;
}

/** Replaces `${NAME}` in strings by environment variables, recording each value's origin. */
function interpolate(
  value: unknown,
  path: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  origins: Map<string, Origin>,
  yamlPath: string,
): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolate(item, [...path, String(index)], env, origins, yamlPath));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolate(item, [...path, key], env, origins, yamlPath),
      ]),
    );
  }
  const label = `${yamlKey(path)} in ${yamlPath}`;
  const secret = path.some((key) => SECRET_KEYS.has(key));
  origins.set(path.join('.'), { label, secret });
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const replacement = env[name];
    if (replacement === undefined) {
      throw new CoreError(
        'CONFIG_INVALID',
        `${label}: refers to the environment variable ${name}, which is not set`,
        { data: { key: yamlKey(path), variable: name } },
      );
    }
    return replacement;
  });
}

function fromEnv(text: string, kind: EnvKind): unknown {
  switch (kind) {
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
      if (['0', 'false', 'no', 'off'].includes(lower)) return false;
      return text;
    }
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'string':
      return text;
  }
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === null || typeof next !== 'object') {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    } else {
      node = next as Record<string, unknown>;
    }
  }
}

function getAt(source: unknown, path: readonly PropertyKey[]): unknown {
  let node = source;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** `mappings[0].branches` for a path `['mappings', '0', 'branches']`. */
function yamlKey(path: readonly PropertyKey[]): string {
  return path
    .map(String)
    .reduce(
      (text, key) => (/^\d+$/.test(key) ? `${text}[${key}]` : text === '' ? key : `${text}.${key}`),
      '',
    );
}

/** The environment variable that would give a missing setting, for "required" messages. */
function envNameFor(path: readonly string[]): string | undefined {
  return SERVICE_CONFIG_ENV.find((setting) => setting.path.join('.') === path.join('.'))?.name;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: Record<string, unknown>,
  origins: ReadonlyMap<string, Origin>,
  yamlPath: string,
): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const where = path.length === 0 ? 'at the top level' : `in ${yamlKey(path)}`;
    return `${yamlPath}: unknown setting${issue.keys.length === 1 ? '' : 's'} ${issue.keys
      .map((key) => `"${key}"`)
      .join(', ')} ${where}`;
  }
  const value = getAt(raw, path);
  const origin = originOf(path, origins);
  const expected = /^[A-Z]/.test(issue.message) ? issue.message : `expected ${issue.message}`;
  if (value === undefined) {
    const name = yamlKey(path);
    const variable =
      path[0] === 'mappings' ? 'SRCGIT_SOURCE_GIT_NAMESPACE and SRCGIT_DIST_GIT_NAMESPACE' : envNameFor(path);
    return `${name} is required: set ${variable === undefined ? '' : `${variable}, or `}${name} in ${yamlPath}`;
  }
  const shown = origin?.secret === true ? '(secret, not shown)' : JSON.stringify(value);
  return `${origin?.label ?? yamlKey(path)}: ${expected}, found ${shown}`;
}

/** The origin of a value, or of the nearest enclosing value that has one. */
function originOf(path: readonly string[], origins: ReadonlyMap<string, Origin>): Origin | undefined {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(path.slice(0, length).join('.'));
    if (origin !== undefined) return origin;
  }
  return undefined;
}

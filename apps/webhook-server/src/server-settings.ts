/**
 * @module
 * The webhook server's own settings, next to core's service configuration: environment variables
 * only, validated with messages that name the variable.
 */
import { envInteger as integer, parseEnvSettings } from '@srcgit/core/internal';
import { z } from 'zod';

/** Default of `SRCGIT_MAX_BODY_BYTES`: 5 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Default of `SRCGIT_MAX_JSON_DEPTH` (GitLab's payloads nest about 5 levels). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const schema = z.object({
  SRCGIT_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_"')
    .default('srcgit-events'),
  SRCGIT_SPOOL_DIR: z.string().min(1).optional(),
  SRCGIT_INSTANCE_ID: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
      'up to 128 letters, digits, ".", "_" and "-", starting with a letter or digit',
    )
    .optional(),
  SRCGIT_DEDUPE_TTL_SECONDS: integer(604_800, 31_536_000).optional(),
  SRCGIT_REDIS_TIMEOUT_MS: integer(50, 60_000).optional(),
  SRCGIT_SPOOL_DRAIN_INTERVAL_MS: integer(50, 600_000).optional(),
  SRCGIT_MAX_BODY_BYTES: integer(65_536, 104_857_600).optional(),
  SRCGIT_MAX_JSON_DEPTH: integer(8, 10_000).optional(),
  SRCGIT_METRICS_PORT: integer(0, 65_535).optional(),
  SRCGIT_METRICS_HOST: z.string().min(1).optional(),
});

/** Settings of the webhook server that are not part of the shared service configuration. */
export interface ServerSettings {
  /** The BullMQ queue name (the worker must use the same). Default `srcgit-events`. */
  readonly queueName: string;
  /** The durable spool directory; default `<workDir>/spool`. */
  readonly spoolDir: string | null;
  /** Names this server's own spool under `spoolDir`; default `<hostname>-<pid>`. */
  readonly instanceId: string | null;
  /** How long delivery keys are remembered: at least 7 days (the default). */
  readonly dedupeTtlSeconds: number;
  /** A Redis call slower than this spools the delivery. Default 2 000 ms. */
  readonly redisTimeoutMs: number;
  /** How often the spool is retried while Redis is down. Default 1 000 ms. */
  readonly drainIntervalMs: number;
  /** The largest delivery body accepted (bigger: 413). Default 5 MiB. */
  readonly maxBodyBytes: number;
  /** The deepest nesting of arrays and objects accepted in a body (deeper: 400). Default 64. */
  readonly maxJsonDepth: number;
  /**
   * Port of the metrics listener (`/metrics`, `/healthz`, `/readyz`); unset: none, and `/metrics`
   * is served on the public port only with `METRICS_TOKEN`. 0 picks a free port.
   */
  readonly metricsPort: number | null;
  /** Address the metrics listener binds. Default `0.0.0.0`. */
  readonly metricsHost: string;
}

/**
 * Reads the server's settings from `env`.
 *
 * @throws {CoreError} `CONFIG_INVALID` naming each wrong variable, what was expected and what was found.
 */
export function parseServerSettings(env: Readonly<Record<string, string | undefined>>): ServerSettings {
  const value = parseEnvSettings(schema, env, 'server settings');
  return {
    queueName: value.SRCGIT_QUEUE_NAME,
    spoolDir: value.SRCGIT_SPOOL_DIR ?? null,
    instanceId: value.SRCGIT_INSTANCE_ID ?? null,
    dedupeTtlSeconds: value.SRCGIT_DEDUPE_TTL_SECONDS ?? 604_800,
    redisTimeoutMs: value.SRCGIT_REDIS_TIMEOUT_MS ?? 2_000,
    drainIntervalMs: value.SRCGIT_SPOOL_DRAIN_INTERVAL_MS ?? 1_000,
    maxBodyBytes: value.SRCGIT_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES,
    maxJsonDepth: value.SRCGIT_MAX_JSON_DEPTH ?? DEFAULT_MAX_JSON_DEPTH,
    metricsPort: value.SRCGIT_METRICS_PORT ?? null,
    metricsHost: value.SRCGIT_METRICS_HOST ?? '0.0.0.0',
  };
}

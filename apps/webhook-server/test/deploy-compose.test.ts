import { readFile } from 'node:fs/promises';
import { parseServiceConfig, SERVICE_CONFIG_ENV } from '@srcgit/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const deploy = new URL('../../../deploy/', import.meta.url);

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: string[];
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** Compose's `${NAME:-default}` / `${NAME:?message}` with every variable unset: the default, or a sample. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, kind?: string, rest?: string) =>
      kind === '-'
        ? (rest ?? '')
        : name === 'SRCGIT_GIT_AUTHOR_EMAIL'
          ? 'bot@example.org'
          : `sample-${name.toLowerCase()}`,
  );
}

const APP_SETTINGS = new Set(['SRCGIT_QUEUE_NAME', 'SRCGIT_METRICS_PORT', 'SRCGIT_SHUTDOWN_TIMEOUT_MS']);

describe('deploy/compose.yaml', async () => {
  const compose = parse(await readFile(new URL('compose.yaml', deploy), 'utf8'), {
    merge: true,
  }) as ComposeFile;
  const dockerfile = await readFile(new URL('Dockerfile', deploy), 'utf8');

  it('runs Redis with an append-only file, the webhook server and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['redis', 'webhook-server', 'worker']);
    expect(compose.services['redis']?.image).toMatch(/^redis:7/);
    expect(JSON.stringify(compose.services['redis'])).toContain('--appendonly');
  });

  it('builds each app from a target of deploy/Dockerfile', () => {
    for (const app of ['webhook-server', 'worker']) {
      expect(compose.services[app]?.build).toEqual({
        context: '..',
        dockerfile: 'deploy/Dockerfile',
        target: app,
      });
      expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${app}$`, 'm'));
    }
  });

  it('publishes the webhook port on no fixed host port (so it scales) and keeps the spool and work directories on volumes', () => {
    expect(compose.services['webhook-server']?.ports).toEqual(['8080']);
    expect(compose.services['webhook-server']?.volumes).toEqual(['spool:/var/lib/srcgit']);
    expect(compose.services['worker']?.volumes).toEqual(['work:/var/lib/srcgit']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['redis-data', 'spool', 'work']);
  });

  it("gives both apps an environment that core's configuration schema accepts, with only known variables", () => {
    const known = new Set([...SERVICE_CONFIG_ENV.map((setting) => setting.name), ...APP_SETTINGS]);
    for (const app of ['webhook-server', 'worker']) {
      const environment = Object.fromEntries(
        Object.entries(compose.services[app]?.environment ?? {}).map(([name, value]) => [
          name,
          interpolate(String(value)),
        ]),
      );
      expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
      const config = parseServiceConfig(environment);
      expect(config.redis.url).toBe('redis://redis:6379');
      expect(config.mappings).toEqual([
        expect.objectContaining({
          sourceGitNamespace: 'redhat/centos-stream/src',
          distGitNamespace: 'redhat/centos-stream/rpms',
        }),
      ]);
    }
    expect(compose.services['webhook-server']?.environment?.['SRCGIT_PORT']).toBe('8080');
  });

  it("serves both apps' metrics on a port of their own that is not published", () => {
    for (const app of ['webhook-server', 'worker']) {
      const service = compose.services[app];
      expect(service?.environment?.['SRCGIT_METRICS_PORT']).toBe('9464');
      expect(service?.expose).toEqual(['9464']);
      expect(service?.ports ?? []).not.toContain('9464');
      expect(interpolate(String(service?.environment?.['METRICS_TOKEN']))).toBe('');
    }
  });
});

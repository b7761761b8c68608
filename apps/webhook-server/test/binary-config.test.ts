import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = (app: string): string => fileURLToPath(new URL(`../../${app}/dist/main.js`, import.meta.url));

const valid = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GITLAB_URL: 'https://gitlab.example.org',
  GITLAB_TOKEN: 'glpat-secret',
  WEBHOOK_SECRET: 'hook-secret',
  REDIS_URL: 'redis://127.0.0.1:1',
  SRCGIT_SOURCE_GIT_NAMESPACE: 'src',
  SRCGIT_DIST_GIT_NAMESPACE: 'rpms',
  SRCGIT_GIT_AUTHOR_EMAIL: 'bot@example.org',
};

/** Starts a built app with `env`; it must exit on its own (a configuration error). */
async function start(app: string, env: Record<string, string>) {
  try {
    await run(process.execPath, [binary(app)], { env, timeout: 20_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

describe('the built apps refuse a wrong configuration at start', () => {
  it('the webhook server names the setting, what was expected and what was found', async () => {
    const result = await start('webhook-server', {
      ...valid,
      SRCGIT_CONCURRENCY: 'lots',
      SRCGIT_PORT: '70000',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SRCGIT_CONCURRENCY');
    expect(result.stderr).toContain('"lots"');
    expect(result.stderr).toContain('SRCGIT_PORT');
    expect(result.stderr).not.toContain('glpat-secret');
  });

  it('the webhook server names a wrong server setting', async () => {
    const result = await start('webhook-server', { ...valid, SRCGIT_DEDUPE_TTL_SECONDS: '60' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SRCGIT_DEDUPE_TTL_SECONDS: expected .*604800.*, found "60"/);
  });

  it('the webhook server names a body limit out of range', async () => {
    const result = await start('webhook-server', {
      ...valid,
      SRCGIT_MAX_BODY_BYTES: '10',
      SRCGIT_MAX_JSON_DEPTH: 'deep',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SRCGIT_MAX_BODY_BYTES: expected .*65536.*, found "10"/);
    expect(result.stderr).toContain('SRCGIT_MAX_JSON_DEPTH: expected a whole number, found "deep"');
  });

  it('the worker names a missing required setting and a wrong worker setting', async () => {
    const { GITLAB_TOKEN: _token, ...withoutToken } = valid;
    const missing = await start('worker', withoutToken);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('GITLAB_TOKEN');
    const wrong = await start('worker', { ...valid, SRCGIT_WORKER_LOCK_DURATION_MS: 'soon' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('SRCGIT_WORKER_LOCK_DURATION_MS: expected a whole number, found "soon"');
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@srcgit/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import { parseServiceConfig } from '../config/parse-service-config';

const ENV = {
  GITLAB_URL: 'https://gitlab.example.com/',
  GITLAB_TOKEN: 'glpat-secret',
  WEBHOOK_SECRET: 'hook-secret',
  SRCGIT_SOURCE_GIT_NAMESPACE: 'redhat/centos-stream/src',
  SRCGIT_DIST_GIT_NAMESPACE: 'redhat/centos-stream/rpms',
  SRCGIT_GIT_AUTHOR_EMAIL: 'bot@example.com',
};

const dirs: Array<{ remove(): Promise<void> }> = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await dir.remove();
});

describe('the metrics token in the service configuration', () => {
  it('is unset by default', () => {
    expect(parseServiceConfig(ENV).metrics).toEqual({});
  });

  it('comes from METRICS_TOKEN, METRICS_TOKEN_FILE or metrics.token in the YAML file', () => {
    expect(parseServiceConfig({ ...ENV, METRICS_TOKEN: 'scrape-token-0123456789' }).metrics.token).toBe(
      'scrape-token-0123456789',
    );
    const dir = createTempDir();
    dirs.push(dir);
    const file = join(dir.path, 'metrics-token');
    writeFileSync(file, 'file-token-0123456789\n');
    expect(parseServiceConfig({ ...ENV, METRICS_TOKEN_FILE: file }).metrics.token).toBe(
      'file-token-0123456789',
    );
    expect(parseServiceConfig(ENV, 'metrics:\n  token: yaml-token-0123456789\n').metrics.token).toBe(
      'yaml-token-0123456789',
    );
  });

  it('refuses a short token without showing it', () => {
    let error: unknown;
    try {
      parseServiceConfig({ ...ENV, METRICS_TOKEN: 'short-secret' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).message).toContain(
      'METRICS_TOKEN: expected a token of at least 16 characters',
    );
    expect((error as CoreError).message).not.toContain('short-secret');
  });
});

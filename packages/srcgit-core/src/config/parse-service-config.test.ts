import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import { findMapping } from './find-mapping';
import { parseServiceConfig } from './parse-service-config';

const ENV = {
  GITLAB_URL: 'https://gitlab.example.com/',
  GITLAB_TOKEN: 'glpat-secret',
  WEBHOOK_SECRET: 'hook-secret',
  SRCGIT_SOURCE_GIT_NAMESPACE: 'redhat/centos-stream/src',
  SRCGIT_DIST_GIT_NAMESPACE: 'redhat/centos-stream/rpms',
  SRCGIT_GIT_AUTHOR_EMAIL: 'bot@example.com',
  SRCGIT_WORK_DIR: '/var/lib/srcgit',
};

function problems(env: Record<string, string>, yaml?: string): string[] {
  try {
    parseServiceConfig(env, yaml, { yamlPath: 'srcgit.yaml' });
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('CONFIG_INVALID');
    return ((error as CoreError).data['problems'] as string[] | undefined) ?? [(error as Error).message];
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseServiceConfig', () => {
  it('builds the configuration from environment variables, with defaults', () => {
    const config = parseServiceConfig(ENV);
    expect(config).toMatchObject({
      gitlab: { url: 'https://gitlab.example.com', token: 'glpat-secret' },
      webhook: { sharedSecrets: ['hook-secret'], validate: true },
      redis: { url: 'redis://127.0.0.1:6379' },
      mappings: [
        {
          sourceGitNamespace: 'redhat/centos-stream/src',
          distGitNamespace: 'redhat/centos-stream/rpms',
          branches: '.+',
          addRunPipelineHint: false,
        },
      ],
      git: { authorName: 'srcgit bot', authorEmail: 'bot@example.com' },
      workDir: '/var/lib/srcgit',
      concurrency: 4,
      retry: { attempts: 5, baseDelayMs: 30_000, maxDelayMs: 600_000 },
      commentCommandPrefix: '/srcgit',
      statusCheckName: 'Dist-git MR CI Pipeline',
      forkBranchTemplate: '{dgBranch}-src-{sgIid}',
      packageConfigPath: '.distro/source-git.yaml',
    });
  });

  it('reads a YAML file, replacing ${NAME} with environment variables; the environment wins', () => {
    const yaml = [
      'gitlab:',
      '  url: https://gitlab.com',
      '  token: ${GITLAB_TOKEN}',
      'webhook:',
      '  jwtSecret: ${TOKEN_SECRET}',
      'mappings:',
      '  - sourceGitNamespace: redhat/centos-stream/src',
      '    distGitNamespace: redhat/centos-stream/rpms',
      '    branches: "c9s|c10s"',
      '    addRunPipelineHint: true',
      '  - sourceGitNamespace: fedora/src',
      '    distGitNamespace: rpms',
      'git: { authorName: "Source-git worker", authorEmail: worker@example.com }',
      'concurrency: 8',
      'retry: { attempts: 3 }',
    ].join('\n');
    const config = parseServiceConfig(
      { GITLAB_TOKEN: 'from-env', TOKEN_SECRET: 'jwt', SRCGIT_CONCURRENCY: '2' },
      yaml,
    );
    expect(config.gitlab).toEqual({ url: 'https://gitlab.com', token: 'from-env' });
    expect(config.webhook.jwtSecret).toBe('jwt');
    expect(config.mappings.map((mapping) => mapping.branches)).toEqual(['c9s|c10s', '.+']);
    expect(config.concurrency).toBe(2);
    expect(config.retry).toEqual({ attempts: 3, baseDelayMs: 30_000, maxDelayMs: 600_000 });
    expect(findMapping(config, 'redhat/centos-stream/src/make', 'c10s')?.addRunPipelineHint).toBe(true);
    expect(findMapping(config, 'redhat/centos-stream/src/make', 'c10s-x')).toBeNull();
    expect(findMapping(config, 'redhat/centos-stream/src/sub/make', 'c10s')).toBeNull();
    expect(findMapping(config, 'fedora/src/make', 'rawhide')?.distGitNamespace).toBe('rpms');
  });

  it('names the environment variable of a wrong value, with what was expected and found', () => {
    expect(problems({ ...ENV, SRCGIT_CONCURRENCY: 'many' })).toEqual([
      'SRCGIT_CONCURRENCY: Invalid input: expected number, received string, found "many"',
    ]);
    expect(problems({ ...ENV, SRCGIT_BRANCHES: 'c9s(' })).toEqual([
      'SRCGIT_BRANCHES: expected a valid regular expression, found "c9s("',
    ]);
    expect(problems({ ...ENV, SRCGIT_FORK_BRANCH_TEMPLATE: 'src-{iid}' })[0]).toMatch(
      /^SRCGIT_FORK_BRANCH_TEMPLATE: expected a template containing \{dgBranch\} and \{sgIid\}/,
    );
  });

  it('names the YAML key of a wrong value, and unknown keys', () => {
    const yaml =
      'mappings:\n  - sourceGitNamespace: src\n    distGitNamespace: rpms\n    branches: 7\nconcurency: 3\n';
    expect(problems({ ...ENV, SRCGIT_SOURCE_GIT_NAMESPACE: '' }, yaml)).toEqual([
      'mappings[0].branches in srcgit.yaml: Invalid input: expected string, received number, found 7',
      'srcgit.yaml: unknown setting "concurency" at the top level',
    ]);
  });

  it('says which settings are missing and how to set them, and never shows secrets', () => {
    expect(problems({ GITLAB_TOKEN: 'glpat-secret' })).toEqual([
      'gitlab.url is required: set GITLAB_URL, or gitlab.url in srcgit.yaml',
      'mappings is required: set SRCGIT_SOURCE_GIT_NAMESPACE and SRCGIT_DIST_GIT_NAMESPACE, or mappings in srcgit.yaml',
      'git.authorEmail is required: set SRCGIT_GIT_AUTHOR_EMAIL, or git.authorEmail in srcgit.yaml',
    ]);
    const redis = problems({ ...ENV, REDIS_URL: 'http://user:hunter2@redis' });
    expect(redis).toEqual(['REDIS_URL: expected a redis:// or rediss:// URL, found (secret, not shown)']);
  });

  it('requires a webhook secret unless validation is off', () => {
    const { WEBHOOK_SECRET: _secret, ...withoutSecret } = ENV;
    expect(problems(withoutSecret)[0]).toContain('webhook.sharedSecrets');
    expect(parseServiceConfig({ ...withoutSecret, SRCGIT_VALIDATE_WEBHOOKS: 'false' }).webhook.validate).toBe(
      false,
    );
  });

  it('reports YAML syntax errors with the line and a missing ${NAME}', () => {
    expect(() => parseServiceConfig(ENV, 'gitlab:\n  url: [unclosed\n', { yamlPath: 'srcgit.yaml' })).toThrow(
      /^srcgit\.yaml:\d+: not valid YAML/,
    );
    expect(() => parseServiceConfig(ENV, 'gitlab:\n  token: ${NOPE}\n', { yamlPath: 'srcgit.yaml' })).toThrow(
      'gitlab.token in srcgit.yaml: refers to the environment variable NOPE, which is not set',
    );
  });
});

describe('parseServiceConfig secrets from files', () => {
  const { GITLAB_TOKEN: _token, WEBHOOK_SECRET: _secret, ...PUBLIC_ENV } = ENV;

  function secretFile(content: string): string {
    const path = join(createTempDir('secret').path, 'secret');
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  }

  it('reads GITLAB_TOKEN_FILE, WEBHOOK_SECRET_FILE, GITLAB_TOKEN_SECRET_FILE and REDIS_URL_FILE, trimming the final line break', () => {
    const config = parseServiceConfig({
      ...PUBLIC_ENV,
      GITLAB_TOKEN_FILE: secretFile('glpat-from-file\n'),
      WEBHOOK_SECRET_FILE: secretFile('one,two\r\n'),
      GITLAB_TOKEN_SECRET_FILE: secretFile('jwt-secret'),
      REDIS_URL_FILE: secretFile('redis://:pw@redis:6379\n\n'),
    });
    expect(config.gitlab.token).toBe('glpat-from-file');
    expect(config.webhook.sharedSecrets).toEqual(['one', 'two']);
    expect(config.webhook.jwtSecret).toBe('jwt-secret');
    expect(config.redis.url).toBe('redis://:pw@redis:6379');
  });

  it('refuses a secret given both ways, naming both variables', () => {
    expect(problems({ ...ENV, GITLAB_TOKEN_FILE: secretFile('glpat-other\n') })).toEqual([
      'GITLAB_TOKEN and GITLAB_TOKEN_FILE are both set: set only one of them',
    ]);
  });

  it('names the variable and the file when the file is missing or empty, never the secret', () => {
    const missing = join(createTempDir('secret').path, 'absent');
    expect(problems({ ...PUBLIC_ENV, WEBHOOK_SECRET: 'x', GITLAB_TOKEN_FILE: missing })).toEqual([
      `GITLAB_TOKEN_FILE: cannot read the secret file ${missing} (ENOENT)`,
    ]);
    const empty = secretFile('\n');
    expect(problems({ ...PUBLIC_ENV, GITLAB_TOKEN: 'x', WEBHOOK_SECRET_FILE: empty })).toEqual([
      `WEBHOOK_SECRET_FILE: the secret file ${empty} is empty`,
    ]);
  });

  it('keeps a secret read from a file out of messages', () => {
    const shown = problems({
      ...ENV,
      REDIS_URL_FILE: secretFile('http://u:hunter2@r\n'),
    });
    expect(shown).toEqual([
      'REDIS_URL_FILE: expected a redis:// or rediss:// URL, found (secret, not shown)',
    ]);
  });
});

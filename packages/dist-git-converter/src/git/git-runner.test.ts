import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRepo, createTempDir, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createGitRunner } from './git-runner';

const PATH = process.env.PATH ?? '/usr/bin:/bin';

/** An environment such as a worker's: secrets and a developer's or attacker's git variables. */
const HOSTILE_ENV: Readonly<Record<string, string>> = {
  PATH,
  HOME: '/nonexistent',
  TZ: 'UTC',
  GITLAB_TOKEN: 'glpat-SECRETMARKER',
  WEBHOOK_SECRET: 'webhook-SECRETMARKER',
  REDIS_URL: 'redis://:SECRETMARKER@localhost:6379',
  GIT_DIR: '/nonexistent',
  GIT_WORK_TREE: '/nonexistent',
  GIT_INDEX_FILE: '/nonexistent/index',
  GIT_AUTHOR_NAME: 'Mallory',
  GIT_AUTHOR_EMAIL: 'm@x',
  GIT_COMMITTER_NAME: 'Mallory',
  GIT_COMMITTER_EMAIL: 'm@x',
  GIT_CONFIG_PARAMETERS: "'core.hooksPath'='/tmp/evil'",
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.fsmonitor',
  GIT_CONFIG_VALUE_0: 'touch /tmp/evil',
  GIT_SSH_COMMAND: 'touch /tmp/evil',
  GIT_EXEC_PATH: '/nonexistent',
  GIT_ASKPASS: '/tmp/evil',
  EMAIL: 'm@x',
  LD_PRELOAD: '/tmp/evil.so',
};

/** A "git" that prints the environment it was given, one `NAME=value` a line. */
async function envPrinter(): Promise<string> {
  const path = join(createTempDir('env-printer').path, 'git');
  await writeFile(path, '#!/bin/sh\nexec env\n');
  await chmod(path, 0o755);
  return path;
}

/** The shell behind {@link envPrinter} sets these itself. */
const SHELL_VARIABLES = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

function names(envText: string): string[] {
  return envText
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => line.slice(0, line.indexOf('=')))
    .filter((name) => !SHELL_VARIABLES.has(name))
    .sort();
}

/** A repository whose hooks and `core.fsmonitor` each leave a file in `markers` when they run. */
async function boobyTrappedRepo(): Promise<{ repo: GitRepo; markers: string }> {
  const repo = await createGitRepo();
  const markers = createTempDir('markers').path;
  await repo.commit('first', { files: { a: 'a\n' } });
  for (const hook of [
    'pre-commit',
    'post-commit',
    'post-checkout',
    'reference-transaction',
    'post-index-change',
  ]) {
    const path = join(repo.dir, '.git', 'hooks', hook);
    await writeFile(path, `#!/bin/sh\ntouch '${markers}/${hook}'\n`);
    await chmod(path, 0o755);
  }
  const fsmonitor = join(markers, '..', `fsmonitor-${Date.now()}.sh`);
  await writeFile(fsmonitor, `#!/bin/sh\ntouch '${markers}/fsmonitor'\n`);
  await chmod(fsmonitor, 0o755);
  await repo.git(['config', 'core.fsmonitor', fsmonitor]);
  return { repo, markers };
}

describe('createGitRunner environment', () => {
  it('gives git only the allow-listed variables of the caller, whatever the caller holds', async () => {
    const git = createGitRunner({ binary: await envPrinter(), env: HOSTILE_ENV });
    const seen = names(await git.text(['status'], { cwd: createTempDir('cwd').path }));
    expect(seen).toEqual(
      [
        'GIT_OPTIONAL_LOCKS',
        'GIT_PAGER',
        'GIT_TERMINAL_PROMPT',
        'HOME',
        'LANGUAGE',
        'LC_ALL',
        'PAGER',
        'PATH',
        'TZ',
      ].sort(),
    );
  });

  it('with userEnvironment (the CLI), also takes the identity and configuration variables git honours', async () => {
    const git = createGitRunner({ binary: await envPrinter(), env: HOSTILE_ENV, userEnvironment: true });
    const seen = names(await git.text(['status'], { cwd: createTempDir('cwd').path }));
    expect(seen).toEqual(
      expect.arrayContaining([
        'GIT_AUTHOR_NAME',
        'GIT_AUTHOR_EMAIL',
        'GIT_COMMITTER_NAME',
        'GIT_COMMITTER_EMAIL',
        'EMAIL',
      ]),
    );
    for (const name of [
      'GITLAB_TOKEN',
      'WEBHOOK_SECRET',
      'REDIS_URL',
      'GIT_DIR',
      'GIT_WORK_TREE',
      'GIT_INDEX_FILE',
    ]) {
      expect(seen).not.toContain(name);
    }
    for (const name of [
      'GIT_CONFIG_PARAMETERS',
      'GIT_CONFIG_COUNT',
      'GIT_SSH_COMMAND',
      'GIT_EXEC_PATH',
      'GIT_ASKPASS',
    ]) {
      expect(seen).not.toContain(name);
    }
  });

  it('passes a command’s own GIT_* variables and refuses anything else', async () => {
    const git = createGitRunner({ binary: await envPrinter(), env: HOSTILE_ENV });
    const cwd = createTempDir('cwd').path;
    expect(names(await git.text(['status'], { cwd, env: { GIT_INDEX_FILE: '/tmp/index' } }))).toContain(
      'GIT_INDEX_FILE',
    );
    await expect(git.run(['status'], { cwd, env: { GITLAB_TOKEN: 'x', GIT_DIR: '.' } })).rejects.toThrow(
      /only GIT_\* variables and TZ may be set for a git command, not GITLAB_TOKEN/,
    );
  });

  it('commits as the repository’s configured identity, not GIT_AUTHOR_*/GIT_COMMITTER_* of the caller', async () => {
    const repo = await createGitRepo();
    await repo.git(['config', 'user.name', 'srcgit bot']);
    await repo.git(['config', 'user.email', 'bot@example.com']);
    const git = createGitRunner({ env: HOSTILE_ENV });
    expect(await git.text(['var', 'GIT_AUTHOR_IDENT'], { cwd: repo.dir })).toMatch(
      /^srcgit bot <bot@example\.com> /,
    );
    expect(await git.text(['var', 'GIT_COMMITTER_IDENT'], { cwd: repo.dir })).toMatch(
      /^srcgit bot <bot@example\.com> /,
    );
    const packager = createGitRunner({ env: HOSTILE_ENV, userEnvironment: true });
    expect(await packager.text(['var', 'GIT_AUTHOR_IDENT'], { cwd: repo.dir })).toMatch(/^Mallory <m@x> /);
  });
});

describe('createGitRunner hardening', () => {
  it('never runs a repository’s hooks or core.fsmonitor command', async () => {
    const { repo, markers } = await boobyTrappedRepo();
    const git = createGitRunner({ env: HOSTILE_ENV });
    await writeFile(join(repo.dir, 'b'), 'b\n');
    await git.run(['add', 'b'], { cwd: repo.dir });
    await git.run(['status', '--porcelain'], { cwd: repo.dir });
    await git.run(['commit', '--quiet', '-m', 'second'], { cwd: repo.dir });
    await git.run(['checkout', '--quiet', '-b', 'other'], { cwd: repo.dir });
    await git.run(['update-ref', 'refs/heads/third', 'HEAD'], { cwd: repo.dir });
    expect(await readdir(markers)).toEqual([]);
  });

  it('refuses local paths and file:// URLs unless the command is allowed a local transport', async () => {
    const source = await createGitRepo();
    await source.commit('first', { files: { a: 'a\n' } });
    const git = createGitRunner({ env: { PATH, HOME: '/nonexistent' } });
    const cwd = createTempDir('clones').path;
    await expect(git.run(['clone', '--quiet', source.dir, 'refused'], { cwd })).rejects.toThrow(
      /transport 'file' not allowed/,
    );
    await expect(
      git.run(['clone', '--quiet', `file://${source.dir}`, 'refused-url'], { cwd }),
    ).rejects.toThrow(/transport 'file' not allowed/);
    await git.run(['clone', '--quiet', '--local', source.dir, 'allowed'], { cwd, localTransport: true });
    expect(await readdir(join(cwd, 'allowed'))).toContain('a');
  });

  it('refuses the ext:: transport, which runs a command', async () => {
    const git = createGitRunner({ env: { PATH, HOME: '/nonexistent' } });
    const cwd = createTempDir('ext').path;
    const marker = join(cwd, 'ext-ran');
    await expect(
      git.run(['clone', '--quiet', `ext::sh -c touch% ${marker}`, 'x'], { cwd, localTransport: true }),
    ).rejects.toThrow(/transport 'ext' not allowed/);
    expect(await readdir(cwd)).not.toContain('ext-ran');
  });
});

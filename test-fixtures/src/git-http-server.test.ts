import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepo } from './git-repo';
import { startGitHttpServer, type GitHttpServer } from './git-http-server';
import { runGit } from './run-git';
import { createTempDir } from './temp-dir';

describe('startGitHttpServer', () => {
  let server: GitHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function seededRoot() {
    const root = createTempDir('git-root');
    const work = await createGitRepo();
    const sha = await work.commit('Initial commit', {
      files: { README: 'hello\n', 'bin/run': { content: '#!/bin/sh\n', executable: true } },
    });
    await runGit(['clone', '--quiet', '--bare', work.dir, join(root.path, 'group', 'pkg.git')], {
      cwd: root.path,
    });
    return { root: root.path, sha };
  }

  it('serves a clone through the real git http-backend', async () => {
    const { root, sha } = await seededRoot();
    server = await startGitHttpServer({ root });
    const clone = createTempDir('clone');
    await runGit(['clone', '--quiet', `${server.url}/group/pkg.git`, clone.path], { cwd: clone.path });
    expect((await runGit(['rev-parse', 'HEAD'], { cwd: clone.path })).trim()).toBe(sha);
    expect(await readFile(join(clone.path, 'README'), 'utf8')).toBe('hello\n');
    expect((await runGit(['ls-files', '-s', 'bin/run'], { cwd: clone.path })).startsWith('100755')).toBe(
      true,
    );
  });

  it('accepts a push and reports it', async () => {
    const { root } = await seededRoot();
    const pushed: string[] = [];
    server = await startGitHttpServer({ root, onPush: (repository) => void pushed.push(repository) });
    const clone = await createGitRepo();
    await clone.git(['pull', '--quiet', `${server.url}/group/pkg.git`, 'main']);
    const sha = await clone.commit('Second', { files: { README: 'hello again\n' } });
    await clone.git(['push', '--quiet', `${server.url}/group/pkg.git`, 'HEAD:refs/heads/feature']);
    expect(pushed).toEqual(['group/pkg.git']);
    expect(
      (await runGit(['rev-parse', 'refs/heads/feature'], { cwd: join(root, 'group', 'pkg.git') })).trim(),
    ).toBe(sha);
  });

  it('asks for credentials and refuses a push the authorizer denies', async () => {
    const { root } = await seededRoot();
    server = await startGitHttpServer({
      root,
      authorize: ({ username, password, write }) => {
        if (username === undefined) return 'unauthorized';
        if (password !== 'secret') return 'unauthorized';
        return write ? 'forbidden' : 'allow';
      },
    });
    const authed = server.url.replace('http://', 'http://oauth2:secret@');
    const clone = createTempDir('clone');
    await expect(
      runGit(['clone', '--quiet', `${server.url}/group/pkg.git`, join(clone.path, 'anon')], {
        cwd: clone.path,
      }),
    ).rejects.toThrow(/Authentication failed|could not read Username|401/);
    await runGit(['clone', '--quiet', `${authed}/group/pkg.git`, join(clone.path, 'ok')], {
      cwd: clone.path,
    });
    await expect(
      runGit(['push', '--quiet', 'origin', 'HEAD:refs/heads/x'], { cwd: join(clone.path, 'ok') }),
    ).rejects.toThrow(/403/);
  });
});

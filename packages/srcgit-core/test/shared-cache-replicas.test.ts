import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGitRunner } from '@srcgit/dist-git-converter';
import { createGitRepo, createTempDir, startGitHttpServer } from '@srcgit/test-fixtures';
import type { GitHttpServer, TempDir } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPLICA = fileURLToPath(new URL('./fetch-into-shared-cache.ts', import.meta.url));
const TOKEN = 'glpat-replica-token';

describe('worker replicas sharing one work directory', () => {
  let root: TempDir;
  let work: TempDir;
  let server: GitHttpServer;

  beforeEach(async () => {
    root = createTempDir('served');
    work = createTempDir('shared-work');
    server = await startGitHttpServer({
      root: root.path,
      authorize: (access) => (access.password === TOKEN ? 'allow' : 'unauthorized'),
    });
  });
  afterEach(async () => {
    await server.close();
    await root.remove();
    await work.remove();
  });

  it('take turns on a repository cache: a slow fetch keeps its lock, and the cache stays whole', async () => {
    const repo = await createGitRepo({ branch: 'main' });
    await repo.write({ 'README.md': 'one\n' });
    await repo.commit('one');
    await repo.git(['tag', 'v1.0']);
    await repo.write({ 'README.md': 'two\n' });
    const head = await repo.commit('two');
    await repo.git(['update-ref', 'refs/merge-requests/5/head', head]);
    await createGitRepo({ bare: true, dir: join(root.path, 'src', 'beer.git') });
    await repo.git(['push', '--quiet', join(root.path, 'src', 'beer.git'), 'refs/*:refs/*']);
    const url = new URL(`${server.url}/src/beer.git`);
    url.username = 'oauth2';
    url.password = TOKEN;

    // Each fetch holds the cache for 2.5 times the lock's staleness period (see the replica).
    const replica = () =>
      run(
        process.execPath,
        ['--import', 'tsx', REPLICA, work.path, url.toString(), 'refs/merge-requests/5/head', '2', '2500'],
        { cwd: PACKAGE_DIR },
      );
    await Promise.all([replica(), replica()]);

    const log = (await readFile(join(work.path, 'replica-log'), 'utf8')).trim().split('\n');
    expect(log.filter((line) => line.startsWith('overlap'))).toEqual([]);
    expect(log.filter((line) => line.startsWith(`checked out ${head} `))).toHaveLength(4);
    const cache = join(work.path, 'cache');
    await createGitRunner().run(['fsck', '--no-progress', '--strict'], { cwd: join(cache, 'sg-shared.git') });
    expect((await readdir(cache)).sort()).toEqual(['sg-shared.git']);
  }, 60_000);
});

import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRunner } from '@srcgit/dist-git-converter';
import { createGitRepo, createRecordingGit, createTempDir, startGitHttpServer } from '@srcgit/test-fixtures';
import type { GitHttpAccess, GitHttpServer, TempDir } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGitWorkspace } from './create-git-workspace';

const TOKEN = 'glpat-secret-token';
const IDENTITY = { name: 'srcgit bot', email: 'bot@example.com' };

describe('createGitWorkspace', () => {
  let root: TempDir;
  let work: TempDir;
  let server: GitHttpServer;
  let accesses: GitHttpAccess[];
  let remoteUrl: (path: string) => string;

  beforeEach(async () => {
    root = createTempDir('served');
    work = createTempDir('work');
    accesses = [];
    server = await startGitHttpServer({
      root: root.path,
      authorize: (access) => {
        accesses.push(access);
        return access.password === TOKEN ? 'allow' : 'unauthorized';
      },
    });
    remoteUrl = (path) => {
      const url = new URL(`${server.url}/${path}`);
      url.username = 'oauth2';
      url.password = TOKEN;
      return url.toString();
    };
  });
  afterEach(async () => {
    await server.close();
    await root.remove();
    await work.remove();
  });

  /** A served repository with a `main` branch, a tag and an MR head ref. */
  async function servedSourceGit() {
    const repo = await createGitRepo({ branch: 'main' });
    await repo.write({ 'README.md': 'one\n' });
    const first = await repo.commit('one');
    await repo.git(['tag', 'v1.0']);
    await repo.write({ 'README.md': 'two\n' });
    const second = await repo.commit('two');
    await repo.git(['update-ref', 'refs/merge-requests/5/head', second]);
    await createGitRepo({ bare: true, dir: join(root.path, 'src', 'beer.git') });
    await repo.git(['push', '--quiet', join(root.path, 'src', 'beer.git'), 'refs/*:refs/*']);
    return { first, second, repo };
  }

  it('checks out an MR head with the tags, sharing objects through a per-project cache', async () => {
    const { first, second } = await servedSourceGit();
    const workspace = createGitWorkspace({ workDir: work.path });
    const job = await workspace.openJob('sg-1-5');
    const checkout = await job.checkoutSourceGit({
      cacheKey: 'sg-1',
      remote: { url: remoteUrl('src/beer.git') },
      ref: 'refs/merge-requests/5/head',
      tags: true,
    });
    expect(checkout.headSha).toBe(second);
    expect(await readFile(join(checkout.dir, 'README.md'), 'utf8')).toBe('two\n');
    expect((await job.git.text(['rev-parse', 'v1.0^{commit}'], { cwd: checkout.dir })).trim()).toBe(first);
    expect(accesses.every((access) => access.username === 'oauth2' && access.password === TOKEN)).toBe(true);

    // The credentials are in no file of the cache or the job.
    const config = await readFile(join(work.path, 'cache', 'sg-1.git', 'config'), 'utf8');
    expect(config).not.toContain(TOKEN);

    await job.dispose();
    await expect(stat(job.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    const worktrees = await job.git.text(['worktree', 'list', '--porcelain'], {
      cwd: join(work.path, 'cache', 'sg-1.git'),
    });
    expect(worktrees).not.toContain(job.dir);
  });

  it('lets two jobs of one project start at once on an empty cache', async () => {
    const { second } = await servedSourceGit();
    const workspace = createGitWorkspace({ workDir: work.path });
    const jobs = await Promise.all([workspace.openJob('sg-1-5'), workspace.openJob('sg-1-6')]);
    const checkouts = await Promise.all(
      jobs.map((job) =>
        job.checkoutSourceGit({
          cacheKey: 'sg-1',
          remote: { url: remoteUrl('src/beer.git') },
          ref: 'refs/merge-requests/5/head',
          tags: false,
        }),
      ),
    );
    expect(checkouts.map((checkout) => checkout.headSha)).toEqual([second, second]);
    await Promise.all(jobs.map((job) => job.dispose()));
  });

  it('reports a failed fetch as a transport failure without the token', async () => {
    await servedSourceGit();
    const workspace = createGitWorkspace({ workDir: work.path });
    const job = await workspace.openJob('sg-1-6');
    try {
      const failure = await job
        .checkoutSourceGit({
          cacheKey: 'sg-1',
          remote: { url: remoteUrl('src/beer.git') },
          ref: 'refs/merge-requests/6/head',
          tags: false,
        })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'GIT_TRANSPORT_FAILED' });
      expect(String((failure as Error).message)).toContain(`${server.url}/src/beer.git`);
      expect(JSON.stringify(failure)).not.toContain(TOKEN);
      expect(String((failure as Error).message)).not.toContain(TOKEN);
    } finally {
      await job.dispose();
    }
  });

  it('clears lock files a killed git left in the cache', async () => {
    await servedSourceGit();
    const cache = join(work.path, 'cache', 'sg-1.git');
    const workspace = createGitWorkspace({ workDir: work.path });
    const first = await workspace.openJob('first');
    await first.checkoutSourceGit({
      cacheKey: 'sg-1',
      remote: { url: remoteUrl('src/beer.git') },
      ref: 'refs/heads/main',
      tags: false,
    });
    await first.dispose();
    const lock = join(cache, 'refs', 'heads', 'main.lock');
    await mkdir(join(cache, 'refs', 'heads'), { recursive: true });
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60 * 60_000);
    await utimes(lock, old, old);

    const second = await workspace.openJob('second');
    try {
      const checkout = await second.checkoutSourceGit({
        cacheKey: 'sg-1',
        remote: { url: remoteUrl('src/beer.git') },
        ref: 'refs/heads/main',
        tags: false,
      });
      expect(checkout.headSha).toMatch(/^[0-9a-f]{40}$/);
      expect(await readdir(join(cache, 'refs', 'heads'))).not.toContain('main.lock');
    } finally {
      await second.dispose();
    }
  });

  it('clones a dist-git branch with the bot identity and pushes only a different commit', async () => {
    const distGit = await createGitRepo({ branch: 'c10s' });
    await distGit.write({ 'beer.spec': 'Name: beer\n' });
    await distGit.commit('Import');
    await createGitRepo({ bare: true, dir: join(root.path, 'rpms', 'beer.git') });
    await createGitRepo({ bare: true, dir: join(root.path, 'bot', 'beer.git') });
    await distGit.git(['push', '--quiet', join(root.path, 'rpms', 'beer.git'), 'c10s']);

    const workspace = createGitWorkspace({ workDir: work.path });
    const commitAndPush = async (label: string) => {
      const job = await workspace.openJob(label);
      try {
        const checkout = await job.checkoutDistGit({
          cacheKey: 'dg-2',
          remote: { url: remoteUrl('rpms/beer.git') },
          branch: 'c10s',
          identity: IDENTITY,
        });
        await writeFile(join(checkout.dir, 'beer.spec'), 'Name: beer\nVersion: 1.0\n');
        await job.git.run(['commit', '--quiet', '-am', 'Update beer'], { cwd: checkout.dir });
        const author = await job.git.text(['log', '-1', '--format=%an <%ae>'], { cwd: checkout.dir });
        expect(author.trim()).toBe('srcgit bot <bot@example.com>');
        return await job.pushBranch({
          dir: checkout.dir,
          remote: { url: remoteUrl('bot/beer.git') },
          branch: 'c10s-src-5',
        });
      } finally {
        await job.dispose();
      }
    };
    const pushed = await commitAndPush('one');
    expect(pushed.outcome).toBe('pushed');
    // The same change committed again (another time stamp): nothing to push.
    const again = await commitAndPush('two');
    expect(again).toEqual({ outcome: 'unchanged', sha: pushed.sha });
    const tip = await distGit.git(['ls-remote', join(root.path, 'bot', 'beer.git'), 'refs/heads/c10s-src-5']);
    expect(tip.split('\t')[0]).toBe(pushed.sha);
  });

  it('gives the credentials only to the commands that talk to the remote, and commits as the bot whatever the environment holds', async () => {
    await servedSourceGit();
    const distGit = await createGitRepo({ branch: 'c10s' });
    await distGit.commit('initial', { files: { 'beer.spec': 'Name: beer\n' } });
    await createGitRepo({ bare: true, dir: join(root.path, 'rpms', 'beer.git') });
    await createGitRepo({ bare: true, dir: join(root.path, 'bot', 'beer.git') });
    await distGit.git(['push', '--quiet', join(root.path, 'rpms', 'beer.git'), 'c10s']);
    // In a worker the secrets and any GIT_* variable of its environment are in process.env.
    const hostile = {
      GITLAB_TOKEN: 'glpat-SECRETMARKER',
      WEBHOOK_SECRET: 'SECRETMARKER',
      GIT_AUTHOR_NAME: 'Mallory',
      GIT_COMMITTER_NAME: 'Mallory',
      GIT_AUTHOR_EMAIL: 'm@x',
      GIT_COMMITTER_EMAIL: 'm@x',
      GIT_DIR: '/nonexistent',
      GIT_CONFIG_PARAMETERS: "'core.hookspath'='/tmp/evil'",
    };
    for (const [name, value] of Object.entries(hostile)) vi.stubEnv(name, value);
    try {
      const recording = await createRecordingGit(createTempDir('recording').path);
      const workspace = createGitWorkspace({
        workDir: work.path,
        git: createGitRunner({ binary: recording.binary }),
      });
      const job = await workspace.openJob('sg-1-5');
      await job.checkoutSourceGit({
        cacheKey: 'sg-1',
        remote: { url: remoteUrl('src/beer.git') },
        ref: 'refs/merge-requests/5/head',
        tags: true,
      });
      const checkout = await job.checkoutDistGit({
        cacheKey: 'dg-1',
        remote: { url: remoteUrl('rpms/beer.git') },
        branch: 'c10s',
        identity: IDENTITY,
      });
      await writeFile(join(checkout.dir, 'beer.spec'), 'Name: beer\nVersion: 2\n');
      await job.git.run(['commit', '--quiet', '-am', 'Update beer'], { cwd: checkout.dir });
      const who = await job.git.text(['log', '-1', '--format=%an <%ae>%n%cn <%ce>'], { cwd: checkout.dir });
      expect(who).toBe('srcgit bot <bot@example.com>\nsrcgit bot <bot@example.com>\n');
      await job.pushBranch({
        dir: checkout.dir,
        remote: { url: remoteUrl('bot/beer.git') },
        branch: 'c10s-src-5',
      });
      await job.dispose();

      const basic = Buffer.from(`oauth2:${TOKEN}`).toString('base64');
      const calls = await recording.calls();
      const transports = calls.filter((call) =>
        ['fetch', 'ls-remote', 'push'].some((verb) => call.args.includes(verb)),
      );
      expect(transports.length).toBeGreaterThanOrEqual(4);
      for (const call of calls) {
        const envText = [...call.env].map(([name, value]) => `${name}=${value}`).join('\n');
        expect(envText).not.toMatch(/SECRETMARKER|Mallory|m@x|nonexistent|evil/);
        expect(call.args.join(' ')).not.toContain(TOKEN);
        const isTransport = transports.includes(call);
        expect(envText.includes(basic), `${call.args.join(' ')} has the credentials`).toBe(isTransport);
        // Only the local clone of the job's cache may use a local path.
        const local = call.args.includes('protocol.file.allow=always');
        expect(local, call.args.join(' ')).toBe(call.args.includes('clone'));
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('checks out only the requested paths, unless the commit is not the one they were read from', async () => {
    const repo = await createGitRepo({ branch: 'main' });
    await repo.write({
      'README.md': 'readme\n',
      'src/beer.c': 'int main;\n',
      '.distro/beer.spec': 'Name: beer\n',
    });
    const head = await repo.commit('one');
    await createGitRepo({ bare: true, dir: join(root.path, 'src', 'beer.git') });
    await repo.git([
      'push',
      '--quiet',
      join(root.path, 'src', 'beer.git'),
      `${head}:refs/merge-requests/1/head`,
    ]);
    const workspace = createGitWorkspace({ workDir: work.path });
    const checkout = async (sparseFor: string) => {
      const job = await workspace.openJob('sparse');
      const result = await job.checkoutSourceGit({
        cacheKey: 'sg-1',
        remote: { url: remoteUrl('src/beer.git') },
        ref: 'refs/merge-requests/1/head',
        tags: false,
        sparsePaths: ['./.distro/', '.distro/beer.spec'],
        sparseFor,
      });
      const files = (await readdir(result.dir, { recursive: true })).filter(
        (file) => !file.startsWith('.git'),
      );
      const clean = await job.git.text(['status', '--porcelain'], { cwd: result.dir });
      await job.dispose();
      return { sparse: result.sparse, files: files.sort(), clean };
    };
    expect(await checkout(head)).toEqual({
      sparse: true,
      files: ['.distro', '.distro/beer.spec'],
      clean: '',
    });
    // Another job on the same cache still gets a complete tree.
    expect(await checkout('0'.repeat(40))).toEqual({
      sparse: false,
      files: ['.distro', '.distro/beer.spec', 'README.md', 'src', 'src/beer.c'],
      clean: '',
    });
  });

  it("aborts the job's git transport when its signal fires, and still cleans up", async () => {
    await servedSourceGit();
    const workspace = createGitWorkspace({ workDir: work.path });
    const controller = new AbortController();
    controller.abort();
    const job = await workspace.openJob('aborted', { signal: controller.signal });
    await expect(
      job.checkoutSourceGit({
        cacheKey: 'sg-1',
        remote: { url: remoteUrl('src/beer.git') },
        ref: 'refs/merge-requests/5/head',
        tags: true,
      }),
    ).rejects.toMatchObject({ code: 'GIT_TRANSPORT_FAILED' });
    await job.dispose();
    await expect(stat(job.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

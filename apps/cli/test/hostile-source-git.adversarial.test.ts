/**
 * Adversarial, end to end: the built `srcgit update-dist-git` binary on real repositories whose
 * source-git commit holds symbolic links to places outside the repository (`/proc`, a directory
 * holding a secret, another repository's `.git`), a linked spec and a linked configuration. The
 * conversion refuses with an error naming the item and the path, or copies a link as a link; no
 * byte of the secret (also placed in the CLI's own environment, hence in `/proc/self/environ`)
 * reaches dist-git, standard output or standard error.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  converterGitEnv,
  createBeerFixture,
  createGitRepo,
  createTempDir,
  vectorDate,
  type BeerFixture,
  type Tree,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from './support/run-built-cli';

const MARKER = `SRCGIT-SECRET-${randomBytes(8).toString('hex')}`;

const srcgit = (args: readonly string[]): Promise<CliRun> =>
  runBuiltCli(args, { env: { ...process.env, ...converterGitEnv(), SRCGIT_TEST_SECRET: MARKER } });

/** A directory outside the repositories, with the secret in a file, a spec and a config. */
async function createSecretDir(): Promise<string> {
  const dir = createTempDir('secret').path;
  await writeFile(join(dir, 'marker.txt'), `${MARKER}\n`);
  await writeFile(join(dir, 'secret.yaml'), `${MARKER}: [unclosed\n`);
  await writeFile(join(dir, 'beer.spec'), `Name: beer\n# ${MARKER}\n`);
  await mkdir(join(dir, 'nested'));
  await writeFile(join(dir, 'nested', 'deep.txt'), `${MARKER}\n`);
  return dir;
}

async function hostile(files: Tree, extraItem?: string): Promise<BeerFixture> {
  const fixture = await createBeerFixture(extraItem === undefined ? {} : { extra: extraItem });
  await fixture.sourceGit.commit('Hostile change', {
    date: vectorDate(1),
    files: { hops: 'Amarillo\n', ...files },
  });
  return fixture;
}

/** Every byte of dist-git: its commits' messages, every blob of HEAD, and the working tree's status. */
async function distGitBytes(fixture: BeerFixture): Promise<string> {
  const git = (args: readonly string[], options?: { input: string }) => fixture.distGit.git(args, options);
  const oids = (await git(['ls-tree', '-r', 'HEAD']))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t')[0]?.split(' ')[2] ?? '');
  return [
    await git(['log', '--format=%B']),
    await git(['cat-file', '--batch'], { input: `${oids.join('\n')}\n` }),
    await git(['status', '--porcelain', '--ignored', '--untracked-files=all']),
  ].join('\n');
}

async function convert(fixture: BeerFixture): Promise<CliRun> {
  const before = await fixture.distGit.revParse('HEAD');
  const run = await srcgit(['update-dist-git', '-m', 'Update', fixture.sourceGit.dir, fixture.distGit.dir]);
  expect(run.stdout + run.stderr).not.toContain(MARKER);
  expect(await distGitBytes(fixture)).not.toContain(MARKER);
  if (run.code !== 0) expect(await fixture.distGit.revParse('HEAD')).toBe(before);
  return run;
}

describe('srcgit update-dist-git on a hostile source-git commit', () => {
  it('refuses a source through a link to /proc (its own environment holds the secret)', async () => {
    const run = await convert(
      await hostile(
        { '.distro/up': { symlink: '/proc' } },
        '- src: .distro/up/self/environ\n  dest: environ',
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('files_to_sync[1].src');
    expect(run.stderr).toContain('goes through the symbolic link .distro/up');
  });

  it('refuses a source through a link to a directory outside the repository', async () => {
    const secret = await createSecretDir();
    const run = await convert(
      await hostile(
        { '.distro/up': { symlink: secret } },
        '- src: .distro/up/nested/\n  dest: stolen/\n  mkpath: true',
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('files_to_sync[1].src');
    expect(run.stderr).toContain('goes through the symbolic link .distro/up');
  });

  it("refuses the contents of a link to another repository's .git", async () => {
    const other = await createGitRepo();
    await other.commit('secret', { files: { 'secret.txt': `${MARKER}\n` } });
    const run = await convert(
      await hostile(
        { '.distro/gitdir': { symlink: join(other.dir, '.git') } },
        '- src: .distro/gitdir/\n  dest: stolen/\n  mkpath: true',
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('files_to_sync[1].src');
    expect(run.stderr).toContain('.distro/gitdir is a symbolic link');
  });

  it('refuses a linked spec and a linked configuration without printing their targets', async () => {
    const secret = await createSecretDir();
    const spec = await convert(
      await hostile({ '.distro/beer.spec': { symlink: join(secret, 'beer.spec') } }),
    );
    expect(spec.code).toBe(2);
    expect(spec.stderr).toContain('.distro/beer.spec (specfile_path) is a symbolic link');
    for (const target of [join(secret, 'secret.yaml'), '/etc/passwd']) {
      const config = await convert(await hostile({ '.distro/source-git.yaml': { symlink: target } }));
      expect(config.code).toBe(2);
      expect(config.stderr).toContain(
        '.distro/source-git.yaml is a symbolic link; srcgit reads it from the commit and does not follow links',
      );
      expect(config.stderr).not.toContain(target);
      expect(config.stderr).not.toContain('root:');
    }
  });

  it('copies links inside .distro/ as links and warns about uncommitted files', async () => {
    const secret = await createSecretDir();
    const fixture = await hostile({
      '.distro/secret-dir': { symlink: secret },
      '.distro/environ': { symlink: '/proc/self/environ' },
    });
    await writeFile(join(fixture.sourceGit.dir, '.distro/later.txt'), 'not committed\n');
    const run = await convert(fixture);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(
      `srcgit: warning: uncommitted changes in ${fixture.sourceGit.dir} are not synced (HEAD is converted): .distro/later.txt\n`,
    );
    const listing = await fixture.distGit.git(['ls-tree', '-r', 'HEAD']);
    expect(listing).toMatch(/^120000 blob \S+\tsecret-dir$/m);
    expect(listing).toMatch(/^120000 blob \S+\tenviron$/m);
    expect(listing).not.toContain('later.txt');
  });
});

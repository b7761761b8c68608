/**
 * Adversarial: a hostile source-git commit must not make the converter read anything outside
 * the repository. Everything the conversion reads from source-git (the configuration, the spec,
 * the `files_to_sync` sources) comes from the commit's tree, so a symbolic link is only ever a
 * link: copied as a link, never followed. A source through a link, a linked spec or configuration
 * and a submodule are refused with an error naming the item and the path; no byte of a file
 * outside the repository reaches dist-git or an error message.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  beerConfig,
  createBeerFixture,
  createGitRepo,
  createTempDir,
  runGit,
  vectorDate,
  type BeerFixture,
  type Tree,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError, type ConverterError } from '../src/converter-error';
import { loadSourceGitConfig } from '../src/config/load-source-git-config';
import type { UpdateDistGitOptions } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { fixedGitRunner, repositoryState } from './support/dist-git-state';
import { convertBeerFixture } from './support/convert-beer-fixture';

/** A directory outside every repository, holding files with a marker that must never leak. */
async function createSecret(): Promise<{ dir: string; marker: string }> {
  const dir = createTempDir('secret').path;
  const marker = `SRCGIT-SECRET-${randomBytes(8).toString('hex')}`;
  await writeFile(join(dir, 'marker.txt'), `${marker}\n`);
  await writeFile(join(dir, 'secret.yaml'), `${marker}: [unclosed\n`);
  await writeFile(join(dir, 'beer.spec'), `Name: beer\n# ${marker}\n`);
  await mkdir(join(dir, 'nested'));
  await writeFile(join(dir, 'nested', 'deep.txt'), `${marker}\n`);
  return { dir, marker };
}

/**
 * Source-git of fixture F0 (docs/converter-behaviour.md §7) with one more commit (a code change, so there is
 * a patch) adding `files`.
 */
async function fixtureWith(files: Tree, extraItem?: string): Promise<BeerFixture> {
  const fixture = await createBeerFixture(extraItem === undefined ? {} : { extra: extraItem });
  await fixture.sourceGit.commit('Hostile change', {
    date: vectorDate(1),
    files: { hops: 'Amarillo\n', ...files },
  });
  return fixture;
}

const convert = convertBeerFixture;

/** Every byte dist-git's HEAD commit holds: its message and the contents of every blob. */
async function distGitBytes(dir: string): Promise<string> {
  const files = (await runGit(['ls-tree', '-r', '-z', 'HEAD'], { cwd: dir }))
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => line.split('\t')[0]?.split(' ')[2] ?? '');
  const blobs = await runGit(['cat-file', '--batch'], { cwd: dir, input: `${files.join('\n')}\n` });
  return `${await runGit(['log', '-1', '--format=%B'], { cwd: dir })}\n${blobs}`;
}

/** Runs the conversion and expects a refusal that names `parts`, leaves dist-git as it was and leaks nothing. */
async function expectRefusal(
  fixture: BeerFixture,
  marker: string,
  code: string,
  parts: readonly string[],
  options: Partial<UpdateDistGitOptions> = {},
): Promise<ConverterError> {
  const before = await repositoryState(fixture.distGit.dir);
  const error = await convert(fixture, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isConverterError(error), String(error)).toBe(true);
  const refusal = error as ConverterError;
  expect(refusal.code, refusal.message).toBe(code);
  for (const part of parts) expect(refusal.message).toContain(part);
  expect(JSON.stringify(refusal.toJSON())).not.toContain(marker);
  expect(refusal.cause instanceof Error ? refusal.cause.message : '').not.toContain(marker);
  expect(await repositoryState(fixture.distGit.dir)).toEqual(before);
  expect(await distGitBytes(fixture.distGit.dir)).not.toContain(marker);
  return refusal;
}

describe('symbolic links in source-git are never followed', () => {
  it('refuses a files_to_sync source through a link to /proc (the worker environment)', async () => {
    const fixture = await fixtureWith(
      { '.distro/up': { symlink: '/proc' } },
      '- src: .distro/up/self/environ\n  dest: environ',
    );
    const refusal = await expectRefusal(fixture, 'PATH=', 'CONFIG_INVALID', [
      'files_to_sync[1].src',
      '".distro/up/self/environ" goes through the symbolic link .distro/up',
    ]);
    expect(refusal.message).not.toContain('/proc');
  });

  it('refuses a source through a link to a directory outside the repository', async () => {
    const secret = await createSecret();
    const fixture = await fixtureWith(
      { '.distro/up': { symlink: secret.dir } },
      '- src: .distro/up/marker.txt\n  dest: marker.txt',
    );
    await expectRefusal(fixture, secret.marker, 'CONFIG_INVALID', [
      'files_to_sync[1].src',
      'goes through the symbolic link .distro/up',
    ]);
  });

  it('refuses a wildcard source that goes through a link', async () => {
    const secret = await createSecret();
    const fixture = await fixtureWith(
      { '.distro/up': { symlink: secret.dir } },
      '- src: .distro/*/marker.txt\n  dest: marker.txt',
    );
    await expectRefusal(fixture, secret.marker, 'CONFIG_INVALID', [
      'files_to_sync[1].src',
      'goes through the symbolic link .distro/up',
    ]);
  });

  it("refuses the contents of a linked directory (another repository's .git)", async () => {
    const other = await createGitRepo();
    const secret = await createSecret();
    await other.commit('secret', { files: { 'secret.txt': `${secret.marker}\n` } });
    const fixture = await fixtureWith(
      { '.distro/gitdir': { symlink: join(other.dir, '.git') } },
      '- src: .distro/gitdir/\n  dest: stolen/\n  mkpath: true',
    );
    await expectRefusal(fixture, secret.marker, 'CONFIG_INVALID', [
      'files_to_sync[1].src',
      '".distro/gitdir/" ends with "/"',
      '.distro/gitdir is a symbolic link',
    ]);
  });

  it('copies links inside a synced directory as links, never their targets', async () => {
    const secret = await createSecret();
    const fixture = await fixtureWith({
      '.distro/secret-file': { symlink: join(secret.dir, 'marker.txt') },
      '.distro/secret-dir': { symlink: secret.dir },
      '.distro/proc': { symlink: '/proc/self/environ' },
    });
    const result = await convert(fixture);
    expect(result.outcome).toBe('committed');
    const dg = fixture.distGit.dir;
    const listing = await runGit(['ls-tree', '-r', 'HEAD'], { cwd: dg });
    expect(listing).toMatch(/^120000 blob \S+\tsecret-file$/m);
    expect(listing).toMatch(/^120000 blob \S+\tsecret-dir$/m);
    expect(listing).toMatch(/^120000 blob \S+\tproc$/m);
    expect(listing).not.toMatch(/secret-dir\//);
    expect(await runGit(['cat-file', 'blob', 'HEAD:secret-file'], { cwd: dg })).toBe(
      join(secret.dir, 'marker.txt'),
    );
    expect(await distGitBytes(dg)).not.toContain(secret.marker);
    expect(await distGitBytes(dg)).not.toContain('PATH=');
  });

  it('refuses a spec that is a link, without reading it', async () => {
    const secret = await createSecret();
    for (const syncChangelog of [true, false]) {
      const fixture = await createBeerFixture({ syncChangelog });
      await fixture.sourceGit.commit('Link the spec', {
        date: vectorDate(1),
        files: { hops: 'Amarillo\n', '.distro/beer.spec': { symlink: join(secret.dir, 'beer.spec') } },
      });
      await expectRefusal(fixture, secret.marker, 'SPEC_INVALID', [
        '.distro/beer.spec (specfile_path) is a symbolic link; srcgit reads it from the commit and does not follow links',
      ]);
    }
  });

  it('refuses a configuration that is a link, never printing the target', async () => {
    const secret = await createSecret();
    for (const target of [join(secret.dir, 'secret.yaml'), '/etc/passwd']) {
      const fixture = await fixtureWith({ '.distro/source-git.yaml': { symlink: target } });
      const refusal = await expectRefusal(fixture, secret.marker, 'CONFIG_INVALID', [
        '.distro/source-git.yaml is a symbolic link; srcgit reads it from the commit and does not follow links',
      ]);
      expect(refusal.message).not.toContain(target);
      expect(refusal.message).not.toContain('root:');
    }
  });

  it('refuses a configuration whose directory is a link', async () => {
    const secret = await createSecret();
    await mkdir(join(secret.dir, 'distro'));
    await writeFile(join(secret.dir, 'distro', 'source-git.yaml'), `${beerConfig()}# ${secret.marker}\n`);
    const fixture = await createBeerFixture();
    await fixture.sourceGit.commit('Move .distro out', {
      date: vectorDate(1),
      files: { '.distro': { symlink: join(secret.dir, 'distro') } },
    });
    await expectRefusal(fixture, secret.marker, 'CONFIG_INVALID', [
      '.distro/source-git.yaml goes through the symbolic link .distro',
    ]);
  });

  it('refuses a submodule in a synced directory', async () => {
    const fixture = await fixtureWith({});
    const sg = fixture.sourceGit;
    const head = (await sg.git(['rev-parse', 'HEAD'])).trim();
    await sg.git(['update-index', '--add', '--cacheinfo', `160000,${head},.distro/sub`]);
    await sg.git(['commit', '-q', '--no-verify', '-m', 'Add a submodule']);
    await expectRefusal(fixture, 'never-present', 'CONFIG_INVALID', [
      'files_to_sync[0].src',
      '.distro/sub is a git submodule',
    ]);
  });
});

describe('the conversion reads the commit, not the working tree', () => {
  it('uses the committed configuration and files, and reports uncommitted ones', async () => {
    const secret = await createSecret();
    const fixture = await fixtureWith({ '.distro/notes.txt': 'committed\n' });
    const sg = fixture.sourceGit.dir;
    // Uncommitted: a configuration copying an outside file, an edited and an untracked file.
    await writeFile(
      join(sg, '.distro/source-git.yaml'),
      beerConfig({ extra: `- src: .distro/leak/\n  dest: leak/\n  mkpath: true` }),
    );
    await fixture.sourceGit.write({ '.distro/leak': { symlink: secret.dir } });
    await writeFile(join(sg, '.distro/notes.txt'), 'edited\n');
    await writeFile(join(sg, '.distro/untracked.txt'), 'untracked\n');
    const reported: string[][] = [];
    const result = await convert(fixture, { onUncommittedChanges: (paths) => reported.push([...paths]) });
    expect(result.outcome).toBe('committed');
    const dg = fixture.distGit.dir;
    expect(await readFile(join(dg, 'notes.txt'), 'utf8')).toBe('committed\n');
    const listing = await runGit(['ls-tree', '-r', '--name-only', 'HEAD'], { cwd: dg });
    expect(listing).not.toMatch(/untracked|leak/);
    expect(await distGitBytes(dg)).not.toContain(secret.marker);
    expect(reported).toEqual([
      ['.distro/leak', '.distro/notes.txt', '.distro/source-git.yaml', '.distro/untracked.txt'],
    ]);
    // The trailer names the commit whose files were synced.
    expect(await runGit(['log', '-1', '--format=%B'], { cwd: dg })).toContain(
      `From-source-git-commit: ${(await fixture.sourceGit.git(['rev-parse', 'HEAD'])).trim()}`,
    );
  });

  it('loadSourceGitConfig refuses a linked configuration in the working tree and in a commit', async () => {
    const secret = await createSecret();
    const repo = await createGitRepo();
    await repo.commit('linked config', {
      files: { '.distro/source-git.yaml': { symlink: join(secret.dir, 'secret.yaml') } },
    });
    for (const commit of [undefined, 'HEAD']) {
      const error = await loadSourceGitConfig({
        sourceGitDir: repo.dir,
        ...(commit === undefined ? {} : { commit }),
      }).catch((caught: unknown) => caught as ConverterError);
      expect(isConverterError(error)).toBe(true);
      expect((error as ConverterError).message).toContain('.distro/source-git.yaml is a symbolic link');
      expect(JSON.stringify((error as ConverterError).toJSON())).not.toContain(secret.marker);
    }
  });

  it('update-source-git refuses a linked spec in source-git', async () => {
    const secret = await createSecret();
    const fixture = await createBeerFixture();
    await fixture.sourceGit.commit('Link the spec', {
      date: vectorDate(1),
      files: { '.distro/beer.spec': { symlink: join(secret.dir, 'beer.spec') } },
    });
    await fixture.distGit.commit('A dist-git change', { files: { 'README.md': 'x\n' } });
    const error = await updateSourceGit({
      sourceGitDir: fixture.sourceGit.dir,
      distGitDir: fixture.distGit.dir,
      git: fixedGitRunner(),
      force: true,
      range: 'HEAD~1..HEAD',
    }).catch((caught: unknown) => caught as ConverterError);
    expect(isConverterError(error)).toBe(true);
    expect((error as ConverterError).message).toContain(
      'specfile_path .distro/beer.spec is not a regular file',
    );
    expect(JSON.stringify((error as ConverterError).toJSON())).not.toContain(secret.marker);
  });
});

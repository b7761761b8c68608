/**
 * Adversarial: a hostile source-git commit must not make the converter write anywhere but
 * dist-git's working tree. `files_to_sync` destinations under `.git` (in any spelling), a
 * symbolic link in the way of a write, a file the plan did not expect, and hostile `Patch-name`s
 * each end in a clear error naming the item or commit, and leave dist-git exactly as it was —
 * `.git/hooks`, `.git/config` and `.git/info` included.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as nodeFs from 'node:fs';
import {
  beerConfig,
  createBeerFixture,
  createTempDir,
  vectorDate,
  type BeerFixture,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError, type ConverterError } from '../src/converter-error';
import { applyTreeChanges, type TreeChange } from '../src/dist-git/apply-tree-changes';
import { fastImportCommits } from '../src/init/fast-import-commits';
import type { UpdateDistGitOptions } from '../src/update-dist-git';
import { updateSourceGit } from '../src/update-source-git';
import { createBeerPair, TEST_CLOCK, testGitRunner } from './support/beer-pair';
import { repositoryState } from './support/dist-git-state';
import { convertBeerFixture } from './support/convert-beer-fixture';

const HOOK = '#!/bin/sh\necho pwned > "$HOME/srcgit-pwned"\n';

/** Every file under `.git` that git would run or obey: hooks, config, info (with their bytes). */
async function gitDirState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  const walk = async (relative: string): Promise<void> => {
    for (const name of (await readdir(join(dir, relative))).sort()) {
      const path = `${relative}/${name}`;
      const stats = await lstat(join(dir, path));
      if (stats.isDirectory()) await walk(path);
      else if (stats.isSymbolicLink()) state[path] = 'link';
      else
        state[path] = createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex');
    }
  };
  for (const top of ['.git/hooks', '.git/info']) await walk(top);
  state['.git/config'] = await readFile(join(dir, '.git/config'), 'utf8');
  const topLevel = await readdir(join(dir, '.git'));
  state['.git/'] = topLevel
    .filter((name) => !/^(index|index\.lock|ORIG_HEAD|objects|logs)$/.test(name))
    .sort()
    .join(' ');
  return state;
}

const convert = convertBeerFixture;

/** Runs the conversion, expects a ConverterError, and dist-git (its `.git` too) exactly as before. */
async function expectRefusal(
  fixture: BeerFixture,
  code: string,
  messageParts: readonly (string | RegExp)[],
  options: Partial<UpdateDistGitOptions> = {},
): Promise<ConverterError> {
  const dir = fixture.distGit.dir;
  const before = await repositoryState(dir);
  const gitBefore = await gitDirState(dir);
  const error = await convert(fixture, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isConverterError(error), String(error)).toBe(true);
  const refusal = error as ConverterError;
  expect(refusal.code, refusal.message).toBe(code);
  for (const part of messageParts) {
    if (typeof part === 'string') expect(refusal.message).toContain(part);
    else expect(refusal.message).toMatch(part);
  }
  expect(await repositoryState(dir)).toEqual(before);
  expect(await gitDirState(dir)).toEqual(gitBefore);
  return refusal;
}

/** Source-git with a hook-like file in `.distro/` and one more `files_to_sync` item. */
async function withHostileItem(item: string): Promise<BeerFixture> {
  const fixture = await createBeerFixture({ extra: item });
  await fixture.sourceGit.commit('Add a helper script', {
    date: vectorDate(1),
    files: {
      '.distro/pre-commit': { content: HOOK, executable: true },
      '.distro/evil-config': '[core]\n\tfsmonitor = "echo pwned > /tmp/srcgit-pwned #"\n',
      hops: 'Amarillo\n',
    },
  });
  return fixture;
}

describe('files_to_sync destinations are confined to the dist-git working tree', () => {
  const hostile: readonly { readonly dest: string; readonly src: string; readonly mkpath: boolean }[] = [
    { dest: '.git/hooks/', src: '.distro/pre-commit', mkpath: true },
    { dest: '.git/hooks/pre-commit', src: '.distro/pre-commit', mkpath: false },
    { dest: '.git/config', src: '.distro/evil-config', mkpath: false },
    { dest: '.GIT/hooks/', src: '.distro/pre-commit', mkpath: true },
    { dest: '.Git/hooks', src: '.distro/pre-commit', mkpath: true },
    { dest: '.git./config', src: '.distro/evil-config', mkpath: false },
    { dest: '.git /config', src: '.distro/evil-config', mkpath: true },
    { dest: 'git~1/hooks/pre-commit', src: '.distro/pre-commit', mkpath: true },
    { dest: 'sub/.git/hooks/x', src: '.distro/pre-commit', mkpath: true },
    { dest: './.git/hooks/', src: '.distro/pre-commit', mkpath: true },
  ];
  for (const { dest, src, mkpath } of hostile) {
    it(`refuses dest ${JSON.stringify(dest)}${mkpath ? ' with mkpath' : ''}, writing nothing under .git`, async () => {
      const fixture = await withHostileItem(
        [`- src: ${src}`, `  dest: ${JSON.stringify(dest)}`, ...(mkpath ? ['  mkpath: true'] : [])].join(
          '\n',
        ),
      );
      await expectRefusal(fixture, 'CONFIG_INVALID', [
        'files_to_sync[1].dest',
        JSON.stringify(dest),
        /git's own directory/,
      ]);
      await expect(lstat(join(fixture.distGit.dir, '.git/hooks/pre-commit'))).rejects.toThrow(/ENOENT/);
    });
  }

  const broken: readonly { readonly dest: string; readonly rule: RegExp }[] = [
    { dest: '../outside', rule: /is not inside the dist-git repository/ },
    { dest: 'a/../../outside', rule: /is not inside the dist-git repository/ },
    { dest: '/tmp/outside', rule: /is not inside the dist-git repository/ },
    { dest: 'a//b', rule: /empty component/ },
    { dest: 'a\\b', rule: /backslash/ },
    { dest: 'a\u0001b', rule: /control character/ },
  ];
  for (const { dest, rule } of broken) {
    it(`refuses dest ${JSON.stringify(dest)}, naming the item, the path and the rule`, async () => {
      const fixture = await withHostileItem(
        `- src: .distro/pre-commit\n  dest: ${JSON.stringify(dest)}\n  mkpath: true`,
      );
      await expectRefusal(fixture, 'CONFIG_INVALID', ['files_to_sync[1].dest', JSON.stringify(dest), rule]);
    });
  }

  it('refuses a src under .git, naming the item', async () => {
    const fixture = await withHostileItem('- src: .git/config\n  dest: leaked-config');
    await expectRefusal(fixture, 'CONFIG_INVALID', [
      'files_to_sync[1].src',
      '".git/config"',
      /git's own directory/,
    ]);
  });
});

describe('the writer never writes through a symbolic link or over what it did not expect', () => {
  it('replaces a committed directory link by a directory, never writing where it points', async () => {
    const outside = createTempDir('outside').path;
    const fixture = await createBeerFixture({
      extra: '- src: .distro/doc.txt\n  dest: docs/doc.txt\n  mkpath: true',
    });
    await fixture.distGit.commit('Docs are elsewhere', { files: { docs: { symlink: outside } } });
    await fixture.sourceGit.commit('Add docs', {
      date: vectorDate(1),
      files: { '.distro/doc.txt': 'doc\n' },
    });
    await convert(fixture);
    expect(await readdir(outside)).toEqual([]);
    expect((await lstat(join(fixture.distGit.dir, 'docs'))).isDirectory()).toBe(true);
    expect(await readFile(join(fixture.distGit.dir, 'docs/doc.txt'), 'utf8')).toBe('doc\n');
  });

  it('refuses to write below an uncommitted link to a directory outside (pristine check off)', async () => {
    const outside = createTempDir('outside').path;
    const fixture = await createBeerFixture({
      extra: '- src: .distro/doc.txt\n  dest: docs/doc.txt\n  mkpath: true',
    });
    await fixture.sourceGit.commit('Add docs', {
      date: vectorDate(1),
      files: { '.distro/doc.txt': 'doc\n' },
    });
    await symlink(outside, join(fixture.distGit.dir, 'docs'));
    await expectRefusal(
      fixture,
      'DIST_GIT_WRITE_FAILED',
      ['docs is a symbolic link in the working tree, not a directory', 'nothing was changed'],
      { checkPristine: false },
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses to replace an uncommitted file the plan did not expect (pristine check off)', async () => {
    const fixture = await createBeerFixture({ extra: '- src: .distro/doc.txt\n  dest: doc.txt' });
    await fixture.sourceGit.commit('Add docs', {
      date: vectorDate(1),
      files: { '.distro/doc.txt': 'doc\n' },
    });
    await writeFile(join(fixture.distGit.dir, 'doc.txt'), 'the packager was writing this\n');
    await expectRefusal(
      fixture,
      'DIST_GIT_WRITE_FAILED',
      ['the working tree has a regular file at doc.txt where dist-git HEAD has nothing'],
      { checkPristine: false },
    );
    expect(await readFile(join(fixture.distGit.dir, 'doc.txt'), 'utf8')).toBe(
      'the packager was writing this\n',
    );
  });

  /** applyTreeChanges on a fresh repository, expecting a refusal and nothing changed. */
  async function expectWriterRefusal(
    prepare: (dir: string) => Promise<void>,
    changes: readonly TreeChange[],
    message: RegExp,
  ): Promise<string> {
    const fixture = await createBeerFixture();
    const dir = fixture.distGit.dir;
    await prepare(dir);
    const before = await repositoryState(dir);
    const gitBefore = await gitDirState(dir);
    const error = await applyTreeChanges({ fs: nodeFs, dir, gitDir: join(dir, '.git'), changes }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isConverterError(error), String(error)).toBe(true);
    expect((error as ConverterError).code).toBe('DIST_GIT_WRITE_FAILED');
    expect((error as Error).message).toMatch(message);
    expect(await repositoryState(dir)).toEqual(before);
    expect(await gitDirState(dir)).toEqual(gitBefore);
    return dir;
  }

  const file = (content: string) => ({ mode: '100644' as const, content: Buffer.from(content) });
  for (const path of [
    '.git/hooks/pre-commit',
    '.GIT/config',
    '.git./config',
    'a/.git /hooks/x',
    '.git::$INDEX_ALLOCATION/config',
    '.g\u200cit/config',
    'GIT~1/config',
    'a/../.git/config',
    '/etc/passwd',
    'a\nb',
    'a\\b',
    '',
  ]) {
    it(`refuses to write the generated path ${JSON.stringify(path)}`, async () => {
      await expectWriterRefusal(
        () => Promise.resolve(),
        [
          { path: 'fine.txt', before: undefined, after: file('fine\n') },
          { path, before: undefined, after: file(HOOK) },
        ],
        /\(check .*\): refusing the path .*: it (is|has|holds)/s,
      );
    });
  }

  it('refuses to move a file out of or into a directory reached through a link', async () => {
    const outside = createTempDir('outside').path;
    await writeFile(join(outside, 'victim'), 'keep me\n');
    await expectWriterRefusal(
      (dir) => symlink(outside, join(dir, 'docs')),
      [{ path: 'docs/victim', before: { mode: '100644' }, after: undefined }],
      /docs is a symbolic link in the working tree, not a directory: srcgit never writes through it/,
    );
    expect(await readFile(join(outside, 'victim'), 'utf8')).toBe('keep me\n');
    await expectWriterRefusal(
      (dir) => symlink(outside, join(dir, 'docs')),
      [{ path: 'docs/new', before: undefined, after: file('x\n') }],
      /docs is a symbolic link/,
    );
    expect(await readdir(outside)).toEqual(['victim']);
  });

  it('refuses to replace a file whose kind is not the one the plan expects', async () => {
    const outside = createTempDir('outside').path;
    await expectWriterRefusal(
      async (dir) => {
        await mkdir(join(dir, 'dir'));
        await writeFile(join(dir, 'dir/x'), 'x\n');
      },
      [{ path: 'dir', before: { mode: '100644' }, after: file('file\n') }],
      /the working tree has a directory at dir where dist-git HEAD has a regular file/,
    );
    await expectWriterRefusal(
      async (dir) => symlink(join(outside, 'x'), join(dir, 'link')),
      [{ path: 'link', before: { mode: '100644' }, after: file('file\n') }],
      /has a symbolic link at link where dist-git HEAD has a regular file/,
    );
  });
});

describe('Patch-name is a safe file name that replaces nothing but a patch', () => {
  async function withPatchName(name: string, extraFiles: Record<string, string> = {}) {
    const fixture = await createBeerFixture({ config: beerConfig() });
    const sha = await fixture.sourceGit.commit(`Hostile name\n\nPatch-name: ${name}\n`, {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n', ...extraFiles },
    });
    return { fixture, short: sha.slice(0, 12) };
  }

  const invalid: readonly { readonly name: string; readonly rule: RegExp }[] = [
    { name: '../x', rule: /no "\/", not "\." or "\.\."/ },
    { name: '.git', rule: /starts with "\."/ },
    { name: '.gitlab-ci.yml', rule: /starts with "\."/ },
    { name: '-rf', rule: /starts with "-"/ },
    { name: 'x\ty', rule: /control character/ },
    { name: 'x\n y', rule: /control character|white space/ },
    { name: 'x y.patch', rule: /white space/ },
    { name: 'a\\b.patch', rule: /backslash/ },
    { name: '%{getenv:HOME}.patch', rule: /"%", which rpm expands/ },
    { name: 'GIT~1', rule: /git's own directory/ },
    { name: `${'x'.repeat(300)}.patch`, rule: /bytes long \(at most 255/ },
  ];
  for (const { name, rule } of invalid) {
    it(`refuses Patch-name ${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…` : name)}`, async () => {
      const { fixture, short } = await withPatchName(name);
      await expectRefusal(fixture, 'PATCH_NAME_INVALID', [
        `commit ${short} ("Hostile name")`,
        'Patch-name',
        'is not a valid patch file name',
        rule,
      ]);
    });
  }

  const taken: readonly { readonly name: string; readonly owner: string }[] = [
    { name: 'beer.spec', owner: 'beer.spec (the spec)' },
    { name: 'BEER.SPEC', owner: 'beer.spec (the spec)' },
    { name: 'sources', owner: 'sources' },
    { name: 'Sources', owner: 'sources' },
    { name: 'README.packit', owner: 'README.packit (written by files_to_sync)' },
  ];
  for (const { name, owner } of taken) {
    it(`refuses Patch-name ${JSON.stringify(name)}, which would replace ${owner}`, async () => {
      const { fixture, short } = await withPatchName(name, { '.distro/README.packit': 'read me\n' });
      await expectRefusal(fixture, 'PATCH_NAME_CONFLICT', [
        `commit ${short} ("Hostile name")`,
        `Patch-name ${JSON.stringify(name)}`,
        `would overwrite the dist-git file ${owner}`,
      ]);
    });
  }
});

describe('update-source-git and init write no .git path into source-git', () => {
  it('refuses a dist-git commit whose file would land in a .GIT directory of source-git', async () => {
    const { sg, dg } = await createBeerPair();
    const head = await sg.revParse('HEAD');
    const parent = await dg.revParse('HEAD');
    // git add refuses such a path; fast-import writes it, as a hostile push could.
    const hook = '#!/bin/sh\necho pwned\n';
    const message = 'Plant a hook\n';
    await dg.git(['fast-import', '--quiet'], {
      input: [
        'commit refs/heads/main',
        'committer C O Mitter <committer@example.com> 1704110400 +0000',
        `data ${Buffer.byteLength(message)}`,
        message,
        `from ${parent}`,
        'M 100755 inline .GIT/hooks/post-checkout',
        `data ${Buffer.byteLength(hook)}`,
        hook,
        '',
      ].join('\n'),
    });
    const planted = await dg.revParse('HEAD');
    const failure = updateSourceGit({
      sourceGitDir: sg.dir,
      distGitDir: dg.dir,
      git: testGitRunner(),
      clock: TEST_CLOCK,
    });
    await expect(failure).rejects.toMatchObject({ code: 'UNSUPPORTED_CHANGE', data: { commit: planted } });
    await expect(failure).rejects.toThrow(
      /Plant a hook.*\.GIT\/hooks\/post-checkout.*"\.distro\/\.GIT\/hooks\/post-checkout" is refused: it has the component "\.GIT", which names git's own directory/s,
    );
    expect(await sg.revParse('HEAD')).toBe(head);
    expect(await sg.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await readdir(join(sg.dir, '.git/hooks'))).not.toContain('post-checkout');
  });

  it('refuses to write a source-git commit with a .git path during init', async () => {
    const repo = await createBeerFixture();
    const head = await repo.sourceGit.revParse('HEAD');
    const committer = {
      name: 'C O Mitter',
      email: 'committer@example.com',
      date: 'Mon, 1 Jan 2024 12:00:00 +0000',
    };
    for (const path of ['.git/hooks/pre-commit', 'a/.GIT./config', 'git~1/config', '../x']) {
      await expect(
        fastImportCommits(testGitRunner(), repo.sourceGit.dir, head, committer, [
          {
            author: committer,
            message: 'Hostile\n',
            changes: [{ path, mode: '100755', content: Buffer.from(HOOK) }],
          },
        ]),
      ).rejects.toMatchObject({
        code: 'UNSUPPORTED_CHANGE',
        message: expect.stringMatching(
          /^cannot write the source-git commit "Hostile": the path .* is refused: it has/,
        ) as unknown,
      });
    }
    expect(await repo.sourceGit.revParse('HEAD')).toBe(head);
  });
});

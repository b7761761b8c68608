import { spawnSync } from 'node:child_process';
import { chmod, cp, lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTempDir, runGit } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileSyncItem } from '../config/source-git-config';
import { isConverterError } from '../converter-error';
import { createGitRunner } from '../git/git-runner';
import { readCommitTree, type CommitTree } from '../git/read-commit-tree';
import { syncFiles, syncSourcePaths } from './sync-files';
import type { TreeFile } from './tree-file';

/** Commits the working tree at `root` (a new repository) and lists what `items` need of it. */
async function commitSource(root: string, items: readonly FileSyncItem[]): Promise<CommitTree> {
  await mkdir(root, { recursive: true });
  await runGit(['init', '-q'], { cwd: root });
  await runGit(['add', '-A'], { cwd: root });
  await runGit(['commit', '-q', '--allow-empty', '-m', 'source'], { cwd: root });
  const commit = (await runGit(['rev-parse', 'HEAD'], { cwd: root })).trim();
  return readCommitTree({ git: createGitRunner(), dir: root, commit, paths: syncSourcePaths(items) });
}

type Entry = string | { exec: string } | { link: string };

async function writeTree(root: string, files: Readonly<Record<string, Entry>>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [path, entry] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    if (typeof entry === 'string') await writeFile(target, entry);
    else if ('exec' in entry) {
      await writeFile(target, entry.exec);
      await chmod(target, 0o755);
    } else await symlink(entry.link, target);
  }
}

/** The files (not directories) under `root`, as the converter's tree model. */
async function readTree(root: string, prefix = ''): Promise<Map<string, TreeFile>> {
  const tree = new Map<string, TreeFile>();
  for (const name of await readdir(join(root, prefix))) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await lstat(join(root, path));
    if (stats.isSymbolicLink()) {
      tree.set(path, { mode: '120000', content: Buffer.from(await readlink(join(root, path))) });
    } else if (stats.isDirectory()) {
      for (const [child, file] of await readTree(root, path)) tree.set(child, file);
    } else {
      tree.set(path, {
        mode: (stats.mode & 0o100) !== 0 ? '100755' : '100644',
        content: await readFile(join(root, path)),
      });
    }
  }
  return tree;
}

function printable(tree: ReadonlyMap<string, TreeFile>): Record<string, string> {
  return Object.fromEntries(
    [...tree]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, file]) => [path, `${file.mode} ${Buffer.from(file.content).toString()}`]),
  );
}

function item(partial: Partial<FileSyncItem> & Pick<FileSyncItem, 'src' | 'dest'>): FileSyncItem {
  return { delete: false, mkpath: false, filters: [], ...partial };
}

/**
 * Runs the real rsync as packit does, minus the quick check (sources glob-expanded by the shell, as Python's glob does);
 * returns false when rsync refuses the transfer. A missing `dir/` source makes rsync report
 * "change_dir failed" (exit 23) while it still transfers the rest: srcgit ignores such a source
 * like any missing one, so that case counts as success.
 */
function rsync(sg: string, dg: string, sync: FileSyncItem): boolean {
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  // --ignore-times: srcgit compares contents, never rsync's size+mtime quick check
  // (docs/converter-behaviour.md Q7).
  const args = ['--archive', '--ignore-times'];
  if (sync.delete) args.push('--delete');
  for (const filter of sync.filters) args.push('--filter', quote(filter));
  if (sync.mkpath) args.push('--mkpath');
  args.push('--ignore-missing-args', ...sync.src.map((src) => `${quote(`${sg}/`)}${src}`));
  args.push(quote(join(dg, sync.dest) + (sync.dest.endsWith('/') ? '/' : '')));
  const result = spawnSync('bash', ['-c', `shopt -s nullglob; exec rsync ${args.join(' ')}`], {
    encoding: 'utf8',
  });
  if (result.status === 23) {
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('rsync: '));
    return errors.every((line) => /\[sender\] change_dir ".*" failed: No such file or directory/.test(line));
  }
  return result.status === 0;
}

async function compareWithRsync(
  sgFiles: Readonly<Record<string, Entry>>,
  dgFiles: Readonly<Record<string, Entry>>,
  sync: FileSyncItem,
): Promise<void> {
  const base = createTempDir('sync');
  const sg = join(base.path, 'sg');
  const dg = join(base.path, 'dg');
  const expected = join(base.path, 'expected');
  await writeTree(sg, sgFiles);
  await writeTree(dg, dgFiles);
  await cp(dg, expected, { recursive: true, verbatimSymlinks: true });
  const before = await readTree(dg);
  const ok = rsync(sg, expected, sync);
  const source = await commitSource(sg, [sync]);
  const outcome = await syncFiles({ source, items: [sync], tree: before }).then(
    (tree) => ({ tree }),
    (error: unknown) => ({ error }),
  );
  if (!ok) {
    expect('error' in outcome && isConverterError(outcome.error)).toBe(true);
  } else {
    if ('error' in outcome) throw outcome.error;
    expect(printable(outcome.tree)).toEqual(printable(await readTree(expected)));
  }
  expect(printable(await readTree(dg))).toEqual(printable(before));
  await base.remove();
}

const DISTRO: Readonly<Record<string, Entry>> = {
  '.distro/beer.spec': 'Name: beer\n',
  '.distro/source-git.yaml': 'upstream_ref: 0.1.0\n',
  '.distro/.gitignore': '# Reset gitignore rules\n!*\n',
  '.distro/keep.patch': 'dummy\n',
  '.distro/tests/smoke.sh': { exec: '#!/bin/sh\ntrue\n' },
  '.distro/tests/.gitignore': 'x\n',
  '.distro/tests/data.lnk': { link: '../beer.spec' },
};
const INIT_FILTERS = ['protect .git*', 'protect sources', 'exclude source-git.yaml', 'exclude .gitignore'];

describe('syncFiles', () => {
  it('mirrors .distro/ into the dist-git root as the init-style item does', async () => {
    await compareWithRsync(
      DISTRO,
      {
        'beer.spec': 'old\n',
        sources: 'SHA512 (beerware-0.1.0.tar.gz) = 0123\n',
        '.gitignore': '/beerware-*.tar.gz\n',
        '0001-old.patch': 'old patch\n',
        'README.packit': 'gone\n',
        'tests/old.sh': 'gone\n',
      },
      item({ src: ['.distro/'], dest: '.', delete: true, filters: INIT_FILTERS }),
    );
  });

  it('copies a directory itself when its source has no trailing slash, deleting only inside it', async () => {
    await compareWithRsync(
      DISTRO,
      { 'other.txt': 'stays\n', '.distro/stale': 'goes\n', '.distro/sources': 'stays\n' },
      item({ src: ['.distro'], dest: '.', delete: true, filters: ['protect sources'] }),
    );
  });

  it('copies a single file under a new name, and into an existing directory', async () => {
    await compareWithRsync(
      DISTRO,
      { 'beer.spec': 'old\n' },
      item({ src: ['.distro/beer.spec'], dest: 'beer.spec' }),
    );
    await compareWithRsync(DISTRO, { 'tests/x': 'x\n' }, item({ src: ['.distro/beer.spec'], dest: 'tests' }));
  });

  it('ignores missing sources and expands wildcards', async () => {
    await compareWithRsync(DISTRO, {}, item({ src: ['source-git.yaml'], dest: 'source-git.yaml' }));
    await compareWithRsync(
      DISTRO,
      { 'a.patch': 'a\n' },
      item({ src: ['.distro/*.patch', '.distro/*.spec'], dest: '.' }),
    );
  });

  it('needs mkpath to create missing parent directories', async () => {
    await compareWithRsync(DISTRO, {}, item({ src: ['.distro/tests/'], dest: 'a/b' }));
    await compareWithRsync(DISTRO, {}, item({ src: ['.distro/tests/'], dest: 'a/b', mkpath: true }));
    await compareWithRsync(DISTRO, {}, item({ src: ['.distro/beer.spec'], dest: 'x/y.spec', mkpath: true }));
  });

  it('keeps protected entries of a deleted directory and the directory with them', async () => {
    await compareWithRsync(
      { 'src/a': 'a\n' },
      { 'old/keep.me': 'k\n', 'old/other': 'o\n', 'old/sub/keep.me': 'k\n', 'old/sub/x': 'x\n' },
      item({ src: ['src/'], dest: '.', delete: true, filters: ['protect keep.me'] }),
    );
  });

  it('anchors patterns with a leading slash and matches inner-slash patterns at the end of the path', async () => {
    await compareWithRsync(
      DISTRO,
      { 'tests/smoke.sh': 'x\n', 'keep.patch': 'y\n', 'z/keep.patch': 'z\n' },
      item({
        src: ['.distro/'],
        dest: '.',
        delete: true,
        filters: ['- /keep.patch', 'P tests/smoke.sh', '- .gitignore', '+ /tests/***', 'hide *'],
      }),
    );
  });

  it('copies a same-size edit made in the same second (content comparison, Q7 fixed)', async () => {
    await compareWithRsync(
      { '.distro/beer.spec': 'Release: 2\n' },
      { 'beer.spec': 'Release: 1\n' },
      item({ src: ['.distro/beer.spec'], dest: 'beer.spec' }),
    );
  });

  it('never copies a path listed in neverCopy', async () => {
    const base = createTempDir('sync');
    await writeTree(base.path, DISTRO);
    const items = [item({ src: ['.distro/'], dest: '.' })];
    const tree = await syncFiles({
      source: await commitSource(base.path, items),
      items,
      tree: new Map(),
      neverCopy: ['.distro/source-git.yaml'],
    });
    expect([...tree.keys()].sort()).toEqual([
      '.gitignore',
      'beer.spec',
      'keep.patch',
      'tests/.gitignore',
      'tests/data.lnk',
      'tests/smoke.sh',
    ]);
  });

  it('refuses paths outside the repository and unsupported filters, naming the item', async () => {
    const empty = await commitSource(createTempDir('sync').path, []);
    const attempt = (sync: FileSyncItem) => syncFiles({ source: empty, items: [sync], tree: new Map() });
    await expect(attempt(item({ src: ['../x'], dest: '.' }))).rejects.toThrow(
      'files_to_sync[0].src: illegal path "../x": it is not inside the source-git repository',
    );
    await expect(
      attempt(item({ src: ['.distro/'], dest: '.', filters: ['merge /etc/rules'] })),
    ).rejects.toThrow(
      'files_to_sync[0]: filter "merge /etc/rules" uses a merge or clear rule, which srcgit does not support',
    );
  });

  const name = fc.constantFrom('a', 'b', 'x.patch', 'sources', '.gitignore', 'source-git.yaml', 'keep');
  const path = fc
    .array(fc.constantFrom('d', 'e', 'tests'), { maxLength: 2 })
    .chain((dirs) => name.map((file) => [...dirs, file].join('/')));
  const entry: fc.Arbitrary<Entry> = fc.oneof(
    fc.constantFrom('1\n', '22\n'),
    fc.constantFrom('1\n', '3\n').map((exec) => ({ exec })),
    fc.constantFrom('a', '../b').map((link) => ({ link })),
  );
  /** Trees whose paths never put a file where another path needs a directory. */
  const tree = (prefix: string) =>
    fc.dictionary(path, entry, { maxKeys: 6 }).map((files) => {
      const result: Record<string, Entry> = {};
      for (const [key, value] of Object.entries(files)) {
        const full = prefix + key;
        const clash = Object.keys(result).some(
          (other) => other.startsWith(`${full}/`) || full.startsWith(`${other}/`),
        );
        if (!clash) result[full] = value;
      }
      return result;
    });
  const filters = fc.subarray([
    'protect .git*',
    'protect sources',
    'exclude source-git.yaml',
    '- /a',
    '+ d/',
    '- *.patch',
    'P /keep',
    'hide tests/',
    '- d/***',
    'exclude **/b',
    'risk e/keep',
    '-! [a-k]*',
    'S d/x.patch',
  ]);
  const sync = fc.record({
    src: fc.constantFrom(
      ['.distro/'],
      ['.distro'],
      ['.distro/d/'],
      ['.distro/a'],
      ['.distro/*'],
      ['.distro/a', '.distro/d'],
    ),
    dest: fc.constantFrom('.', 'd', 'd/', 'new/sub'),
    delete: fc.boolean(),
    mkpath: fc.boolean(),
    filters: filters.chain((list) => fc.shuffledSubarray(list, { minLength: list.length })),
  });

  it('behaves like rsync --archive on generated trees, items and filters', async () => {
    await fc.assert(
      fc.asyncProperty(tree('.distro/'), tree(''), sync, async (sgFiles, dgFiles, syncItem) => {
        await compareWithRsync(sgFiles, dgFiles, syncItem);
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

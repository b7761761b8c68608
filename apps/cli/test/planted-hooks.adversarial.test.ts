/**
 * Adversarial, through the built binary (`pnpm test` builds it first): a hostile source-git
 * commit tries to plant a hook or a `core.fsmonitor` command in dist-git's `.git` (through a
 * `files_to_sync` destination or a `Patch-name`), or to write through a symbolic link. Every
 * attempt ends with a non-zero exit and a one-line error naming the item or trailer and the rule;
 * nothing under dist-git's `.git` changes; and when the packager then commits in dist-git with
 * plain git (hooks on), no planted command runs: the marker file it would write never appears.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  converterGitEnv,
  createBeerFixture,
  createTempDir,
  vectorDate,
  type BeerFixture,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';

const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The caller's environment without any `GIT_*` variable, so the runs are the same for everyone. */
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')));
  return { ...env, ...extra };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

const srcgit = (args: readonly string[], cwd: string): Promise<Run> =>
  run(process.execPath, [binary, ...args], cwd, cleanEnv(converterGitEnv()));

/**
 * What a packager does next: plain `git status` and `git commit` in dist-git, with hooks and
 * `core.fsmonitor` as the repository configures them (no test override), and `HOME` in a
 * scratch directory.
 */
async function packagerCommits(dir: string, home: string): Promise<Run> {
  const env = cleanEnv({ ...converterGitEnv(), HOME: home, GIT_CONFIG_GLOBAL: '/dev/null' });
  await run('git', ['status'], dir, env);
  await writeFile(join(dir, 'packager-notes'), 'notes\n');
  await run('git', ['add', 'packager-notes'], dir, env);
  return run('git', ['commit', '-m', 'Packager commit'], dir, env);
}

/** `.git/hooks` (names and bytes), `.git/config` and `.git/info` bytes, and `.git`'s top level. */
async function gitDirState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  const digest = async (path: string) =>
    createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  for (const top of ['hooks', 'info']) {
    for (const name of (await readdir(join(dir, '.git', top))).sort()) {
      const path = join(dir, '.git', top, name);
      state[`${top}/${name}`] = (await lstat(path)).isFile() ? await digest(path) : 'not a file';
    }
  }
  state.config = await readFile(join(dir, '.git/config'), 'utf8');
  state['.git/'] = (await readdir(join(dir, '.git')))
    .filter((name) => !/^(index|index\.lock|ORIG_HEAD|COMMIT_EDITMSG|objects|logs)$/.test(name))
    .sort()
    .join(' ');
  return state;
}

interface Scenario {
  readonly fixture: BeerFixture;
  /** The file a planted hook or fsmonitor command would create. */
  readonly marker: string;
  readonly home: string;
}

/**
 * Fixture F0 (docs/converter-behaviour.md §7) with `.distro/` files that would write the marker if they ever
 * ran as a hook or fsmonitor.
 */
async function scenario(
  options: { readonly extraConfig?: string; readonly message?: string } = {},
): Promise<Scenario> {
  const home = createTempDir('home').path;
  const marker = join(home, 'srcgit-pwned');
  const fixture = await createBeerFixture(
    options.extraConfig === undefined ? {} : { extra: options.extraConfig },
  );
  await fixture.sourceGit.commit(options.message ?? 'Add helper files', {
    date: vectorDate(1),
    files: {
      '.distro/pre-commit': { content: `#!/bin/sh\necho pwned > '${marker}'\n`, executable: true },
      '.distro/evil-config': `[core]\n\tfsmonitor = "echo pwned > '${marker}'; false"\n\thooksPath = .distro-hooks\n`,
      hops: 'Amarillo\n',
    },
  });
  return { fixture, marker, home };
}

/**
 * Runs the CLI with and without `-m`: both refused (non-zero, one line naming every part of
 * `expected`), `.git` unchanged; then the packager commits and the marker never appears.
 */
async function expectRefusedAndInert(s: Scenario, expected: readonly (string | RegExp)[]): Promise<void> {
  const dir = s.fixture.distGit.dir;
  const before = await gitDirState(dir);
  for (const args of [['-m', 'Update from source-git'], []]) {
    const result = await srcgit(['update-dist-git', ...args, s.fixture.sourceGit.dir, dir], s.home);
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    for (const part of expected) {
      if (typeof part === 'string') expect(result.stderr).toContain(part);
      else expect(result.stderr).toMatch(part);
    }
    expect(await gitDirState(dir)).toEqual(before);
  }
  const commit = await packagerCommits(dir, s.home);
  expect(commit.code, commit.stderr).toBe(0);
  await expect(lstat(s.marker)).rejects.toThrow(/ENOENT/);
}

describe('srcgit update-dist-git on hostile input: nothing planted in dist-git runs', () => {
  it('control: the marker does appear when a hook really is in .git/hooks', async () => {
    const s = await scenario();
    await writeFile(
      join(s.fixture.distGit.dir, '.git/hooks/pre-commit'),
      `#!/bin/sh\necho pwned > '${s.marker}'\n`,
    );
    await chmod(join(s.fixture.distGit.dir, '.git/hooks/pre-commit'), 0o755);
    expect((await packagerCommits(s.fixture.distGit.dir, s.home)).code).toBe(0);
    expect(await readFile(s.marker, 'utf8')).toBe('pwned\n');
  });

  const destinations: readonly { readonly src: string; readonly dest: string; readonly mkpath: boolean }[] = [
    { src: '.distro/pre-commit', dest: '.git/hooks/', mkpath: true },
    { src: '.distro/pre-commit', dest: '.git/hooks/pre-commit', mkpath: false },
    { src: '.distro/evil-config', dest: '.git/config', mkpath: false },
    { src: '.distro/pre-commit', dest: '.GIT/hooks/', mkpath: true },
    { src: '.distro/evil-config', dest: '.git./config', mkpath: false },
    { src: '.distro/pre-commit', dest: 'sub/.git/hooks/x', mkpath: true },
  ];
  for (const { src, dest, mkpath } of destinations) {
    it(`refuses files_to_sync dest ${JSON.stringify(dest)}${mkpath ? ' (mkpath)' : ''}`, async () => {
      const s = await scenario({
        extraConfig: [
          `- src: ${src}`,
          `  dest: ${JSON.stringify(dest)}`,
          ...(mkpath ? ['  mkpath: true'] : []),
        ].join('\n'),
      });
      await expectRefusedAndInert(s, ['files_to_sync[1].dest', JSON.stringify(dest), "git's own directory"]);
    });
  }

  const patchNames: readonly { readonly name: string; readonly rule: string }[] = [
    { name: '../x', rule: 'no "/", not "." or ".."' },
    { name: '.git', rule: 'starts with "."' },
    { name: '-rf', rule: 'starts with "-"' },
    { name: 'x\n y', rule: 'white space' },
    { name: 'beer.spec', rule: 'would overwrite the dist-git file beer.spec (the spec)' },
    { name: 'sources', rule: 'would overwrite the dist-git file sources' },
  ];
  for (const { name, rule } of patchNames) {
    it(`refuses Patch-name ${JSON.stringify(name)}`, async () => {
      const s = await scenario({ message: `Hostile name\n\nPatch-name: ${name}\n` });
      const sha = (await s.fixture.sourceGit.revParse('HEAD')).slice(0, 12);
      await expectRefusedAndInert(s, [`commit ${sha} ("Hostile name")`, 'Patch-name', rule]);
    });
  }

  it('refuses a dist-git with an untracked link in the way, writing nothing where it points', async () => {
    const outside = createTempDir('outside').path;
    const s = await scenario({ extraConfig: '- src: .distro/pre-commit\n  dest: docs/\n  mkpath: true' });
    await symlink(outside, join(s.fixture.distGit.dir, 'docs'));
    await expectRefusedAndInert(s, ['not pristine', 'docs']);
    expect(await readdir(outside)).toEqual([]);
  });

  it('replaces a committed link to a directory outside by a directory, writing nothing where it pointed', async () => {
    const outside = createTempDir('outside').path;
    const s = await scenario({ extraConfig: '- src: .distro/pre-commit\n  dest: docs/\n  mkpath: true' });
    await s.fixture.distGit.commit('Docs live elsewhere', { files: { docs: { symlink: outside } } });
    const result = await srcgit(
      // -f: the dist-git commit that made the link is not in source-git's sync trailers.
      [
        'update-dist-git',
        '-f',
        '-m',
        'Update from source-git',
        s.fixture.sourceGit.dir,
        s.fixture.distGit.dir,
      ],
      s.home,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(outside)).toEqual([]);
    expect((await lstat(join(s.fixture.distGit.dir, 'docs'))).isDirectory()).toBe(true);
    expect((await packagerCommits(s.fixture.distGit.dir, s.home)).code).toBe(0);
    await expect(lstat(s.marker)).rejects.toThrow(/ENOENT/);
  });
});

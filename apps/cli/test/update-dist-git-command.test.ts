/**
 * `srcgit update-dist-git` through the built binary (`pnpm test` builds it first), on
 * fixture F0 (docs/converter-behaviour.md §7): output, exit codes (0 ok, 2 expected errors) and one-line
 * errors.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { converterGitEnv, createBeerFixture, vectorDate, type BeerFixture } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli';
import { runBuiltCli, type CliRun } from './support/run-built-cli';

const srcgit = (args: readonly string[]): Promise<CliRun> =>
  runBuiltCli(args, { env: { ...process.env, ...converterGitEnv() } });

async function withAmarillo(): Promise<BeerFixture> {
  const fixture = await createBeerFixture();
  await fixture.sourceGit.commit('Switch to Amarillo hops', {
    date: vectorDate(1),
    files: { hops: 'Amarillo\n' },
  });
  return fixture;
}

const dirtyState = (fixture: BeerFixture) =>
  fixture.distGit.git(['status', '--porcelain', '--ignored', '--untracked-files=all']);

describe('srcgit update-dist-git', () => {
  it('commits the patches and the spec with the From-source-git-commit trailer', async () => {
    const f = await withAmarillo();
    const result = await srcgit([
      'update-dist-git',
      '-m',
      'Update from source-git',
      f.sourceGit.dir,
      f.distGit.dir,
    ]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sourceHead = await f.sourceGit.revParse('HEAD');
    expect(result.stdout).toContain(
      `${sourceHead.slice(0, 8)} new       0001-Switch-to-Amarillo-hops.patch  Switch to Amarillo hops\n`,
    );
    expect(result.stdout).toContain('added   0001-Switch-to-Amarillo-hops.patch\nchanged beer.spec\n');
    expect(result.stdout).toMatch(
      /\ncommitted [0-9a-f]{12} to .*: 2 files \(1 added, 1 changed, 0 deleted\)\n$/,
    );
    expect(await f.distGit.git(['log', '-1', '--format=%B'])).toBe(
      `Update from source-git\n\nFrom-source-git-commit: ${sourceHead}\n\n`,
    );
    expect(await dirtyState(f)).toBe('');
  });

  it('prints the plan as versioned JSON in a dry run and touches nothing', async () => {
    const f = await withAmarillo();
    const result = await srcgit([
      'update-dist-git',
      '--dry-run',
      '--json',
      '-m',
      'x',
      f.sourceGit.dir,
      f.distGit.dir,
    ]);

    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({
      schemaVersion: 1,
      status: 'changes',
      distGit: { dir: f.distGit.dir, head: f.distGitInitial, specFile: 'beer.spec' },
      patches: [
        { fileName: '0001-Switch-to-Amarillo-hops.patch', status: 'new', tag: 'Patch1', specAction: 'added' },
      ],
      files: [
        { path: '0001-Switch-to-Amarillo-hops.patch', change: 'added', origin: 'patch' },
        { path: 'beer.spec', change: 'changed', origin: 'spec' },
      ],
    });
    expect(plan.specDiff).toContain('+Patch1:         0001-Switch-to-Amarillo-hops.patch\n');
    expect(await f.distGit.revParse('HEAD')).toBe(f.distGitInitial);
    expect(await dirtyState(f)).toBe('');
  });

  it('writes files without committing when no message is given', async () => {
    const f = await withAmarillo();
    const result = await srcgit(['update-dist-git', f.sourceGit.dir, f.distGit.dir]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /changed 2 files \(1 added, 1 changed, 0 deleted\) in .* \(not committed\)\nTo commit it: git -C \S+ add -A && git -C \S+ commit -F \.git\/SRCGIT_COMMIT_MSG\n$/,
    );
    expect(await dirtyState(f)).toBe(' M beer.spec\n?? 0001-Switch-to-Amarillo-hops.patch\n');
  });

  it('prints the command that commits the written files with the prepared trailer; running it again is up to date', async () => {
    const f = await withAmarillo();
    const result = await srcgit(['update-dist-git', f.sourceGit.dir, f.distGit.dir]);
    const command = /^To commit it: (.*)$/m.exec(result.stdout)?.[1];
    expect(command).toBeDefined();
    await new Promise<void>((resolve, reject) => {
      execFile(
        'sh',
        ['-c', command ?? 'false'],
        { env: { ...process.env, ...converterGitEnv() } },
        (error) =>
          error === null
            ? resolve()
            : reject(new Error(`${command} failed: ${error.message}`, { cause: error })),
      );
    });
    expect(await dirtyState(f)).toBe('');
    expect(await f.distGit.git(['log', '-1', '--format=%B'])).toContain(
      `From-source-git-commit: ${await f.sourceGit.revParse('HEAD')}`,
    );
    const again = await srcgit(['update-dist-git', f.sourceGit.dir, f.distGit.dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is up to date with');
  });

  it('a sync committed by hand without the trailer is up to date, not diverged', async () => {
    const f = await withAmarillo();
    expect((await srcgit(['update-dist-git', f.sourceGit.dir, f.distGit.dir])).code).toBe(0);
    await f.distGit.git(['add', '-A']);
    await f.distGit.git(['commit', '-q', '-m', 'sync']);
    const again = await srcgit(['update-dist-git', f.sourceGit.dir, f.distGit.dir]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is up to date with');
    expect(again.stdout).toContain('has no From-source-git-commit trailer');
  });

  it('V9: exits 0 when the repositories are in sync, and 2 when forced to commit nothing', async () => {
    const f = await createBeerFixture();
    const upToDate = await srcgit(['update-dist-git', '-m', 'x', f.sourceGit.dir, f.distGit.dir]);
    expect(upToDate.code).toBe(0);
    expect(upToDate.stdout).toBe(`'${f.sourceGit.dir}' is up to date with '${f.distGit.dir}'.\n`);

    const quiet = await srcgit(['update-dist-git', '-f', f.sourceGit.dir, f.distGit.dir]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('already matches');

    const commit = await srcgit(['update-dist-git', '-f', '-m', 'x', f.sourceGit.dir, f.distGit.dir]);
    expect(commit.code).toBe(2);
    expect(commit.stderr).toBe(
      `srcgit: no changes are present in the dist-git repository ${f.distGit.dir}: nothing to commit\n`,
    );
  });

  it('V12: refuses with exit 2 when dist-git has commits source-git lacks', async () => {
    const f = await withAmarillo();
    await f.distGit.commit('dg change', { files: { 'a.txt': 'a\n' } });
    const result = await srcgit(['update-dist-git', '-m', 'x', f.sourceGit.dir, f.distGit.dir]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('have diverged');
    expect(await f.distGit.git(['log', '-1', '--format=%s'])).toBe('dg change\n');
  });

  it('refuses a dirty dist-git with exit 2 and one line naming the paths', async () => {
    const f = await withAmarillo();
    await f.distGit.write({ 'stray.txt': 'x\n' });
    const result = await srcgit(['update-dist-git', '-m', 'x', f.sourceGit.dir, f.distGit.dir]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toContain(
      `srcgit: cannot update the dist-git repository ${f.distGit.dir}: it is not pristine`,
    );
    expect(result.stderr).toContain('untracked or ignored: stray.txt');
    expect(await dirtyState(f)).toBe('?? stray.txt\n');
  });

  it('refuses a malformed configuration with exit 2, leaving dist-git alone', async () => {
    const f = await createBeerFixture({ config: 'downstream_package_name: [beer\n' });
    const result = await srcgit(['update-dist-git', '-m', 'x', f.sourceGit.dir, f.distGit.dir]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^srcgit: .*\.distro\/source-git\.yaml.*\n$/);
    expect(await f.distGit.revParse('HEAD')).toBe(f.distGitInitial);
    expect(await dirtyState(f)).toBe('');
  });

  it('reads the message from a file and rejects -m together with -F', async () => {
    const f = await withAmarillo();
    const both = await srcgit(['update-dist-git', '-m', 'x', '-F', 'msg', f.sourceGit.dir, f.distGit.dir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('srcgit: option -m cannot be combined with -F\n');

    const messageFile = join(f.sourceGit.dir, '..', `${f.sourceGit.dir.split('/').pop() ?? 'sg'}.msg`);
    await writeFile(messageFile, 'Sync\n\nResolves: rhbz#123\n');
    const result = await srcgit(['update-dist-git', '-F', messageFile, f.sourceGit.dir, f.distGit.dir]);
    expect(result.code).toBe(0);
    const sourceHead = await f.sourceGit.revParse('HEAD');
    // The trailer joins the existing trailer paragraph (git interpret-trailers semantics).
    expect(await f.distGit.git(['log', '-1', '--format=%B'])).toBe(
      `Sync\n\nResolves: rhbz#123\nFrom-source-git-commit: ${sourceHead}\n\n`,
    );
    expect(await readFile(join(f.distGit.dir, 'beer.spec'), 'utf8')).toContain('Patch1:');
  });
});

describe('srcgit update-dist-git progress', () => {
  it('shows progress on stderr only when stderr is a terminal, and clears it', async () => {
    const f = await withAmarillo();
    const output = (isTTY: boolean) => {
      const io = {
        stdout: { text: '', write: (t: string) => (io.stdout.text += t) },
        stderr: { isTTY, text: '', write: (t: string) => (io.stderr.text += t) },
      };
      return io;
    };
    const terminal = output(true);
    const code = await runCli(
      ['update-dist-git', '--dry-run', '-f', f.sourceGit.dir, f.distGit.dir],
      terminal,
    );
    expect(code).toBe(0);
    expect(terminal.stderr.text).toContain('\r\x1b[Kupdate-dist-git: patches');
    expect(terminal.stderr.text.endsWith('\r\x1b[K')).toBe(true);
    expect(terminal.stdout.text).toContain('would change 2 files');

    const pipe = output(false);
    expect(await runCli(['update-dist-git', '--dry-run', '-f', f.sourceGit.dir, f.distGit.dir], pipe)).toBe(
      0,
    );
    expect(pipe.stderr.text).toBe('');
  });
});

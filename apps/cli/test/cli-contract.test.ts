import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBeerFixture, createHelloFixture, createTempDir } from '@srcgit/test-fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, STATUS_EXIT_CODES } from '../src/exit-codes';
import { isolatedUserEnv, runBuiltCli, type CliRun } from './support/run-built-cli';

const scratch = createTempDir('cli-contract');
afterAll(() => scratch.remove());

/**
 * Runs the built binary as a user would, with a fixed git identity and no user git configuration;
 * `nodeOptions` go before the binary (e.g. `--import` of a module that breaks something).
 */
const srcgit = (args: readonly string[], nodeOptions: readonly string[] = []): Promise<CliRun> =>
  runBuiltCli(args, { cwd: scratch.path, env: isolatedUserEnv(scratch.path, process.env.PATH), nodeOptions });

interface ErrorDocument {
  readonly schemaVersion: number;
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details: Record<string, unknown>;
  };
}

/** The `--json` error document on stdout (the only thing there), its message also on stderr. */
function errorDocument(result: CliRun): ErrorDocument {
  const document = JSON.parse(result.stdout) as ErrorDocument;
  expect(Object.keys(document)).toEqual(['schemaVersion', 'error']);
  expect(document.schemaVersion).toBe(1);
  expect(Object.keys(document.error)).toEqual(['code', 'message', 'details']);
  // The human line stays on stderr (`srcgit: …`, or commander's `error: …`).
  expect(result.stderr).toContain(document.error.message.split('\n')[0] ?? '');
  return document;
}

describe('exit codes', () => {
  it('are listed in --help with their meaning', async () => {
    const help = await srcgit(['--help']);
    expect(help.code).toBe(EXIT_CODES.success);
    const section = help.stdout.slice(help.stdout.indexOf('\nExit codes:\n'));
    for (const code of [...Object.values(EXIT_CODES), ...Object.values(STATUS_EXIT_CODES).filter(Boolean)]) {
      expect(section).toMatch(new RegExp(`\\n {2}${code} +\\S`));
    }
  });

  it('0: success', async () => {
    expect((await srcgit(['completion', 'bash'])).code).toBe(EXIT_CODES.success);
  });

  it('1: an internal error, reported as a bug with its stack (and as JSON under --json)', async () => {
    // A preloaded module makes every child process fail the way only a bug in srcgit would.
    const breakSpawn = join(scratch.path, 'break-spawn.mjs');
    await writeFile(
      breakSpawn,
      `import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
childProcess.spawn = () => { throw new TypeError('spawn is broken on purpose'); };
syncBuiltinESMExports();
`,
    );
    const repo = join(scratch.path, 'some-dir');
    await mkdir(repo, { recursive: true });
    const result = await srcgit(['status', '--json', repo, repo], ['--import', breakSpawn]);
    expect(result.code).toBe(EXIT_CODES.internalError);
    expect(result.stderr).toMatch(
      /^srcgit: unexpected failure, please report it with this output:\nTypeError: spawn is broken on purpose\n/,
    );
    expect(errorDocument(result).error.code).toBe('INTERNAL');
  });

  it('2: a command-line error names the option or argument, in JSON too', async () => {
    const unknown = await srcgit(['status', '--json', '--no-such-option', 'a', 'b']);
    expect(unknown.code).toBe(EXIT_CODES.badInput);
    expect(errorDocument(unknown).error).toEqual({
      code: 'USAGE',
      message: "unknown option '--no-such-option'",
      details: { reason: 'commander.unknownOption' },
    });

    const missing = await srcgit(['status', 'only-one']);
    expect(missing).toMatchObject({ code: EXIT_CODES.badInput, stdout: '' });
    expect(missing.stderr).toContain("missing required argument 'dist-git'");

    const badLimit = await srcgit(['status', '--max-commits', 'lots', 'a', 'b']);
    expect(badLimit.code).toBe(EXIT_CODES.badInput);
    expect(badLimit.stderr).toContain("option '--max-commits <n>' argument 'lots' is invalid");

    const shell = await srcgit(['completion', 'tcsh']);
    expect(shell.code).toBe(EXIT_CODES.badInput);
    expect(shell.stderr).toContain(
      "command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
    );
  });

  it('2: a directory that does not exist, is a file, or is not a git repository is named as such', async () => {
    const notRepo = join(scratch.path, 'plain-dir');
    await mkdir(notRepo, { recursive: true });
    const file = join(scratch.path, 'a-file');
    await writeFile(file, 'x\n');

    const missing = await srcgit(['status', '/nonexistent', notRepo]);
    expect(missing).toEqual({
      code: EXIT_CODES.badInput,
      stdout: '',
      stderr: 'srcgit: source-git /nonexistent does not exist (argument <source-git>)\n',
    });

    const notADirectory = await srcgit(['update-source-git', '--json', file, notRepo]);
    expect(notADirectory.code).toBe(EXIT_CODES.badInput);
    expect(errorDocument(notADirectory).error).toEqual({
      code: 'NOT_A_DIRECTORY',
      message: `dist-git ${file} is not a directory (argument <dist-git>)`,
      details: { argument: 'dist-git', path: file },
    });

    const noRepository = await srcgit(['update-dist-git', '--json', notRepo, notRepo]);
    expect(noRepository.code).toBe(EXIT_CODES.badInput);
    expect(errorDocument(noRepository).error).toEqual({
      code: 'NOT_A_GIT_REPOSITORY',
      message: `source-git ${notRepo} is not a git repository (argument <source-git>)`,
      details: { argument: 'source-git', path: notRepo },
    });
    expect(noRepository.stderr).not.toContain('fatal:');
  });

  it('2: a refused conversion keeps the converter error code and data under --json', async () => {
    const { sourceGit, distGit } = await createBeerFixture();
    const result = await srcgit(['init', '--json', 'no-such-tag', sourceGit.dir, distGit.dir]);
    expect(result.code).toBe(EXIT_CODES.badInput);
    const { error } = errorDocument(result);
    expect(error.code).toBe('UPSTREAM_REF_UNKNOWN');
    expect(error.message).toContain("'no-such-tag' is not a commit, branch or tag");
    expect(error.details).toMatchObject({ upstreamRef: 'no-such-tag' });
  });

  it('2: a hint names the flag to pass', async () => {
    const root = createTempDir('cli-contract-hello').path;
    await createHelloFixture(root);
    const result = await srcgit([
      'init',
      '--pkg-name',
      'nope',
      '1.0.1',
      `${root}/src/hello`,
      `${root}/rpms/hello`,
    ]);
    expect(result.code).toBe(EXIT_CODES.badInput);
    expect(result.stderr).toMatch(/has no nope\.spec .*pass the right one with --pkg-name/);
  });

  it('2: argument errors of srcgit itself name the argument', async () => {
    const { sourceGit, distGit } = await createBeerFixture();
    const result = await srcgit(['update-source-git', '--json', '--force', distGit.dir, sourceGit.dir]);
    expect(result.code).toBe(EXIT_CODES.badInput);
    expect(errorDocument(result).error).toEqual({
      code: 'USAGE',
      message: 'argument [range] is required with -f/--force',
      details: { argument: 'range' },
    });
  });

  it('3: GitLab cannot be reached, as JSON with the forge error code', { timeout: 30_000 }, async () => {
    const result = await srcgit([
      'mr',
      'status',
      '--json',
      '--token',
      'not-a-token',
      'http://127.0.0.1:9/group/src/beer/-/merge_requests/1',
    ]);
    expect(result.code).toBe(EXIT_CODES.forgeError);
    const { error } = errorDocument(result);
    expect(error.code).toBe('FORGE_FAILED');
    expect(error.message).toMatch(/^GitLab: /);
  });
});

describe('srcgit status --exit-code', () => {
  it('exits 0 in sync, 11 dist-git ahead, 10 source-git ahead, 12 diverged; always 0 without it', async () => {
    const { sourceGit, distGit } = await createBeerFixture();
    const [sg, dg] = [sourceGit.dir, distGit.dir];
    const state = async (...flags: string[]) => {
      const result = await srcgit(['status', '--json', ...flags, sg, dg]);
      const report = JSON.parse(result.stdout) as { schemaVersion: number; state: string };
      expect(report.schemaVersion).toBe(1);
      return { code: result.code, state: report.state };
    };

    expect(await state('--exit-code')).toEqual({ code: 0, state: 'in-sync' });
    await distGit.commit('Add a test\n', { files: { 'tests/run.sh': 'true\n' } });
    expect(await state('--exit-code')).toEqual({ code: 11, state: 'dist-git-ahead' });
    expect(await state()).toEqual({ code: 0, state: 'dist-git-ahead' });

    await srcgit(['update-source-git', dg, sg]);
    expect(await state('--exit-code')).toEqual({ code: 0, state: 'in-sync' });
    await sourceGit.commit('Brew it darker\n', { files: { 'NEWS.downstream': 'darker\n' } });
    expect(await state('--exit-code', '--no-confirm')).toEqual({ code: 10, state: 'source-git-ahead' });

    await distGit.commit('Bump release\n', { files: { 'tests/run.sh': 'false\n' } });
    expect(await state('--exit-code', '--no-confirm')).toEqual({ code: 12, state: 'diverged' });
    expect(await state('--no-confirm')).toEqual({ code: 0, state: 'diverged' });
  });
});

describe('JSON output', () => {
  it('carries schemaVersion in every command', async () => {
    const { sourceGit, distGit } = await createBeerFixture();
    await distGit.commit('Add a test\n', { files: { 'tests/run.sh': 'true\n' } });
    const back = await srcgit(['update-source-git', '--json', distGit.dir, sourceGit.dir]);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ schemaVersion: 1 });
    const plan = await srcgit([
      'update-dist-git',
      '--json',
      '--dry-run',
      '--force',
      sourceGit.dir,
      distGit.dir,
    ]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ schemaVersion: 1 });
  });
});

import { createBeerFixture, createHelloFixture, createTempDir } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isolatedUserEnv, runBuiltCli, type CliRun } from './support/run-built-cli';

/** Runs the built binary as a user would, with a fixed git identity and no user git configuration. */
const srcgit = (cwd: string, ...args: string[]): Promise<CliRun> =>
  runBuiltCli(args, { cwd, env: isolatedUserEnv(cwd, process.env.PATH) });

describe('srcgit init, status and update-source-git', () => {
  it('initialises source-git from dist-git', async () => {
    const root = createTempDir('cli-hello').path;
    const { sourceGit } = await createHelloFixture(root);
    const init = await srcgit(root, 'init', '1.0.1', 'src/hello:main', 'rpms/hello');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(
      /^Initialised src\/hello as source-git of rpms\/hello \([0-9a-f]{8}\): 3 patches as commits, HEAD [0-9a-f]{8}\.\n$/,
    );
    expect(await sourceGit.git(['log', '--format=%s', '-4'])).toBe(
      'Funky\nLinux\nApply patch turn-into-fedora.patch\nInitialize as a source-git repository\n',
    );
    expect(await sourceGit.git(['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main\n');
  });

  it('reports in-sync, brings a dist-git commit over and reports in-sync again', async () => {
    const root = createTempDir('cli-beer').path;
    const { sourceGit, distGit } = await createBeerFixture();
    const [sg, dg] = [sourceGit.dir, distGit.dir];

    const inSync = await srcgit(root, 'status', sg, dg);
    expect(inSync).toEqual({ code: 0, stdout: `'${sg}' is up to date with '${dg}'.\n`, stderr: '' });

    const bump = await distGit.commit('Add a test\n\nGating needs one.\n', {
      files: { 'tests/run.sh': 'true\n' },
    });
    const behind = await srcgit(root, 'status', '--json', sg, dg);
    expect(behind.code).toBe(0);
    const report = JSON.parse(behind.stdout) as {
      state: string;
      distGit: { ahead: number; commitsToSync: unknown[] };
    };
    expect(report.state).toBe('dist-git-ahead');
    expect(report.distGit.ahead).toBe(1);
    expect(report.distGit.commitsToSync).toEqual([{ sha: bump, subject: 'Add a test' }]);

    const human = await srcgit(root, 'status', sg, dg);
    expect(human.stdout).toBe(
      [
        `'${sg}' is behind '${dg}' by 1 commit.`,
        `Use "srcgit update-source-git ${dg} ${sg}"`,
        `to transform changes from '${dg}' to '${sg}'.`,
        `The first dist-git commit to be synced is '${bump.slice(0, 8)}'.`,
        '',
      ].join('\n'),
    );

    const update = await srcgit(root, 'update-source-git', dg, sg);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(
      /^Made 1 source-git commit from 1 dist-git commit\.\n[0-9a-f]{8} Add a test:\n {2}[0-9a-f]{8} Add a test \[distro\]\n$/,
    );
    expect(await sourceGit.git(['show', 'HEAD:.distro/tests/run.sh'])).toBe('true\n');
    expect(await srcgit(root, 'status', sg, dg)).toEqual({
      code: 0,
      stdout: `'${sg}' is up to date with '${dg}'.\n`,
      stderr: '',
    });
  });

  it('exits 2 with one line naming the problem', async () => {
    const root = createTempDir('cli-errors').path;
    await createHelloFixture(root);
    const status = await srcgit(root, 'status', 'src/hello', 'rpms/hello');
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(
      /^srcgit: No git commits with trailers to mark synchronization points were found: .*\n$/,
    );

    const init = await srcgit(root, 'init', 'no-such-tag', 'src/hello', 'rpms/hello');
    expect(init.code).toBe(2);
    expect(init.stderr).toBe(
      `srcgit: 'no-such-tag' is not a commit, branch or tag in the source-git repository ${root}/src/hello\n`,
    );

    const forced = await srcgit(root, 'update-source-git', '--force', 'rpms/hello', 'src/hello');
    expect(forced).toEqual({
      code: 2,
      stdout: '',
      stderr: 'srcgit: argument [range] is required with -f/--force\n',
    });
  });
});

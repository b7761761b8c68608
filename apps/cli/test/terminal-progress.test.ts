import { join } from 'node:path';
import { createBeerFixture, createHelloFixture, createTempDir } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli';

/** An io whose stderr is (or is not) a terminal, recording what is written. */
function captured(isTTY: boolean) {
  const io = {
    stdout: { text: '', write: (text: string) => (io.stdout.text += text) },
    stderr: { isTTY, text: '', write: (text: string) => (io.stderr.text += text) },
  };
  return io;
}

/** Runs `argv` once with a terminal and once with a pipe as stderr. */
async function both(argv: readonly string[]) {
  const terminal = captured(true);
  expect(await runCli(argv, terminal)).toBe(0);
  const pipe = captured(false);
  expect(await runCli(argv, pipe)).toBe(0);
  return { terminal, pipe };
}

describe('progress on a terminal', () => {
  it('update-source-git shows its step on stderr, clears it before the result, and nothing on a pipe', async () => {
    const { sourceGit, distGit } = await createBeerFixture();
    await distGit.commit('Add a test\n', { files: { 'tests/run.sh': 'true\n' } });
    const { terminal, pipe } = await both(['update-source-git', '--dry-run', distGit.dir, sourceGit.dir]);
    expect(terminal.stderr.text.startsWith('\r\x1b[Kupdate-source-git: converting dist-git commits')).toBe(
      true,
    );
    expect(terminal.stderr.text.endsWith('\r\x1b[K')).toBe(true);
    expect(terminal.stdout.text).toBe(pipe.stdout.text);
    expect(pipe.stderr.text).toBe('');
  });

  it('status and init show theirs too (init counts the patches it applies)', async () => {
    const { sourceGit, distGit } = await createBeerFixture();
    const status = await both(['status', sourceGit.dir, distGit.dir]);
    expect(status.terminal.stderr.text.startsWith('\r\x1b[Kstatus: reading history')).toBe(true);
    expect(status.pipe.stderr.text).toBe('');

    const terminal = captured(true);
    const root = createTempDir('cli-progress-init').path;
    await createHelloFixture(root);
    const code = await runCli(['init', '1.0.1', join(root, 'src/hello'), join(root, 'rpms/hello')], terminal);
    expect(code).toBe(0);
    expect(terminal.stderr.text).toContain('\r\x1b[Kinit: applying patches 3/3');
    expect(terminal.stderr.text.endsWith('\r\x1b[K')).toBe(true);
    expect(terminal.stdout.text).toMatch(/: 3 patches as commits, /);
  });
});

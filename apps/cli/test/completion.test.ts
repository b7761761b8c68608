import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTempDir } from '@srcgit/test-fixtures';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const scratch = createTempDir('cli-completion');
afterAll(() => scratch.remove());

async function script(shell: string): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [binary, 'completion', shell]);
  expect(stderr).toBe('');
  return stdout;
}

/** Whether `command` can be run here (zsh and fish are optional on a test machine). */
async function available(command: string): Promise<boolean> {
  try {
    await run(command, ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** What bash's completion offers for the words typed so far (the last one being completed). */
async function bashCompletes(file: string, ...words: string[]): Promise<string[]> {
  const typed = ['srcgit', ...words].map((word) => `'${word}'`).join(' ');
  const { stdout } = await run(
    'bash',
    [
      '-c',
      `source '${file}'; COMP_WORDS=(${typed}); COMP_CWORD=${words.length}; _srcgit; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { cwd: scratch.path },
  );
  return stdout.split('\n').filter((line) => line !== '');
}

const [hasZsh, hasFish] = await Promise.all([available('zsh'), available('fish')]);

describe('srcgit completion', () => {
  it('bash: completes commands, subcommands, options, choices and files', async () => {
    const file = join(scratch.path, 'srcgit.bash');
    await writeFile(file, await script('bash'));
    await writeFile(join(scratch.path, 'rpms-beer'), '');
    expect(await bashCompletes(file, 'up')).toEqual(['update-source-git', 'update-dist-git']);
    expect(await bashCompletes(file, 'mr', '')).toEqual(['sync', 'status', '--help', '-h']);
    expect(await bashCompletes(file, 'mr', 'status', '--to')).toEqual(['--token-file']);
    expect(await bashCompletes(file, 'status', '--exit')).toEqual(['--exit-code']);
    expect(await bashCompletes(file, 'completion', '')).toContain('fish');
    expect(await bashCompletes(file, 'status', 'rpms-')).toEqual(['rpms-beer']);
    expect(await bashCompletes(file, 'update-dist-git', '-F', 'rpms')).toEqual(['rpms-beer']);
  });

  it.skipIf(!hasZsh)(
    'zsh: the script parses and completes subcommands, options, choices and files',
    async () => {
      const file = join(scratch.path, '_srcgit');
      await writeFile(file, await script('zsh'));
      await run('zsh', ['-n', file]);
      // Outside a completion widget: compsys's functions replaced by stubs that print what they get.
      const completes = async (...typed: string[]) => {
        const words = ['srcgit', ...typed].map((word) => `'${word}'`).join(' ');
        const { stdout } = await run('zsh', [
          '-fc',
          `compdef() {}; compadd() { shift; print -l -- "$@" }; _describe() { print -l -- \${(P)2%%:*} }; _files() { print FILES }
source '${file}'; words=(${words}); CURRENT=${typed.length + 1}; _srcgit`,
        ]);
        return stdout.split('\n').filter((line) => line !== '');
      };
      expect(await completes('mr', '')).toEqual(['sync', 'status']);
      expect(await completes('status', '--exit')).toContain('--exit-code');
      expect(await completes('completion', '')).toEqual(['bash', 'zsh', 'fish']);
      expect(await completes('status', 'src')).toEqual(['FILES']);
    },
  );

  it.skipIf(!hasFish)('fish: the script parses and completes subcommands, options and choices', async () => {
    const file = join(scratch.path, 'srcgit.fish');
    await writeFile(file, await script('fish'));
    await run('fish', ['--no-execute', file]);
    const completes = async (line: string) => {
      const { stdout } = await run('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`]);
      return stdout
        .split('\n')
        .filter((entry) => entry !== '')
        .map((entry) => entry.split('\t')[0]);
    };
    expect(await completes('srcgit mr ')).toEqual(['status', 'sync']);
    expect(await completes('srcgit status --exit')).toEqual(['--exit-code']);
    expect(await completes('srcgit completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(await completes('srcgit mr status --to')).toEqual(['--token-file']);
  });

  it('zsh and fish: every command and option is in the script', async () => {
    for (const shell of ['zsh', 'fish']) {
      const text = await script(shell);
      for (const word of [
        'update-source-git',
        'update-dist-git',
        'mr sync',
        'exit-code',
        'token-file',
        'pkg-name',
      ]) {
        expect(text).toContain(word);
      }
    }
  });
});

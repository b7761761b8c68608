import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Runs the built binary as a user would; `pnpm test` builds it first. */
async function srcgit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [binary, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('the srcgit binary', () => {
  it('prints its version', async () => {
    const result = await srcgit('--version');
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('prints help that names the tool and its options', async () => {
    const result = await srcgit('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: srcgit \[options\]/);
    expect(result.stdout).toContain('-V, --version');
  });

  it('exits 2 with a hint on an unknown option', async () => {
    const result = await srcgit('--no-such-option');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-option'");
    expect(result.stderr).toContain('srcgit --help');
  });
});

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTempDir } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Module hooks that report every module URL the process resolves to the main thread. */
const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}
`;

/** Registers {@link HOOKS} and prints the resolved URLs as the last stderr line at exit. */
const REGISTER = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { writeSync } from 'node:fs';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (url) => urls.push(url));
port1.unref();
register(new URL('./hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => writeSync(2, '\\nLOADED ' + JSON.stringify(urls) + '\\n'));
`;

const scratch = createTempDir('cli-lazy');
const register = join(scratch.path, 'register.mjs');

beforeAll(async () => {
  await writeFile(join(scratch.path, 'hooks.mjs'), HOOKS);
  await writeFile(register, REGISTER);
});
afterAll(() => scratch.remove());

/**
 * What the built binary loads for `args` (run as a user would, plus the tracing hooks): every
 * module URL, and for the binary's own bundled chunks the source modules bundled into them, from
 * each chunk's source map (the bundler's `// path` comments are not written for every module).
 */
async function modulesLoadedBy(...args: string[]): Promise<string[]> {
  const { stdout, stderr } = await run(process.execPath, ['--import', register, binary, ...args]);
  expect(stdout).toContain('Usage: srcgit');
  const line = stderr.trimEnd().split('\n').at(-1) ?? '';
  expect(line).toMatch(/^LOADED /);
  const urls = JSON.parse(line.slice('LOADED '.length)) as string[];
  const distDir = new URL('../dist/', import.meta.url).href;
  const bundled = await Promise.all(
    urls
      .filter((url) => url.startsWith(distDir))
      .map(async (url) => {
        const map = JSON.parse(await readFile(new URL(`${url}.map`), 'utf8')) as { sources: string[] };
        return map.sources;
      }),
  );
  return [...urls, ...bundled.flat()];
}

/** Where a package's modules live: the workspace package (symlinks resolved) or an installed copy. */
const locations = {
  converter: ['/packages/dist-git-converter/', '/@srcgit/dist-git-converter/'],
  core: ['/packages/srcgit-core/', '/@srcgit/core/'],
  adapter: ['/packages/gitlab-adapter/', '/@srcgit/gitlab-adapter/'],
  gitbeaker: ['/@gitbeaker/', '/@gitbeaker+'],
};
const botStack = [locations.core, locations.adapter, locations.gitbeaker];

function isIn(url: string, where: readonly string[]): boolean {
  return where.some((fragment) => url.includes(fragment));
}

describe('srcgit loads only the command it runs', () => {
  it.each([['status'], ['update-dist-git'], ['update-source-git'], ['init']])(
    'srcgit %s loads the converter but not the bot stack (core, adapter, gitbeaker)',
    async (command) => {
      const loaded = await modulesLoadedBy(command, '--help');
      expect(loaded.some((url) => isIn(url, locations.converter))).toBe(true);
      for (const where of botStack) {
        expect(loaded.filter((url) => isIn(url, where))).toEqual([]);
      }
    },
  );

  it('srcgit mr sync loads the bot stack it needs', async () => {
    const loaded = await modulesLoadedBy('mr', 'sync', '--help');
    for (const where of botStack) {
      expect(loaded.some((url) => isIn(url, where))).toBe(true);
    }
  });
});

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));

async function help(...command: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [binary, ...command, '--help']);
  return stdout;
}

/** The names in the "Commands:" section of a help text, without commander's own `help`. */
function commandNames(text: string): string[] {
  const section = text.slice(text.indexOf('\nCommands:\n') + '\nCommands:\n'.length);
  const names: string[] = [];
  for (const line of section.split('\n')) {
    if (line.trim() === '') break;
    const name = /^ {2}(\S+)/.exec(line)?.[1]; // longer indents continue a wrapped description
    if (name !== undefined && name !== 'help') names.push(name);
  }
  return names;
}

/** `| usage | description |` of a command, from its own `--help` (description lines rejoined). */
async function rowOf(command: readonly string[]): Promise<[string, string]> {
  const text = await help(...command);
  const [usageLine = '', , ...rest] = text.split('\n');
  const description = rest.slice(0, rest.indexOf('')).join(' ');
  return [usageLine.replace(/^Usage: /, ''), description];
}

/** Every command `srcgit --help` lists, with the subcommands of groups such as `mr`. */
async function rowsFromHelp(): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  for (const name of commandNames(await help())) {
    const subcommands = commandNames(await help(name));
    if (subcommands.length === 0) rows.push(await rowOf([name]));
    for (const sub of subcommands) rows.push(await rowOf([name, sub]));
  }
  return rows;
}

/** The rows of the Markdown table whose header is `| Command | What it does |`. */
async function rowsFromReadme(path: URL): Promise<[string, string][]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const header = lines.findIndex((line) => /^\|\s*Command\s*\|\s*What it does\s*\|$/.test(line));
  expect(header).toBeGreaterThanOrEqual(0);
  const rows: [string, string][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [usage = '', description = ''] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    rows.push([usage.replace(/^`|`$/g, ''), description]);
  }
  return rows;
}

describe("the READMEs' command tables", () => {
  it.each([
    ['apps/cli/README.md', new URL('../README.md', import.meta.url)],
    ['README.md', new URL('../../../README.md', import.meta.url)],
  ])('%s lists every command as --help shows it', async (_name, path) => {
    const fromHelp = await rowsFromHelp();
    expect(fromHelp.length).toBeGreaterThan(5);
    expect(await rowsFromReadme(path)).toEqual(fromHelp);
  });
});

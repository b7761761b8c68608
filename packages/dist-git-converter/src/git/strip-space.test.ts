import { createTempDir } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGitRunner } from './git-runner';
import { stripSpace } from './strip-space';

const git = createGitRunner({ env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
const cwd = createTempDir('strip-space').path;
const byGit = (text: string) => git.text(['stripspace'], { cwd, input: text, isolated: true });

describe('stripSpace', () => {
  it.each([
    '',
    '\n\n\n',
    'Title',
    'Title\n',
    '\n\nTitle  \t\r\n\n\n\nBody line \nmore\t\n\n\nFrom-source-git-commit: abc\n\n',
    '  indented first line\n\n\n  indented body\n',
    'a\r\nb\r\n\r\n\r\nc',
    'Title\n \n\t\n \r\nBody\n',
    'x\u00a0\n\u3000\n',
    'verti\u000bcal\u000c\n',
  ])('gives what git stripspace gives for %j', async (text) => {
    expect(stripSpace(text)).toBe(await byGit(text));
  });

  it('gives what git stripspace gives for any text of lines, blanks and whitespace', async () => {
    const piece = fc.constantFrom('\n', ' ', '\t', '\r', 'a', 'é', '#', '\u000b', '\u00a0');
    const texts = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));
    const samples = fc.sample(texts, { numRuns: 200, seed: 20261121 });
    for (const text of samples) expect(stripSpace(text), JSON.stringify(text)).toBe(await byGit(text));
  });
});

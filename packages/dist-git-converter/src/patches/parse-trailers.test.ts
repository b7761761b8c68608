import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { createTempDir, runGit } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { parseTrailers } from './parse-trailers';

const MARK = 'Zz-srcgit-end';

/**
 * What git itself reads from many messages with two processes: `--parse` (unfolded) and
 * `--only-trailers` (raw values). Each file gets a marker trailer appended by git, which
 * separates the outputs.
 */
async function gitTrailers(messages: readonly string[]): Promise<{ parsed: string; raw: string }[]> {
  const dir = createTempDir('trailers').path;
  const files = await Promise.all(
    messages.map(async (message, index) => {
      const file = join(dir, `${index}.txt`);
      await writeFile(file, message);
      return file;
    }),
  );
  const run = async (args: readonly string[]) => {
    const out = await runGit(['interpret-trailers', ...args, '--trailer', `${MARK}: x`, ...files], {
      cwd: dir,
    });
    const parts = out.split(`${MARK}: x\n`);
    expect(parts.length).toBe(messages.length + 1);
    return parts.slice(0, messages.length);
  };
  const [parsed, raw] = await Promise.all([run(['--only-trailers', '--unfold']), run(['--only-trailers'])]);
  return messages.map((_, index) => ({ parsed: parsed[index] ?? '', raw: raw[index] ?? '' }));
}

function ours(message: string): { parsed: string; raw: string } {
  const trailers = parseTrailers(message);
  return {
    parsed: trailers.map((trailer) => `${trailer.token}: ${trailer.unfoldedValue}\n`).join(''),
    raw: trailers.map((trailer) => `${trailer.token}: ${trailer.value}\n`).join(''),
  };
}

describe('parseTrailers', () => {
  it('reads the last paragraph of trailers, with continuation lines', () => {
    const message =
      'Switch to Amarillo hops\n\nExplain why.\n\nPatch-name: amarillo.patch\nPatch-id: 10\nPatch-status: |\n    # Downstream only\nSigned-off-by: A U Thor <author@example.com>\n';
    expect(parseTrailers(message)).toEqual([
      { token: 'Patch-name', value: 'amarillo.patch', unfoldedValue: 'amarillo.patch' },
      { token: 'Patch-id', value: '10', unfoldedValue: '10' },
      { token: 'Patch-status', value: '|\n    # Downstream only', unfoldedValue: '| # Downstream only' },
      {
        token: 'Signed-off-by',
        value: 'A U Thor <author@example.com>',
        unfoldedValue: 'A U Thor <author@example.com>',
      },
    ]);
  });

  it('ignores trailers written under body text in the same paragraph (docs/converter-behaviour.md E40)', () => {
    expect(parseTrailers('Subject\n\nSome body text.\nPatch-name: x.patch\n')).toEqual([]);
    expect(parseTrailers('Patch-name: x.patch\n')).toEqual([]); // the title is never a trailer
  });

  it('accepts a mixed paragraph with a git-generated trailer and >= 25 % trailers', () => {
    const message = 'Subject\n\nline one\nline two\nline three\nSigned-off-by: A <a@b>\n';
    expect(parseTrailers(message).map((trailer) => trailer.token)).toEqual(['Signed-off-by']);
    const tooFew = 'Subject\n\nline one\nline two\nline three\nline four\nSigned-off-by: A <a@b>\n';
    expect(parseTrailers(tooFew)).toEqual([]);
  });

  it('stops the message at a --- divider and skips trailing comments', () => {
    expect(parseTrailers('Subject\n\nPatch-name: a.patch\n---\n b | 1 +\n').map((t) => t.value)).toEqual([
      'a.patch',
    ]);
    expect(parseTrailers('Subject\n\nPatch-name: a.patch\n\n# comment\n\n').map((t) => t.value)).toEqual([
      'a.patch',
    ]);
  });

  it('matches git interpret-trailers on generated messages', async () => {
    const token = fc.constantFrom(
      'Patch-name',
      'Patch-id',
      'Patch-status',
      'Ignore-patch',
      'No-prefix',
      'Patch-present-in-specfile',
      'Signed-off-by',
      'Reviewed-by',
      'Bug',
      'X',
      'From-dist-git-commit',
    );
    const word = fc.constantFrom(
      'fix',
      'the',
      'value',
      'x.patch',
      '10',
      'true',
      'a: b',
      '#1',
      '--',
      'ümlaut',
      '|',
    );
    const words = fc.array(word, { minLength: 0, maxLength: 4 }).map((list) => list.join(' '));
    const line = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(token, fc.constantFrom(':', ': ', ' : ', ':\t'), words)
          .map(([t, s, v]) => `${t}${s}${v}`),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.constantFrom(' ', '    ', '\t'), words).map(([indent, v]) => `${indent}${v}`),
      },
      { weight: 3, arbitrary: words.map((v) => `Some text ${v}`) },
      { weight: 2, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constant('   ') },
      { weight: 1, arbitrary: words.map((v) => `# comment ${v}`) },
      { weight: 1, arbitrary: fc.constantFrom('---', '--- a/file', '---not a divider', '-- ') },
      { weight: 1, arbitrary: fc.constant('(cherry picked from commit 0123456789abcdef)') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('Conflicts:', '\tpath/to/file', 'Tok en: x', ': no token', 'Bug #42: x'),
      },
      { weight: 1, arbitrary: fc.constant('# ------------------------ >8 ------------------------') },
    );
    const message = fc
      .tuple(fc.constantFrom('Subject line', 'Subject: with colon', ''), fc.array(line, { maxLength: 12 }))
      .map(([subject, lines]) => `${[subject, ...lines].join('\n')}\n`)
      // git 2.39 loops forever on a scissors line after a --- divider: nothing to compare with.
      .filter((text) => !(/^---\s/m.test(text) && text.includes('>8')));

    const messages = fc.sample(message, { numRuns: 600, seed: 20240101 });
    const expected = await gitTrailers(messages);
    // the sample exercises both outcomes
    expect(expected.filter((result) => result.parsed !== '').length).toBeGreaterThan(100);
    expect(expected.filter((result) => result.parsed === '').length).toBeGreaterThan(100);
    messages.forEach((text, index) => {
      expect({ text, ...ours(text) }).toEqual({ text, ...expected[index] });
    });
  });
});

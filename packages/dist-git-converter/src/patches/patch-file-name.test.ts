import { readdir } from 'node:fs/promises';
import fc from 'fast-check';
import { createGitRepo, createTempDir } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { formatPatchFileName, sanitizeSubject } from './patch-file-name';

describe('formatPatchFileName', () => {
  it('follows git’s sanitising rule (docs/converter-behaviour.md §2.4 examples)', () => {
    expect(formatPatchFileName(4, 'Weißbier! Summer is coming!')).toBe(
      '0004-Wei-bier-Summer-is-coming.patch',
    );
    expect(formatPatchFileName(1, 'Weißbier! Summer is coming — with ümlauts')).toBe(
      '0001-Wei-bier-Summer-is-coming-with-mlauts.patch',
    );
    expect(formatPatchFileName(2, "actually, let's do citra")).toBe('0002-actually-let-s-do-citra.patch');
    expect(
      formatPatchFileName(
        2,
        'This is a very long subject line that goes on and on and on beyond seventy-eight characters for sure',
      ),
    ).toBe('0002-This-is-a-very-long-subject-line-that-goes-on-and-on.patch');
    expect(sanitizeSubject('...a..b...')).toBe('.a.b');
    expect(sanitizeSubject('--- x ---')).toBe('x');
  });

  it('names patches exactly as git format-patch does', async () => {
    const fixed = [
      'Switch to Amarillo hops',
      'Weißbier! Summer is coming!',
      '[PATCH] already prefixed: v1.2.3...',
      'fix(spec): use %{name} & ${VAR} — "quoted"',
      'a..b...c....d',
      'multi-line\nsubject paragraph\n\nbody',
      '   leading spaces and trailing dots...',
      '日本語のコミット',
      'x'.repeat(120),
      'tab\tseparated\tsubject_with_underscores',
    ];
    const random = fc.sample(
      fc.string({
        unit: fc.constantFrom('a', 'Z', '9', '.', '_', '-', ' ', '!', 'ü', '€', '/', ':', '\t'),
        minLength: 1,
        maxLength: 80,
      }),
      { numRuns: 40, seed: 7 },
    );
    const subjects = [...fixed, ...random.filter((subject) => subject.trim() !== '')];
    const repo = await createGitRepo();
    await repo.commit('base', { files: { a: 'a\n' } });
    for (const subject of subjects) await repo.commit(subject, { allowEmpty: true });
    const out = createTempDir('names').path;
    await repo.git(['format-patch', '-o', out, 'HEAD~' + String(subjects.length)]);
    const names = (await readdir(out)).sort();

    // git strips trailing whitespace of messages when committing; name what it stored
    const messages = (
      await repo.git(['log', '--reverse', '-z', '--format=%B', `HEAD~${subjects.length}..HEAD`])
    )
      .split('\0')
      .filter((message) => message !== '');
    expect(messages).toHaveLength(subjects.length);
    expect(messages.map((message, index) => formatPatchFileName(index + 1, message))).toEqual(names);
  });
});

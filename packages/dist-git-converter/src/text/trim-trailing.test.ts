import { describe, expect, it } from 'vitest';
import { stripSpace } from '../git/strip-space';
import { sanitizeSubject } from '../patches/patch-file-name';
import { unsafePathReason } from '../sync/unsafe-path-reason';
import { trimTrailing } from './trim-trailing';

describe('trimTrailing', () => {
  it('drops only the given characters, only at the end', () => {
    expect(trimTrailing('.git. . ', '. ')).toBe('.git');
    expect(trimTrailing('a-b.-.', '.-')).toBe('a-b');
    expect(trimTrailing('line \t\r', ' \t\r')).toBe('line');
    expect(trimTrailing('...', '.')).toBe('');
    expect(trimTrailing('', '.')).toBe('');
  });

  it('ends at once on a long run followed by something else', { timeout: 5_000 }, () => {
    const hostile = `${'. '.repeat(500_000)}x`;
    expect(trimTrailing(hostile, '. ')).toBe(hostile);
  });
});

describe('the texts from strangers it trims', () => {
  it('end at once on hostile input: a path component, a subject, a message line', { timeout: 5_000 }, () => {
    expect(unsafePathReason(`${'. '.repeat(200_000)}x/file`)).toBeUndefined();
    expect(unsafePathReason('.git. . /hooks/pre-commit')).toMatch(/names git's own directory/);
    expect(sanitizeSubject(`${'-'.repeat(400_000)}x`)).toMatch(/x$/);
    expect(sanitizeSubject('Fix it...--')).toBe('Fix-it');
    expect(stripSpace(`subject\n\n${' \t'.repeat(400_000)}x\n`)).toMatch(/x\n$/);
  });
});

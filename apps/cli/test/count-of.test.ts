import { describe, expect, it } from 'vitest';
import { countOf } from '../src/count-of';

describe('countOf', () => {
  it('puts the noun in the right number', () => {
    expect(countOf(0, 'patch', 'patches')).toBe('0 patches');
    expect(countOf(1, 'patch', 'patches')).toBe('1 patch');
    expect(countOf(2, 'commit')).toBe('2 commits');
  });
});

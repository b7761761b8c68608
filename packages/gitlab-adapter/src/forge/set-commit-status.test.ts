import { describe, expect, it } from 'vitest';
import { truncate } from './set-commit-status';

describe('truncate', () => {
  it('keeps short text and cuts long text to the limit with an ellipsis', () => {
    expect(truncate('Changed status to failed', 140)).toBe('Changed status to failed');
    const cut = truncate('x'.repeat(141), 140);
    expect(cut).toHaveLength(140);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncate('x'.repeat(140), 140)).toBe('x'.repeat(140));
  });

  it('never splits a character made of two UTF-16 units', () => {
    expect(Array.from(truncate('😀'.repeat(200), 140))).toHaveLength(140);
  });
});

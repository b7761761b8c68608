import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from '../src/json-nesting-depth';

describe('exceedsJsonDepth', () => {
  it('counts arrays and objects inside each other', () => {
    expect(exceedsJsonDepth('{"a":[[1]]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[[1]]}', 2)).toBe(true);
    expect(exceedsJsonDepth('[1,[2],[3],{"b":{}}]', 3)).toBe(false);
    expect(exceedsJsonDepth('[1,[2],[3],{"b":{}}]', 2)).toBe(true);
    expect(exceedsJsonDepth('"plain"', 0)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(exceedsJsonDepth('{"a":"\\"[[[[","b":"\\\\"}', 1)).toBe(false);
    expect(exceedsJsonDepth('{"a":"\\\\",  "b":[[[]]]}', 2)).toBe(true);
  });

  it(
    'ends on a million opening brackets, stopping at the first level past the limit',
    { timeout: 5_000 },
    () => {
      expect(exceedsJsonDepth('['.repeat(1_000_000), 64)).toBe(true);
      expect(exceedsJsonDepth('{"a":'.repeat(1_000_000), 64)).toBe(true);
      // Unbalanced input is not its business (JSON.parse refuses it next).
      expect(exceedsJsonDepth(']'.repeat(1_000_000), 64)).toBe(false);
    },
  );
});

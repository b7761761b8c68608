import { describe, expect, it } from 'vitest';
import { defaultRetryOptions, parseRetryAfter } from './retry-options';

describe('defaultRetryOptions', () => {
  it('retry five times in total', () => {
    expect(defaultRetryOptions).toEqual({ attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-06T07:08:09Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Mon, 06 May 2024 07:08:14 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Mon, 06 May 2024 07:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { exponentialBackoffDelay } from './exponential-backoff-delay';

describe('exponentialBackoffDelay', () => {
  const bounds = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles per retry and caps at maxDelayMs, with equal jitter: between half and all of it', () => {
    expect([1, 2, 3, 4, 5].map((retry) => exponentialBackoffDelay(retry, bounds, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((retry) => exponentialBackoffDelay(retry, bounds, () => 0.999999))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
  });

  it('treats retry 0 like the first and does not overflow on huge retry numbers', () => {
    expect(exponentialBackoffDelay(0, bounds, () => 0)).toBe(50);
    expect(exponentialBackoffDelay(10_000, bounds, () => 0.5)).toBe(750);
  });
});

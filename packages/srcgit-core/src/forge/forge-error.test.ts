import { describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import { ForgeError, isForgeError } from './forge-error';

describe('ForgeError', () => {
  it('is a CoreError with code FORGE_FAILED, its kind in data, and serialises', () => {
    const error = new ForgeError('transient', 'GitLab GET /user answered 429: Retry later.', {
      retryAfterMs: 2_000,
    });
    expect(error).toBeInstanceOf(CoreError);
    expect(error.name).toBe('ForgeError');
    expect(error.kind).toBe('transient');
    expect(error.retryAfterMs).toBe(2_000);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ForgeError',
      code: 'FORGE_FAILED',
      message: 'GitLab GET /user answered 429: Retry later.',
      data: { kind: 'transient', retryAfterMs: 2_000 },
    });
  });

  it('is recognised by kind', () => {
    const error = new ForgeError('not-found', '404 Project Not Found');
    expect(isForgeError(error)).toBe(true);
    expect(isForgeError(error, 'permission', 'not-found')).toBe(true);
    expect(isForgeError(error, 'transient')).toBe(false);
    expect(isForgeError(new CoreError('JOB_INVALID', 'x'))).toBe(false);
    expect(isForgeError(new Error('x'))).toBe(false);
  });
});

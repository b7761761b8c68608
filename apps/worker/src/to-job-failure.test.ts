import { CoreError, ForgeError } from '@srcgit/core';
import { ConverterError } from '@srcgit/dist-git-converter';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { classifyFailure, toJobFailure } from './to-job-failure';

describe('classifyFailure', () => {
  it('retries transient forge failures, network errors and failed local git commands', () => {
    expect(classifyFailure(new ForgeError('transient', 'GitLab answered 502'))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'transient',
    );
    expect(classifyFailure(new ConverterError('GIT_FAILED', 'could not lock config file'))).toBe('transient');
  });

  it('does not retry malformed jobs, forge refusals or bugs', () => {
    expect(classifyFailure(new CoreError('JOB_INVALID', 'Invalid job payload'))).toBe('permanent');
    expect(classifyFailure(new ForgeError('permission', 'GitLab answered 403'))).toBe('permanent');
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('permanent');
  });
});

describe('toJobFailure', () => {
  it('rethrows a transient failure as it is, so BullMQ retries it', () => {
    const error = new ForgeError('transient', 'GitLab answered 503');
    expect(toJobFailure(error)).toBe(error);
  });

  it('wraps other failures in UnrecoverableError, keeping the message and cause', () => {
    const error = new CoreError('JOB_INVALID', 'Invalid job payload: event.kind');
    const failure = toJobFailure(error);
    expect(failure).toBeInstanceOf(UnrecoverableError);
    expect(failure.message).toBe('permanent: Invalid job payload: event.kind');
    expect(failure.cause).toBe(error);
  });
});

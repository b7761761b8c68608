import { describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import { createJsonLogger, type LogLevel } from './create-json-logger';

function capture(level: LogLevel = 'info') {
  const lines: string[] = [];
  const logger = createJsonLogger(
    { write: (line: string) => lines.push(line) },
    { app: 'worker' },
    level,
    () => new Date('2024-01-01T12:00:00Z'),
  );
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

describe('createJsonLogger', () => {
  it('writes one JSON object per line with time, level, message, base and fields, errors as data', () => {
    const { logger, records, lines } = capture();
    logger.debug('hidden');
    logger.warn('job failed', {
      job: 'sg-1-5',
      error: Object.assign(new Error('refused'), { code: 'EPERM' }),
    });
    logger.error('bad config', { error: new CoreError('CONFIG_INVALID', 'bad', { data: { key: 'x' } }) });
    expect(lines.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(records()).toEqual([
      {
        time: '2024-01-01T12:00:00.000Z',
        level: 'warn',
        msg: 'job failed',
        app: 'worker',
        job: 'sg-1-5',
        error: { name: 'Error', message: 'refused', code: 'EPERM' },
      },
      {
        time: '2024-01-01T12:00:00.000Z',
        level: 'error',
        msg: 'bad config',
        app: 'worker',
        error: { name: 'CoreError', code: 'CONFIG_INVALID', message: 'bad', data: { key: 'x' } },
      },
    ]);
  });

  it('keeps the stack trace of an internal error (one without a code), and of its cause', () => {
    const { logger, records } = capture();
    logger.error('job crashed', {
      error: new TypeError('x is undefined', { cause: new RangeError('deep') }),
    });
    const [record] = records();
    const error = record?.['error'] as { name: string; stack: string; cause: { stack: string } };
    expect(error.name).toBe('TypeError');
    expect(error.stack).toContain('TypeError: x is undefined');
    expect(error.stack).toContain('create-json-logger.test.ts');
    expect(error.cause.stack).toContain('RangeError: deep');
  });

  it('redacts secret fields at the top level and one level down', () => {
    const { logger, lines } = capture();
    logger.info('request', {
      token: 'glpat-SECRET1',
      headers: { authorization: 'Bearer SECRET2', 'x-gitlab-token': 'SECRET3', accept: 'json' },
      config: { webhookSecret: 'SECRET4', gitlabToken: 'SECRET5' },
    });
    expect(lines.join('')).not.toMatch(/SECRET/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      token: '[redacted]',
      headers: { authorization: '[redacted]', 'x-gitlab-token': '[redacted]', accept: 'json' },
      config: { webhookSecret: '[redacted]', gitlabToken: '[redacted]' },
    });
  });

  it('drops the lines below its level', () => {
    const debug = capture('debug');
    debug.logger.debug('seen');
    expect(debug.records().map((record) => record['msg'])).toEqual(['seen']);
    const error = capture('error');
    error.logger.warn('hidden');
    error.logger.error('shown');
    expect(error.records().map((record) => record['msg'])).toEqual(['shown']);
  });
});

import { describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import { createJsonLogger } from './create-json-logger';

describe('createJsonLogger', () => {
  it('writes one JSON object per line with time, level, message, base and fields, errors as data', () => {
    const lines: string[] = [];
    const logger = createJsonLogger(
      { write: (line: string) => lines.push(line) },
      { app: 'worker' },
      'info',
      () => new Date('2024-01-01T12:00:00Z'),
    );
    logger.debug('hidden');
    logger.warn('job failed', {
      job: 'sg-1-5',
      error: Object.assign(new Error('refused'), { code: 'EPERM' }),
    });
    logger.error('bad config', { error: new CoreError('CONFIG_INVALID', 'bad', { data: { key: 'x' } }) });
    expect(lines).toEqual([
      '{"time":"2024-01-01T12:00:00.000Z","level":"warn","msg":"job failed","app":"worker","job":"sg-1-5","error":{"name":"Error","message":"refused","code":"EPERM"}}\n',
      '{"time":"2024-01-01T12:00:00.000Z","level":"error","msg":"bad config","app":"worker","error":{"name":"CoreError","code":"CONFIG_INVALID","message":"bad","data":{"key":"x"}}}\n',
    ]);
  });
});

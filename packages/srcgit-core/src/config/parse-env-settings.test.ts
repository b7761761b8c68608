import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { envInteger, parseEnvSettings } from './parse-env-settings';

const schema = z.object({
  APP_PORT: envInteger(1, 65_535).optional(),
  APP_NAME: z.string().min(1).default('srcgit'),
});

describe('parseEnvSettings', () => {
  it('reads the variables the schema names, treating empty ones as unset', () => {
    expect(parseEnvSettings(schema, { APP_PORT: '8080', APP_NAME: '', OTHER: 'x' }, 'app settings')).toEqual({
      APP_PORT: 8080,
      APP_NAME: 'srcgit',
    });
  });

  it('names every wrong variable with what was expected and what was found', () => {
    expect(() => parseEnvSettings(schema, { APP_PORT: '99999x' }, 'app settings'))
      .toThrowErrorMatchingInlineSnapshot(`
      [CoreError: Invalid app settings:
        - APP_PORT: expected a whole number, found "99999x"]
    `);
    expect(() => parseEnvSettings(schema, { APP_PORT: '0' }, 'app settings')).toThrow(
      /APP_PORT: expected .*1.*, found "0"/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { NOT_JSON, parseDeliveryBody } from '../src/parse-delivery-body';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseDeliveryBody', () => {
  it('returns the object and its text', () => {
    expect(parseDeliveryBody(bytes('{"a":[1,{"b":2}]}'), 64)).toEqual({
      ok: true,
      body: { a: [1, { b: 2 }] },
      text: '{"a":[1,{"b":2}]}',
    });
  });

  it('refuses, with a short reason, what is not a JSON object', () => {
    for (const text of ['', 'not json', '[1,2]', '"text"', 'null', '42', '{"a":']) {
      expect(parseDeliveryBody(bytes(text), 64)).toEqual({ ok: false, message: NOT_JSON });
    }
    expect(parseDeliveryBody(new Uint8Array([0x7b, 0xff, 0x7d]), 64)).toEqual({
      ok: false,
      message: 'The body is not UTF-8 text.',
    });
  });

  it(
    'refuses a body nesting deeper than the limit before parsing it, naming the setting',
    { timeout: 5_000 },
    () => {
      const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      expect(parseDeliveryBody(bytes(deep), 64)).toEqual({
        ok: false,
        message:
          'The JSON body nests arrays and objects more than 64 levels deep (limit: SRCGIT_MAX_JSON_DEPTH).',
      });
      expect(parseDeliveryBody(bytes('['.repeat(100_000)), 64)).toMatchObject({ ok: false });
      expect(parseDeliveryBody(bytes(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`), 64)).toMatchObject({
        ok: true,
      });
    },
  );
});

import { describe, expect, it } from 'vitest';
import { shapeMismatches, shapeOf } from './json-shape';

describe('shapeMismatches', () => {
  it('requires every recorded field with the same JSON type, recursively', () => {
    const shape = shapeOf({ id: 1, name: 'x', nested: { ok: true }, list: [{ a: 1 }] });
    expect(
      shapeMismatches(shape, {
        id: 2,
        name: 'y',
        nested: { ok: false },
        list: [{ a: 3, extra: 1 }],
        more: 1,
      }),
    ).toEqual([]);
    expect(shapeMismatches(shape, { id: '2', nested: {}, list: [{ a: null }] })).toEqual([
      '$.id: expected number, got string',
      '$.name: missing',
      '$.nested.ok: missing',
      '$.list[0].a: expected number, got null',
    ]);
  });

  it('lets a recorded null (or Python’s "None") match anything, but not the other way round', () => {
    expect(shapeMismatches(shapeOf({ a: null, b: 'None' }), { a: { deep: 1 }, b: 3 })).toEqual([]);
    expect(shapeMismatches(shapeOf({ a: 'text' }), { a: null })).toEqual(['$.a: expected string, got null']);
  });

  it('requires of list elements only the fields all recorded elements share', () => {
    const shape = shapeOf([{ id: 1, position: { x: 1 } }, { id: 2 }]);
    expect(shapeMismatches(shape, [{ id: 3 }])).toEqual([]);
    expect(shapeMismatches(shape, [{ position: {} }])).toEqual(['$[0].id: missing']);
  });
});

/**
 * The shape of recorded JSON: which fields exist and with which JSON types. A simulator response
 * conforms when it has every recorded field with the same type, recursively. `null` in a
 * recording (and the string `"None"`, Python's rendering of null in some recordings) matches
 * anything. For arrays, the fields common to all recorded elements are required of every element
 * the simulator returns.
 */
export type JsonShape =
  | { readonly kind: 'any' }
  | { readonly kind: 'scalar'; readonly type: 'string' | 'number' | 'boolean' }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, JsonShape> }
  | { readonly kind: 'array'; readonly element: JsonShape | undefined };

const ANY: JsonShape = { kind: 'any' };

export function shapeOf(value: unknown): JsonShape {
  if (value === null || value === undefined || value === 'None') return ANY;
  if (typeof value === 'string') return { kind: 'scalar', type: 'string' };
  if (typeof value === 'number') return { kind: 'scalar', type: 'number' };
  if (typeof value === 'boolean') return { kind: 'scalar', type: 'boolean' };
  if (Array.isArray(value)) {
    const elements = value.map(shapeOf);
    return { kind: 'array', element: elements.length === 0 ? undefined : elements.reduce(commonShape) };
  }
  const fields = new Map<string, JsonShape>();
  for (const [key, field] of Object.entries(value as Record<string, unknown>))
    fields.set(key, shapeOf(field));
  return { kind: 'object', fields };
}

/** What two recorded values have in common: shared fields, and `any` where types disagree. */
export function commonShape(a: JsonShape, b: JsonShape): JsonShape {
  if (a.kind === 'any' || b.kind === 'any') return ANY;
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.type === b.type ? a : ANY;
  if (a.kind === 'array' && b.kind === 'array') {
    if (a.element === undefined) return b;
    if (b.element === undefined) return a;
    return { kind: 'array', element: commonShape(a.element, b.element) };
  }
  if (a.kind === 'object' && b.kind === 'object') {
    const fields = new Map<string, JsonShape>();
    for (const [key, shape] of a.fields) {
      const other = b.fields.get(key);
      if (other !== undefined) fields.set(key, commonShape(shape, other));
    }
    return { kind: 'object', fields };
  }
  return ANY;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Differences between a value and a recorded shape, as `path: problem` lines (empty: conforms). */
export function shapeMismatches(shape: JsonShape, value: unknown, path = '$'): string[] {
  switch (shape.kind) {
    case 'any':
      return [];
    case 'scalar':
      return typeof value === shape.type ? [] : [`${path}: expected ${shape.type}, got ${typeName(value)}`];
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: expected array, got ${typeName(value)}`];
      if (shape.element === undefined) return [];
      const element = shape.element;
      return value.flatMap((item, index) => shapeMismatches(element, item, `${path}[${index}]`));
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return [`${path}: expected object, got ${typeName(value)}`];
      }
      const record = value as Record<string, unknown>;
      return [...shape.fields].flatMap(([key, field]) =>
        key in record ? shapeMismatches(field, record[key], `${path}.${key}`) : [`${path}.${key}: missing`],
      );
    }
  }
}

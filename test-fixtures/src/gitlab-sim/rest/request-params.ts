import type { RequestParams } from './rest-env';
import { badParameter } from '../simulator-error';

/** Reads the query string and the body (JSON or form) into one parameter map, body winning. */
export async function readRequestParams(request: Request): Promise<Map<string, unknown>> {
  const params = new Map<string, unknown>();
  const url = new URL(request.url);
  const addForm = (entries: Iterable<[string, string]>): void => {
    for (const [key, value] of entries) {
      if (key.endsWith('[]')) {
        const name = key.slice(0, -2);
        const list = params.get(name);
        params.set(name, Array.isArray(list) ? [...(list as unknown[]), value] : [value]);
      } else {
        params.set(key, value);
      }
    }
  };
  addForm(url.searchParams.entries());
  if (request.method === 'GET' || request.method === 'HEAD') return params;
  const type = request.headers.get('content-type') ?? '';
  const text = await request.text();
  if (text === '') return params;
  if (type.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw badParameter("The provided content-type 'application/json' is not supported.");
    }
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      for (const [key, value] of Object.entries(body as Record<string, unknown>)) params.set(key, value);
    }
  } else {
    addForm(new URLSearchParams(text).entries());
  }
  return params;
}

/** A scalar parameter as text (JSON numbers and booleans included); objects count as absent. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function stringParam(params: RequestParams, name: string): string | undefined {
  return scalarText(params.get(name));
}

export function requiredString(params: RequestParams, ...names: string[]): string[] {
  const missing = names.filter((name) => stringParam(params, name) === undefined);
  if (missing.length > 0) throw badParameter(missing.map((name) => `${name} is missing`).join(', '));
  return names.map((name) => stringParam(params, name) ?? '');
}

export function intParam(params: RequestParams, name: string): number | undefined {
  const value = stringParam(params, name);
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw badParameter(`${name} is invalid`);
  return Number(value);
}

export function boolParam(params: RequestParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const text = (scalarText(value) ?? '').toLowerCase();
  if (['true', '1', 't', 'yes'].includes(text)) return true;
  if (['false', '0', 'f', 'no', ''].includes(text)) return false;
  throw badParameter(`${name} is invalid`);
}

export function intListParam(params: RequestParams, name: string): number[] | undefined {
  const value = params.get(name);
  if (value === undefined || value === null) return undefined;
  const list: unknown[] = Array.isArray(value) ? value : (scalarText(value) ?? '').split(',');
  return list
    .map(scalarText)
    .filter((item) => item !== undefined && item !== '')
    .map((item) => Number(item));
}

export function stringListParam(params: RequestParams, name: string): string[] | undefined {
  const value = params.get(name);
  if (value === undefined || value === null) return undefined;
  const list: unknown[] = Array.isArray(value) ? value : (scalarText(value) ?? '').split(',');
  return list
    .map(scalarText)
    .filter((item) => item !== undefined)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A JSON value read loosely in tests: any property access yields another loose value. */
export interface Loose {
  readonly [key: string]: Loose;
}

export interface RestResult {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body (`undefined` for an empty body). */
  readonly json: Loose;
  readonly text: string;
}

/** Calls the simulator's REST API like a client would (JSON bodies, `PRIVATE-TOKEN`). */
export async function restCall(
  apiUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestResult> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { 'PRIVATE-TOKEN': token }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json: json as Loose, text };
}

/** The elements of a loose JSON array (none for anything else). */
export function listOf(value: Loose | undefined): Loose[] {
  return Array.isArray(value) ? (value as Loose[]) : [];
}

/** A loose JSON string value as text (`''` for anything else). */
export function textOf(value: Loose | undefined): string {
  return typeof value === 'string' ? value : '';
}

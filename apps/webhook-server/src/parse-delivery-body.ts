/**
 * @module
 * From a delivery's bytes to its JSON object, refusing what is not one with a short reason.
 */
import { exceedsJsonDepth } from './json-nesting-depth';

/** The parsed body with its text (the text keys deliveries without a delivery id), or why not. */
export type DeliveryBody =
  | { readonly ok: true; readonly body: Record<string, unknown>; readonly text: string }
  | { readonly ok: false; readonly message: string };

/** The answer to a body that is not a JSON object (packit-service's wording, kept for its clients). */
export const NOT_JSON = "We haven't received any JSON data.";

/**
 * Decodes `bytes` as UTF-8 (strictly) and parses them as a JSON object nesting at most
 * `maxDepth` levels. The depth is checked by a linear scan before `JSON.parse`, so no input can
 * exhaust the stack of the parser or of anything that walks the result. Never throws.
 *
 * @example
 * const parsed = parseDeliveryBody(bytes, 64);
 * if (!parsed.ok) return c.text(parsed.message, 400);
 */
export function parseDeliveryBody(bytes: Uint8Array, maxDepth: number): DeliveryBody {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: 'The body is not UTF-8 text.' };
  }
  if (exceedsJsonDepth(text, maxDepth)) {
    return {
      ok: false,
      message: `The JSON body nests arrays and objects more than ${maxDepth} levels deep (limit: SRCGIT_MAX_JSON_DEPTH).`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, message: NOT_JSON };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, message: NOT_JSON };
  return { ok: true, body: body as Record<string, unknown>, text };
}

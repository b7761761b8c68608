/**
 * @module
 * GitLab's own error text from a response body.
 */

/**
 * The `message` (or `error`) of a GitLab error body — a string, or an object/array of
 * validation messages, flattened — else the `<title>` of an HTML error page, else the raw text;
 * cut to 300 characters.
 */
export function gitlabMessage(text: string): string {
  let detail: unknown = text;
  const title = /^\s*<(?:!doctype|html)[\s\S]*?<title>([^<]*)<\/title>/i.exec(text)?.[1];
  if (title !== undefined) detail = title;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      detail = record.message ?? record.error ?? parsed;
    }
  } catch {
    // not JSON: use the text
  }
  const flat = (typeof detail === 'string' ? detail : JSON.stringify(detail)).trim().replace(/\.$/, '');
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

/**
 * @module
 * How deep a JSON text nests, found without parsing it.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether `text` opens more than `limit` arrays and objects inside each other. One pass over the
 * text, constant memory, no recursion: brackets and braces are counted outside strings (string
 * escapes skipped), so it runs before `JSON.parse` on any input, valid JSON or not, and stops at
 * the first level past the limit.
 *
 * @example
 * exceedsJsonDepth('{"a":[[1]]}', 2) // → true (three levels)
 * exceedsJsonDepth('{"a":"[[[["}', 2) // → false (the brackets are inside a string)
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth -= 1;
    }
  }
  return false;
}

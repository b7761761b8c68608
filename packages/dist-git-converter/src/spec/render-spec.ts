import type { SpecDocument } from './spec-document';

/**
 * The exact text of a document: `renderSpec(parseSpec(text)) === text` for every string.
 *
 * @example
 * renderSpec(parseSpec('Name: beer\r\nVersion: 1')) // 'Name: beer\r\nVersion: 1'
 */
export function renderSpec(document: SpecDocument): string {
  let text = '';
  for (const line of document.lines) text += line.text + line.eol;
  return text;
}

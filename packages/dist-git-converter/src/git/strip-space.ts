/**
 * `git stripspace` (git's `strbuf_stripspace` without comment stripping), the clean-up
 * `git commit` gives a message: trailing whitespace (space, tab, CR) removed from every line,
 * runs of empty lines collapsed into one, leading and trailing empty lines dropped, and every
 * line ended by a line feed. Done in memory: it is a pure text filter, and a git process costs
 * a fork of the whole converter.
 */
import { trimTrailing } from '../text/trim-trailing';
export function stripSpace(text: string): string {
  let result = '';
  let empties = 0;
  for (const line of text.split('\n')) {
    const content = trimTrailing(line, ' \t\r');
    if (content === '') {
      empties += 1;
      continue;
    }
    if (empties > 0 && result !== '') result += '\n';
    empties = 0;
    result += `${content}\n`;
  }
  return result;
}

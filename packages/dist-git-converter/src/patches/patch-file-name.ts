/** `format.filenameMaxLength` default of git. */
const NAME_MAX = 64;
const SUFFIX = '.patch';

/**
 * The file name `git format-patch` gives the `number`-th patch of a series (docs/converter-behaviour.md
 * §2.4): `%04d-<sanitised first line of the message>` cut to 57 characters, plus `.patch`.
 *
 * @param number - 1-based position among the patches format-patch emits.
 * @param message - the commit message (only its first non-blank line is used, as git does).
 * @example
 * ```ts
 * formatPatchFileName(4, 'Weißbier! Summer is coming!'); // '0004-Wei-bier-Summer-is-coming.patch'
 * ```
 */
import { trimTrailing } from '../text/trim-trailing';
export function formatPatchFileName(number: number, message: string): string {
  const name = `${String(number).padStart(4, '0')}-${sanitizeSubject(firstLine(message))}`;
  return `${name.slice(0, NAME_MAX - (SUFFIX.length + 1))}${SUFFIX}`;
}

/**
 * git's `format_sanitized_subject`: keeps `[A-Za-z0-9._]`, turns every run of other bytes into
 * one `-` (never a leading one), collapses runs of `.`, strips trailing `.` and `-`.
 */
export function sanitizeSubject(subject: string): string {
  let out = '';
  // 2 = at the start (no dash before the first kept character), 1 = after a dropped run, 0 = in a word
  let space = 2;
  for (let index = 0; index < subject.length; index++) {
    const char = subject[index] as string;
    if (isTitleChar(char)) {
      if (space === 1) out += '-';
      space = 0;
      out += char;
      if (char === '.') {
        while (subject[index + 1] === '.') index++;
      }
    } else {
      space |= 1;
    }
  }
  return trimTrailing(out, '.-');
}

function isTitleChar(char: string): boolean {
  return /^[A-Za-z0-9._]$/.test(char);
}

/** The first line that is not blank, as git's `%f` takes it. */
function firstLine(message: string): string {
  for (const line of message.split('\n')) {
    if (line.trim() !== '') return line;
  }
  return '';
}

import type { GitRunner } from '../git/git-runner';
import { parseTrailers } from '../patches/parse-trailers';

/** A trailer to add; a multi-line value continues on lines that start with blanks. */
export interface Trailer {
  readonly token: string;
  readonly value: string;
}

/**
 * Adds trailers to a commit message as `git interpret-trailers --if-exists replace` does (git's
 * rules: appended to an existing trailer paragraph, else as a new paragraph; a trailer with the
 * same token is replaced). The common case — none of the tokens present yet — is done in memory
 * with git's trailer-block rules; otherwise git itself runs (the user's `trailer.*` configuration
 * is ignored).
 */
export async function addTrailers(
  git: GitRunner,
  cwd: string,
  message: string,
  trailers: readonly Trailer[],
  signal?: AbortSignal,
): Promise<string> {
  const input = message.endsWith('\n') ? message : `${message}\n`;
  // git ends the message at the first `---` line (a patch divider): trailers go before it and the
  // rest is kept verbatim. Doing that split here gives git's result and keeps git away from text
  // after the divider — git 2.39 loops forever on a `# … >8 …` scissors line that follows a `---`
  // line, and a merge request description can contain both.
  const divider = PATCH_DIVIDER.exec(input);
  if (divider !== null && divider.index > 0) {
    const head = input.slice(0, divider.index);
    return `${await addTrailers(git, cwd, head, trailers, signal)}${input.slice(divider.index)}`;
  }
  const appended = appendTrailers(input, trailers);
  if (appended !== undefined) return appended;
  const args = ['interpret-trailers', '--if-exists', 'replace'];
  for (const trailer of trailers) args.push('--trailer', `${trailer.token}: ${trailer.value}`);
  return git.text(args, { cwd, input, isolated: true, ...(signal === undefined ? {} : { signal }) });
}

/** git's patch divider: a line that starts with `---` followed by white space (trailer.c). */
const PATCH_DIVIDER = /^---[ \t\n\r\v\f]/m;

/**
 * The message with the trailers appended, or undefined when git has to decide (the message ends
 * in blanks or has text git treats specially: a `---` divider, trailing comments). Trailers with
 * the same tokens are taken out of the trailer block first, as `--if-exists replace` does.
 */
export function appendTrailers(message: string, trailers: readonly Trailer[]): string | undefined {
  const body = message.replace(/\n$/, '');
  if (body.trim() === '' || /\s$/.test(body) || /^---(?:\s|$)/m.test(body) || /(?:^|\n)#[^\n]*$/.test(body)) {
    return undefined;
  }
  const lines = trailers.map((trailer) => `${trailer.token}: ${trailer.value}`).join('\n');
  const split = body.lastIndexOf('\n\n');
  if (split === -1 || parseTrailers(`${body}\n`).length === 0) return `${body}\n\n${lines}\n`;
  const head = body.slice(0, split + 2);
  const tokens = new Set(trailers.map((trailer) => trailer.token.toLowerCase()));
  const kept: string[] = [];
  let dropping = false;
  for (const line of body.slice(split + 2).split('\n')) {
    if (dropping && /^[ \t]/.test(line)) continue;
    const separator = line.indexOf(':');
    const token = separator > 0 ? line.slice(0, separator).trim() : '';
    dropping = /^[A-Za-z0-9-]+$/.test(token) && tokens.has(token.toLowerCase());
    if (!dropping) kept.push(line);
  }
  return kept.length === 0 ? `${head}${lines}\n` : `${head}${kept.join('\n')}\n${lines}\n`;
}

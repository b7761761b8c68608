/**
 * @module
 * The comment commands on source-git MRs (docs/bot-behaviour.md §1.G) and their grammar.
 */
import { parseArgs } from 'node:util';
import { markdownPlainLines } from './markdown-plain-lines';

/** A command the bot runs. */
export type CommentCommand =
  | { readonly name: 'help' }
  /** Re-sync the dist-git MR now; with `recreate`, close it and open a fresh one. */
  | { readonly name: 'update-dist-git'; readonly recreate: boolean }
  /** Start a new pipeline on the dist-git MR. */
  | { readonly name: 'retest' }
  /** Retry the failed jobs of the dist-git MR's newest pipeline. */
  | { readonly name: 'retest-failed' };

/** The result of {@link parseCommentCommand}. */
export type ParsedCommentCommand =
  | { readonly kind: 'command'; readonly command: CommentCommand; readonly line: string }
  /** A command line the bot does not understand (answered with the usage text). */
  | { readonly kind: 'invalid'; readonly line: string; readonly problem: string };

/** Verbs and their aliases (packit's names kept where they exist). */
const VERBS: Readonly<Record<string, CommentCommand['name'] | 'recreate-dist-git-mr'>> = {
  help: 'help',
  'update-dist-git': 'update-dist-git',
  'recreate-dist-git-mr': 'recreate-dist-git-mr',
  retest: 'retest',
  test: 'retest',
  'retest-failed': 'retest-failed',
};

/**
 * Finds the command in a comment, with packit's grammar: the first non-empty line whose first
 * whitespace-separated word is `prefix` and that has at least one more word; the following
 * words are the verb and its options. Only plain lines count (see `markdownPlainLines`): a
 * command shown as code, quoted, or hidden in an HTML comment is never run. Returns `null` when
 * no line is a command.
 *
 * @example
 * parseCommentCommand('Thanks!\n/srcgit update-dist-git --recreate', '/srcgit');
 * // { kind: 'command', command: { name: 'update-dist-git', recreate: true }, line: '/srcgit update-dist-git --recreate' }
 */
export function parseCommentCommand(body: string, prefix: string): ParsedCommentCommand | null {
  for (const raw of markdownPlainLines(body)) {
    const words = raw.trim().split(/\s+/);
    if (words[0] !== prefix || words.length < 2) continue;
    const line = words.join(' ');
    const [verb = '', ...args] = words.slice(1);
    const name = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
    if (name === undefined) return { kind: 'invalid', line, problem: `unknown command "${verb}"` };
    let recreate: boolean;
    try {
      const parsed = parseArgs({
        args,
        options: name === 'update-dist-git' ? { recreate: { type: 'boolean' } } : {},
        strict: true,
        allowPositionals: false,
      });
      recreate = parsed.values['recreate'] === true;
    } catch (error) {
      return {
        kind: 'invalid',
        line,
        problem: `${verb}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      };
    }
    switch (name) {
      case 'update-dist-git':
        return { kind: 'command', command: { name, recreate }, line };
      case 'recreate-dist-git-mr':
        return { kind: 'command', command: { name: 'update-dist-git', recreate: true }, line };
      case 'help':
      case 'retest':
      case 'retest-failed':
        return { kind: 'command', command: { name }, line };
    }
  }
  return null;
}

/** The usage text the bot replies to `help` and to commands it does not understand. */
export function renderCommandUsage(prefix: string): string {
  return [
    'Commands (comment on the source-git merge request):',
    '',
    '| command | what it does | who may run it |',
    '| --- | --- | --- |',
    `| \`${prefix} help\` | shows this text | anyone |`,
    `| \`${prefix} update-dist-git\` | syncs the dist-git merge request with this merge request's head now | the author, Developers of the source-git project |`,
    `| \`${prefix} update-dist-git --recreate\` | closes the dist-git merge request and opens a fresh one | the author, Developers of the source-git project |`,
    `| \`${prefix} retest\` | starts a new pipeline on the dist-git merge request | Developers of the dist-git project |`,
    `| \`${prefix} retest-failed\` | retries the failed jobs of the newest dist-git pipeline | Developers of the dist-git project |`,
  ].join('\n');
}

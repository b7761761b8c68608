import { ConverterError } from '../converter-error';
import { compileWildmatch, hasWildcard, type WildmatchMatcher } from './wildmatch';

/** What a rule does when it matches: keep a file out (`exclude`) or let it through (`include`). */
export type RsyncRuleEffect = 'exclude' | 'include';

/**
 * One parsed rsync filter rule (`exclude PATTERN`, `- PATTERN`, `protect PATTERN`, …) with
 * rsync's matching rules precomputed: which sides it applies to (the sending side decides what
 * is copied; the receiving side decides what `delete` may remove) and how its pattern matches.
 */
export interface RsyncFilterRule {
  /** The rule as written, for messages. */
  readonly text: string;
  readonly effect: RsyncRuleEffect;
  readonly sender: boolean;
  readonly receiver: boolean;
  readonly negate: boolean;
  readonly pattern: string;
  readonly anchored: boolean;
  readonly directoryOnly: boolean;
  readonly slashCount: number;
  readonly doubleStar: boolean;
  readonly doubleStarPrefix: boolean;
  readonly tripleStarSuffix: boolean;
  readonly matcher: WildmatchMatcher | undefined;
}

/** The longest filter rule accepted, in characters: real rules are a few dozen. */
export const MAX_FILTER_RULE_LENGTH = 1024;

const LONG_NAMES: Readonly<Record<string, { effect: RsyncRuleEffect; sender: boolean; receiver: boolean }>> =
  {
    exclude: { effect: 'exclude', sender: true, receiver: true },
    include: { effect: 'include', sender: true, receiver: true },
    hide: { effect: 'exclude', sender: true, receiver: false },
    show: { effect: 'include', sender: true, receiver: false },
    protect: { effect: 'exclude', sender: false, receiver: true },
    risk: { effect: 'include', sender: false, receiver: true },
  };

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '-': 'exclude',
  '+': 'include',
  H: 'hide',
  S: 'show',
  P: 'protect',
  R: 'risk',
};

const EXAMPLE = 'e.g. "protect .git*", "exclude source-git.yaml", "- *.orig" or "+ /tests/***"';

/**
 * Parses one `files_to_sync` filter the way `rsync --filter` does. Supported: the rules
 * `exclude`/`-`, `include`/`+`, `hide`/`H`, `show`/`S`, `protect`/`P`, `risk`/`R` with the
 * modifiers `!` (negate), `s` (sender side only), `r` (receiver side only) and `p` (perishable,
 * no effect here). Merge files and `clear` are refused with a `CONFIG_INVALID` error.
 */
export function parseRsyncFilterRule(text: string, where: string): RsyncFilterRule {
  const fail = (why: string): never => {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${where}: filter "${text}" ${why} (expected an rsync filter rule, ${EXAMPLE})`,
      { data: { filter: text } },
    );
  };
  if (text.length > MAX_FILTER_RULE_LENGTH) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${where}: filter "${text.slice(0, 40)}…" is ${text.length} characters long; a filter rule may have at most ${MAX_FILTER_RULE_LENGTH}`,
      { data: { filter: text.slice(0, MAX_FILTER_RULE_LENGTH), limit: MAX_FILTER_RULE_LENGTH } },
    );
  }
  const match = /^([A-Za-z-]+|[-+HSPR])(?:,([^ _]*)|([!srp]*))?[ _](.*)$/.exec(text);
  if (match === null) return fail('is not of the form "RULE PATTERN"');
  const [, ruleName = '', longModifiers, shortModifiers, rawPattern = ''] = match;
  const name = ruleName.length === 1 ? SHORT_NAMES[ruleName] : ruleName;
  const kind = name === undefined ? undefined : LONG_NAMES[name];
  if (kind === undefined) {
    return fail(
      ruleName === 'merge' ||
        ruleName === 'dir-merge' ||
        ruleName === 'clear' ||
        ruleName === '.' ||
        ruleName === ':'
        ? 'uses a merge or clear rule, which srcgit does not support'
        : `has an unknown rule "${ruleName}"`,
    );
  }
  if (ruleName.length > 1 && shortModifiers !== undefined && shortModifiers !== '') {
    return fail('puts modifiers directly after a long rule name (write them after a comma)');
  }
  const modifiers = longModifiers ?? shortModifiers ?? '';
  let { sender, receiver } = kind;
  let negate = false;
  for (const modifier of modifiers) {
    if (modifier === '!') negate = true;
    else if (modifier === 's') receiver = false;
    else if (modifier === 'r') sender = false;
    else if (modifier !== 'p') fail(`has the unsupported modifier "${modifier}"`);
  }
  if (modifiers.includes('s') && modifiers.includes('r')) {
    sender = kind.sender;
    receiver = kind.receiver;
  }
  if (rawPattern === '') return fail('has an empty pattern');

  let pattern = rawPattern;
  let directoryOnly = false;
  if (pattern.length > 1 && pattern.endsWith('/')) {
    pattern = pattern.slice(0, -1);
    directoryOnly = true;
  }
  const anchored = pattern.startsWith('/');
  const slashCount = [...pattern].filter((char) => char === '/').length;
  const wild = hasWildcard(pattern);
  const body = anchored ? pattern.slice(1) : pattern;
  return {
    text,
    effect: kind.effect,
    sender,
    receiver,
    negate,
    pattern: body,
    anchored,
    directoryOnly,
    slashCount,
    doubleStar: pattern.includes('**'),
    doubleStarPrefix: pattern.startsWith('**'),
    tripleStarSuffix: pattern.endsWith('***'),
    matcher: wild ? compileWildmatch(body) : undefined,
  };
}

/**
 * rsync's `rule_matches`: does the rule match `name`, a path relative to the transfer root
 * (`tests/smoke.sh`), which is a directory when `isDirectory`?
 */
export function rsyncRuleMatches(rule: RsyncFilterRule, name: string, isDirectory: boolean): boolean {
  const hit = !rule.negate;
  if (name === '') return false;
  let text = name;
  if (rule.slashCount === 0 && !rule.doubleStar) {
    text = name.slice(name.lastIndexOf('/') + 1);
  } else if (rule.doubleStarPrefix) {
    text = `/${name}`;
  }
  if (isDirectory) {
    if (rule.tripleStarSuffix) text += '/';
  } else if (rule.directoryOnly) {
    return !hit;
  }

  const { matcher } = rule;
  let matched: boolean;
  if (!rule.anchored && rule.slashCount > 0 && !rule.doubleStar) {
    // A pattern with an inner slash matches the last slashCount + 1 path elements.
    const parts = text.split('/');
    if (parts.length < rule.slashCount + 1) return !hit;
    const tail = parts.slice(-(rule.slashCount + 1)).join('/');
    matched = matcher === undefined ? tail === rule.pattern : matcher.test(tail);
  } else if (!rule.anchored && !rule.doubleStarPrefix && rule.doubleStar && matcher !== undefined) {
    // A `**` pattern that is not anchored may match after any slash (one pass over the name).
    matched = matcher.testAfterAnySlash(text);
  } else {
    matched = matcher === undefined ? text === rule.pattern : matcher.test(text);
  }
  return matched ? hit : !hit;
}

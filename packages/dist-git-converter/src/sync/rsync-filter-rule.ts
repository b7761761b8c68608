import { ConverterError } from '../converter-error';
import { compileWildmatch, hasWildcard } from './wildmatch';

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
  readonly matcher: RegExp | undefined;
}

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

  let candidates: string[];
  if (!rule.anchored && rule.slashCount > 0 && !rule.doubleStar) {
    // A pattern with an inner slash matches the last slashCount + 1 path elements.
    const parts = text.split('/');
    if (parts.length < rule.slashCount + 1) return !hit;
    candidates = [parts.slice(-(rule.slashCount + 1)).join('/')];
  } else if (!rule.anchored && !rule.doubleStarPrefix && rule.doubleStar) {
    // A `**` pattern that is not anchored may match after any slash.
    candidates = [text];
    for (let i = text.indexOf('/'); i !== -1; i = text.indexOf('/', i + 1))
      candidates.push(text.slice(i + 1));
  } else {
    candidates = [text];
  }
  for (const candidate of candidates) {
    const matched = rule.matcher === undefined ? candidate === rule.pattern : rule.matcher.test(candidate);
    if (matched) return hit;
  }
  return !hit;
}

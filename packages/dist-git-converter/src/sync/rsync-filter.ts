import { ConverterError } from '../converter-error';
import { parseRsyncFilterRule, rsyncRuleMatches, type RsyncFilterRule } from './rsync-filter-rule';

/** The decisions a list of rsync filter rules makes for one transfer. */
export interface RsyncFilter {
  readonly rules: readonly RsyncFilterRule[];
  /** Sending side: true when `name` (relative to the transfer root) is not copied. */
  isExcluded(name: string, isDirectory: boolean): boolean;
  /** Receiving side: true when `delete` must leave `name` alone. */
  isProtected(name: string, isDirectory: boolean): boolean;
}

/** The most filter rules one `files_to_sync` item may have: real items have a handful. */
export const MAX_FILTER_RULES = 256;

/**
 * Builds the filter of one `files_to_sync` item from its rules, in order. As in rsync, the first
 * rule that applies to a side and matches decides; no match means "copy" and "may delete".
 * Matching is linear in the name's length for each rule (an automaton, never a backtracking regular expression).
 *
 * @throws ConverterError `CONFIG_INVALID` naming the item (`where`) for an unsupported rule, a
 *   rule longer than `MAX_FILTER_RULE_LENGTH` or more than {@link MAX_FILTER_RULES} rules.
 */
export function createRsyncFilter(filters: readonly string[], where: string): RsyncFilter {
  if (filters.length > MAX_FILTER_RULES) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${where}: ${filters.length} filters; an item may have at most ${MAX_FILTER_RULES} (combine patterns, e.g. with "*" or "[…]")`,
      { data: { filters: filters.length, limit: MAX_FILTER_RULES } },
    );
  }
  const rules = filters.map((text) => parseRsyncFilterRule(text, where));
  const decide = (side: 'sender' | 'receiver', name: string, isDirectory: boolean): boolean => {
    for (const rule of rules) {
      if (!rule[side]) continue;
      if (rsyncRuleMatches(rule, name, isDirectory)) return rule.effect === 'exclude';
    }
    return false;
  };
  return {
    rules,
    isExcluded: (name, isDirectory) => decide('sender', name, isDirectory),
    isProtected: (name, isDirectory) => decide('receiver', name, isDirectory),
  };
}

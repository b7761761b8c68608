import { parseRsyncFilterRule, rsyncRuleMatches, type RsyncFilterRule } from './rsync-filter-rule';

/** The decisions a list of rsync filter rules makes for one transfer. */
export interface RsyncFilter {
  readonly rules: readonly RsyncFilterRule[];
  /** Sending side: true when `name` (relative to the transfer root) is not copied. */
  isExcluded(name: string, isDirectory: boolean): boolean;
  /** Receiving side: true when `delete` must leave `name` alone. */
  isProtected(name: string, isDirectory: boolean): boolean;
}

/**
 * Builds the filter of one `files_to_sync` item from its rules, in order. As in rsync, the first
 * rule that applies to a side and matches decides; no match means "copy" and "may delete".
 */
export function createRsyncFilter(filters: readonly string[], where: string): RsyncFilter {
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

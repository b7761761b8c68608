/**
 * @module
 * The Bugzilla reference rewrite of dist-git commit messages (docs/bot-behaviour.md §1.A templates).
 */

/**
 * Rewrites each line that starts with `Bugzilla:`, then one or more spaces, then either a bare
 * number or a URL ending in `id=<number>`, into `Resolves: bz#<number>` followed by whatever came
 * after the number on that line — the form CentOS's `check-gitbz` CI job expects. Lines with
 * leading spaces, a lower-case `bugzilla:` or no space after the colon are left alone.
 *
 * @example
 * rewriteBugzillaRefs('Fix crash\n\nBugzilla: https://bugzilla.redhat.com/show_bug.cgi?id=1234');
 * // 'Fix crash\n\nResolves: bz#1234'
 */
export function rewriteBugzillaRefs(text: string): string {
  return text.replace(
    /^Bugzilla: +(?:(\d+)|https?:\/\/\S*?id=(\d+))(?!\d)/gm,
    (_line, bare: string | undefined, fromUrl: string | undefined) => `Resolves: bz#${bare ?? fromUrl ?? ''}`,
  );
}

/**
 * The comment lines written above a new `Patch` tag (docs/converter-behaviour.md §2.8 step 7, fixed profile
 * of Q21): each line of the text becomes `# <line>`; lines that already start with `#` (as every
 * `Patch-status` written by `init`) are kept as they are; empty lines become `#` without a
 * trailing blank. Trailing empty lines are dropped; no text means no comment.
 *
 * @example
 * renderPatchComment('# Downstream only\n\nSee bug 12') // ['# Downstream only', '#', '# See bug 12']
 */
export function renderPatchComment(comment: string | undefined): string[] {
  if (comment === undefined) return [];
  const lines = comment.split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line === '' ? '#' : line.startsWith('#') ? line : `# ${line}`));
}

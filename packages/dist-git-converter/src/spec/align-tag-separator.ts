const SEPARATOR = /^([ \t]*):([ \t]*)$/;

/**
 * The separator for a tag named `nameLength` characters, derived from a reference tag so that the
 * values stay in one column (docs/converter-behaviour.md §2.8 step 5): the reference separator plus one blank
 * per character the new name is shorter, or minus one per character it is longer — but always at
 * least one blank after the colon (fixed profile of Q19: `Source: x` → `Patch0001: y`, never
 * `Patch0001:y`). Separators aligned with tabs are reused as they are.
 *
 * @example
 * alignTagSeparator(':        ', 'Source0'.length, 'Patch1'.length) // ':         '
 */
export function alignTagSeparator(
  referenceSeparator: string,
  referenceNameLength: number,
  nameLength: number,
): string {
  const match = SEPARATOR.exec(referenceSeparator);
  const before = match?.[1] ?? '';
  let after = match?.[2] ?? ' ';
  if (before.includes('\t') || after.includes('\t')) return `${before}:${after === '' ? ' ' : after}`;
  const difference = referenceNameLength - nameLength;
  after =
    difference >= 0 ? after + ' '.repeat(difference) : after.slice(0, Math.max(0, after.length + difference));
  return `${before}:${after === '' ? ' ' : after}`;
}

import type { Trailer } from './add-trailers';
import type { SpecPatchInfo } from './spec-patches';

/**
 * The trailers of a commit that holds a dist-git patch: `Patch-name`, `Patch-id` (the tag's
 * number), `Patch-status` (the comment block above the tag, as a YAML block scalar, so that the
 * tag round-trips with its comment) and `No-prefix: true` for a patch `%prep` applies with `-p0`.
 */
export function patchTrailers(
  fileName: string,
  entry: Pick<SpecPatchInfo, 'number' | 'commentLines'>,
  strip: number,
): Trailer[] {
  const trailers: Trailer[] = [
    { token: 'Patch-name', value: fileName },
    { token: 'Patch-id', value: String(entry.number) },
  ];
  if (entry.commentLines.length > 0) {
    trailers.push({
      token: 'Patch-status',
      value: `|\n${entry.commentLines.map((line) => `    ${line}`).join('\n')}`,
    });
  }
  if (strip === 0) trailers.push({ token: 'No-prefix', value: 'true' });
  return trailers;
}

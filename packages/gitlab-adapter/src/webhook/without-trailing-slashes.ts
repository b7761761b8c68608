/**
 * `text` without the `/` characters it ends with, in linear time (`/\/+$/` backtracks: quadratic
 * on a long run of slashes followed by anything else, and payload URLs are attacker-controlled).
 *
 * @example
 * withoutTrailingSlashes('https://gitlab.com/redhat/rpms/bash//') // → 'https://gitlab.com/redhat/rpms/bash'
 */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end -= 1;
  return text.slice(0, end);
}

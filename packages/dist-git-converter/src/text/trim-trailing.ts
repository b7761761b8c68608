/**
 * `text` without the characters of `characters` it ends with, in linear time. A regular
 * expression such as `/[. ]+$/` is tried from every position of a long run that is followed by
 * something else, which is quadratic — and the texts trimmed here (paths, subjects, message lines,
 * patch headers) come from strangers.
 *
 * @example
 * trimTrailing('hello.. ', '. ') // → 'hello'
 */
export function trimTrailing(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1] as string)) end -= 1;
  return text.slice(0, end);
}

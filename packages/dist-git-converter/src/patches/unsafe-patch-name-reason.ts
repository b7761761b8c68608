import { unsafePathReason } from '../sync/unsafe-path-reason';

/** The longest patch file name, in UTF-8 bytes: what Linux file systems allow in one name. */
export const PATCH_NAME_MAX_BYTES = 255;

/**
 * Why `name` (a `Patch-name`, which becomes a file name in the dist-git root and a `PatchN:` value
 * in the spec) is not a safe patch file name, or `undefined` when it is. The reason reads after
 * "is not a valid patch file name: ". A safe name is one plain file name: no `/`, not `.`, `..`
 * or empty; no control characters, white space, backslash or `%` (rpm would expand a macro in
 * the spec); no leading `.` (hidden files, `.git`) or `-` (read as an option); at most
 * {@link PATCH_NAME_MAX_BYTES} bytes; and not a name of git's own directory (`git~1`).
 */
export function unsafePatchNameReason(name: string): string | undefined {
  if (name.trim() === '' || name === '.' || name === '..' || name.includes('/')) {
    return 'it must be a plain file name in the dist-git root (no "/", not "." or "..", not empty)';
  }
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    return 'it holds a control character (line feed, tab, escape, …)';
  }
  if (/\s/.test(name)) return 'it holds white space';
  if (name.includes('\\')) return 'it holds a backslash';
  if (name.includes('%')) return 'it holds "%", which rpm expands as a macro in the spec\'s Patch tag';
  if (name.startsWith('.')) return 'it starts with "." (a hidden file; ".git" is git\'s own directory)';
  if (name.startsWith('-')) return 'it starts with "-", which commands would read as an option';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > PATCH_NAME_MAX_BYTES) {
    return `it is ${bytes} bytes long (at most ${PATCH_NAME_MAX_BYTES}, the longest file name Linux file systems allow)`;
  }
  return unsafePathReason(name);
}

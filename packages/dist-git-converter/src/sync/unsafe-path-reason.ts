/**
 * Characters some file systems ignore in names (HFS+ drops these zero-width and direction marks),
 * so that `.g\u200cit` opens `.git` there; they are removed before a name is compared.
 */
import { trimTrailing } from '../text/trim-trailing';
const IGNORED_IN_NAMES = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * Why `path` must not be written in (or read from) a repository's working tree, or `undefined`
 * when it may. `path` is `/`-separated and relative to the repository root. Refused: an empty
 * path, an absolute one, control characters (NUL, line feed, …), backslashes, empty, `.` and `..`
 * components, and any component that names git's own directory on some file system: `.git` in
 * any case, with trailing dots or spaces, an NTFS stream suffix (`.git::$INDEX_ALLOCATION`), HFS+
 * ignorable characters, or as the NTFS short name `git~1`.
 *
 * The reason reads after "…: " in a message, e.g. `it has a ".." component (it would leave the
 * repository)`.
 */
export function unsafePathReason(
  path: string,
  options: {
    /** Accept `.` components (a configured path such as `./.distro/`; the caller drops them). */
    readonly allowDotComponents?: boolean;
  } = {},
): string | undefined {
  if (path === '') return 'it is empty';
  if (path.startsWith('/')) return 'it is absolute (expected a path relative to the repository root)';
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) {
    return 'it holds a control character (NUL, line feed, tab, escape, …), which no repository path may hold';
  }
  if (path.includes('\\')) return 'it holds a backslash (directories are separated by "/" only)';
  for (const component of path.split('/')) {
    if (component === '.' && options.allowDotComponents === true) continue;
    const reason = unsafeComponentReason(component);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function unsafeComponentReason(component: string): string | undefined {
  if (component === '') return 'it has an empty component ("//", or a "/" at either end)';
  if (component === '.') return 'it has a "." component';
  if (component === '..') return 'it has a ".." component (it would leave the repository)';
  if (namesGitDirectory(component)) {
    return `it has the component "${component}", which names git's own directory ".git" (in any case, with trailing dots or spaces, or as "git~1"); srcgit never writes there`;
  }
  return undefined;
}

/** git's `is_ntfs_dotgit` and `is_hfs_dotgit`, together: does this name open `.git` somewhere? */
function namesGitDirectory(component: string): boolean {
  const name = trimTrailing(component.replace(IGNORED_IN_NAMES, '').toLowerCase().replace(/:.*$/s, ''), '. ');
  return name === '.git' || name === 'git~1';
}

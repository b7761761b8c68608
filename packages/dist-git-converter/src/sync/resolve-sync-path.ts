import { ConverterError } from '../converter-error';
import { unsafePathReason } from './unsafe-path-reason';

/**
 * Normalises a `files_to_sync` or `specfile_path` path (relative to a repository root) to `a/b`
 * form (`''` for the root): one trailing `/` and `.` components are dropped. Refuses, with a
 * `CONFIG_INVALID` error naming `where` (e.g. `files_to_sync[2].dest`), the path and the rule
 * broken, a path that leaves the repository (absolute, or with a `..` component: packit's
 * "Illegal path") and one that {@link unsafePathReason} refuses (a `.git` component in any
 * spelling, control characters, backslashes, empty components).
 */
export function resolveSyncPath(path: string, repository: string, where: string): string {
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw illegal(
      path,
      repository,
      where,
      `it is not inside ${repository} (expected a path relative to the repository root, e.g. ".distro/")`,
    );
  }
  const body = path.endsWith('/') ? path.slice(0, -1) : path;
  const reason = body === '' ? undefined : unsafePathReason(body, { allowDotComponents: true });
  if (reason !== undefined) throw illegal(path, repository, where, reason);
  return body
    .split('/')
    .filter((component) => component !== '.' && component !== '')
    .join('/');
}

function illegal(path: string, repository: string, where: string, reason: string): ConverterError {
  return new ConverterError('CONFIG_INVALID', `${where}: illegal path ${JSON.stringify(path)}: ${reason}`, {
    data: { path, repository, where },
  });
}

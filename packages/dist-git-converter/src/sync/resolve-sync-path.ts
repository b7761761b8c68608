import { posix } from 'node:path';
import { ConverterError } from '../converter-error';

/**
 * Normalises a `files_to_sync` path (relative to a repository root) to `a/b` form (`''` for the
 * root) and refuses one that leaves the repository, as packit does ("Illegal path").
 */
export function resolveSyncPath(path: string, repository: string, where: string): string {
  const normalized = posix.normalize(path.replace(/\/+$/, '') === '' ? '.' : path);
  if (posix.isAbsolute(path) || normalized === '..' || normalized.startsWith('../')) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${where}: illegal path "${path}": it is not inside ${repository} (expected a path relative to the repository root, e.g. ".distro/")`,
      { data: { path, repository } },
    );
  }
  const trimmed = normalized.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

import { posix } from 'node:path';
import type { SourceGitConfig } from '../config/source-git-config';
import { createRsyncFilter, type RsyncFilter } from '../sync/rsync-filter';

/** Where a dist-git path comes from in source-git. */
export type DistroPathTarget =
  /** Copied from this source-git path by `files_to_sync`; `strip` and `directory` say how. */
  | { readonly kind: 'mapped'; readonly path: string; readonly directory: string; readonly strip: number }
  /** Owned by dist-git (`sources`, `.git*`, protected or excluded by a filter): never synced back. */
  | { readonly kind: 'dist-git-only' }
  /** No `files_to_sync` entry produces it. */
  | { readonly kind: 'unmapped' };

/** The inverse of `files_to_sync`: for a dist-git path, the source-git path it is copied from. */
export interface DistroPathMap {
  resolve(distGitPath: string): DistroPathTarget;
}

interface DirectoryItem {
  readonly sourceDir: string;
  readonly destDir: string;
  readonly filter: RsyncFilter;
}

interface FileItem {
  readonly source: string;
  readonly dest: string;
}

/**
 * Builds the inverse of the configuration's `files_to_sync`: directory items (`src: .distro/`,
 * `dest: .`, with their filters — a path the filter excludes or protects stays in dist-git) and
 * plain file items. Globs in `src` cannot be inverted and are left out. Whatever the
 * configuration says, `sources` and `.git*` files belong to dist-git.
 */
export function createDistroPathMap(config: SourceGitConfig): DistroPathMap {
  const directories: DirectoryItem[] = [];
  const files: FileItem[] = [];
  for (const [position, item] of config.filesToSync.entries()) {
    const destDir = normalise(item.dest);
    for (const source of item.src) {
      if (/[*?[]/.test(source)) continue;
      if (source.endsWith('/')) {
        directories.push({
          sourceDir: normalise(source),
          destDir,
          filter: createRsyncFilter(item.filters, `${config.path}: files_to_sync[${position}]`),
        });
      } else if (item.dest.endsWith('/') || destDir === '') {
        files.push({ source: normalise(source), dest: join(destDir, posix.basename(source)) });
      } else {
        files.push({ source: normalise(source), dest: destDir });
      }
    }
  }
  return {
    resolve(distGitPath) {
      const segments = distGitPath.split('/');
      if (distGitPath === 'sources' || segments.some((segment) => segment.startsWith('.git'))) {
        return { kind: 'dist-git-only' };
      }
      for (const file of files) {
        if (file.dest === distGitPath) return { kind: 'mapped', path: file.source, directory: '', strip: 0 };
      }
      for (const item of directories) {
        const relative = item.destDir === '' ? distGitPath : stripPrefix(distGitPath, `${item.destDir}/`);
        if (relative === undefined) continue;
        if (isFiltered(item.filter, relative)) return { kind: 'dist-git-only' };
        return {
          kind: 'mapped',
          path: join(item.sourceDir, relative),
          directory: item.sourceDir,
          strip: 1 + (item.destDir === '' ? 0 : item.destDir.split('/').length),
        };
      }
      return { kind: 'unmapped' };
    },
  };
}

/** True when rsync would neither copy `relative` nor delete it (it, or a directory above it, matches). */
function isFiltered(filter: RsyncFilter, relative: string): boolean {
  const segments = relative.split('/');
  for (let depth = 1; depth <= segments.length; depth += 1) {
    const name = segments.slice(0, depth).join('/');
    const isDirectory = depth < segments.length;
    if (filter.isExcluded(name, isDirectory) || filter.isProtected(name, isDirectory)) return true;
  }
  return false;
}

function normalise(path: string): string {
  const normalised = posix.normalize(path).replace(/\/+$/, '');
  return normalised === '.' ? '' : normalised.replace(/^\.\//, '');
}

function join(directory: string, name: string): string {
  return directory === '' ? name : `${directory}/${name}`;
}

function stripPrefix(path: string, prefix: string): string | undefined {
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

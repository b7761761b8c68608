import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConverterError } from '../converter-error';
import { parseSourceGitConfig } from './parse-source-git-config';
import type { SourceGitConfig } from './source-git-config';

/**
 * Where the configuration is looked for, in this order (converter-spec §1.3; the fixed Q1
 * priority for the root files).
 */
export const SOURCE_GIT_CONFIG_PATHS: readonly string[] = [
  '.distro/source-git.yaml',
  '.packit.yaml',
  '.packit.yml',
  'packit.yaml',
  'packit.yml',
];

export interface LoadSourceGitConfigOptions {
  /** The source-git working tree. */
  readonly sourceGitDir: string;
  /**
   * A configuration file to read instead of the lookup (relative to {@link sourceGitDir}, or
   * absolute); e.g. the bot's `package_config_path_override`.
   */
  readonly configPath?: string;
  /** For a monorepo (`packages:`) configuration: the package to pick by `downstream_package_name`. */
  readonly packageName?: string;
}

/**
 * Reads and validates the source-git configuration of a working tree: `configPath` when given,
 * else the first existing file of {@link SOURCE_GIT_CONFIG_PATHS}.
 *
 * @throws ConverterError `CONFIG_MISSING` when no file exists (naming every path tried),
 *   `CONFIG_INVALID` when the file is not valid (see {@link parseSourceGitConfig}).
 * @example
 * ```ts
 * const config = await loadSourceGitConfig({ sourceGitDir: '/src/beer' });
 * config.downstreamPackageName; // 'beer'
 * ```
 */
export async function loadSourceGitConfig(options: LoadSourceGitConfigOptions): Promise<SourceGitConfig> {
  const root = resolve(options.sourceGitDir);
  const candidates = options.configPath === undefined ? SOURCE_GIT_CONFIG_PATHS : [options.configPath];
  for (const candidate of candidates) {
    const absolute = isAbsolute(candidate) ? candidate : join(root, candidate);
    const bytes = await readIfExists(absolute);
    if (bytes === undefined) continue;
    const displayPath = isAbsolute(candidate) ? displayName(root, absolute) : candidate;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new ConverterError('CONFIG_INVALID', `${displayPath}: the file is not valid UTF-8 text`, {
        cause,
        data: { path: absolute },
      });
    }
    return parseSourceGitConfig(text.replace(/^\uFEFF/, ''), absolute, {
      displayPath,
      ...(options.packageName === undefined ? {} : { packageName: options.packageName }),
    });
  }
  const tried = [...candidates];
  throw new ConverterError(
    'CONFIG_MISSING',
    options.configPath === undefined
      ? `no source-git configuration in ${root}: none of ${tried.join(', ')} exists (create .distro/source-git.yaml, e.g. with \`srcgit init\`)`
      : `no source-git configuration in ${root}: ${tried.join(', ')} does not exist`,
    { data: { sourceGitDir: root, tried } },
  );
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConverterError('CONFIG_INVALID', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
      data: { path },
    });
  }
}

function displayName(root: string, absolute: string): string {
  const inside = relative(root, absolute);
  return inside.startsWith('..') || isAbsolute(inside) ? absolute : inside;
}

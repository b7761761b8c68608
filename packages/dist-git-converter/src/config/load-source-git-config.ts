import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConverterError } from '../converter-error';
import { createGitRunner, type GitRunner } from '../git/git-runner';
import { readCommitTree, type CommitTree, type CommitTreeEntry } from '../git/read-commit-tree';
import { resolveObjects } from '../git/resolve-objects';
import { parseSourceGitConfig } from './parse-source-git-config';
import type { SourceGitConfig } from './source-git-config';

/**
 * Where the configuration is looked for, in this order (docs/converter-behaviour.md §1.3; the fixed Q1
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
  /** The source-git repository (its working tree's root). */
  readonly sourceGitDir: string;
  /**
   * A configuration file to read instead of the lookup (relative to {@link sourceGitDir}, or
   * absolute); e.g. the bot's `package_config_path_override`. From a commit, it must lie inside
   * the repository.
   */
  readonly configPath?: string;
  /** For a monorepo (`packages:`) configuration: the package to pick by `downstream_package_name`. */
  readonly packageName?: string;
  /**
   * Read the configuration from this commit's tree (a sha, or a name such as `HEAD`) with git,
   * instead of from the working tree: what a conversion of that commit uses. Default: the
   * working tree.
   */
  readonly commit?: string;
  /** The git CLI, for {@link commit}. Default {@link createGitRunner}(). */
  readonly git?: GitRunner;
  readonly signal?: AbortSignal;
}

/** A configuration and the file it was read from. */
export interface LoadedSourceGitConfig {
  readonly config: SourceGitConfig;
  /** The file, relative to the repository root (`/`-separated), or absolute when outside it. */
  readonly path: string;
  /** Its bytes. */
  readonly bytes: Uint8Array;
}

/**
 * Reads and validates the source-git configuration: `configPath` when given, else the first
 * existing file of {@link SOURCE_GIT_CONFIG_PATHS}; from the working tree, or from a commit's tree
 * with `commit`.
 *
 * A symbolic link is never followed: a configuration file that is a link, or whose directory is
 * one, is refused (`CONFIG_INVALID`) without reading or printing what it points to; so is
 * anything that is not a regular file. Validation errors quote the file only when it is a
 * regular file of the repository.
 *
 * @throws ConverterError `CONFIG_MISSING` when no file exists (naming every path tried),
 *   `CONFIG_INVALID` when the file is not valid (see {@link parseSourceGitConfig}) or not a
 *   regular file, `GIT_FAILED` when `commit` does not name a commit.
 * @example
 * ```ts
 * const config = await loadSourceGitConfig({ sourceGitDir: '/src/beer', commit: 'HEAD' });
 * config.downstreamPackageName; // 'beer'
 * ```
 */
export async function loadSourceGitConfig(options: LoadSourceGitConfigOptions): Promise<SourceGitConfig> {
  if (options.commit === undefined) return (await readWorkingTreeConfig(options)).config;
  const git = options.git ?? createGitRunner();
  const root = resolve(options.sourceGitDir);
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  const [commit] = await resolveObjects(git, root, [`${options.commit}^{commit}`], options.signal);
  if (commit === undefined) {
    throw new ConverterError('GIT_FAILED', `${root} has no commit "${options.commit}"`, {
      data: { sourceGitDir: root, commit: options.commit },
    });
  }
  const tree = await readCommitTree({
    git,
    dir: root,
    commit,
    paths: sourceGitConfigPaths(options),
    ...signalOption,
  });
  return (await readCommittedConfig(tree, options)).config;
}

/**
 * The files the configuration lookup looks at, relative to the repository root, in order.
 *
 * @throws ConverterError `CONFIG_INVALID` for a `configPath` outside the repository.
 */
export function sourceGitConfigPaths(
  options: Pick<LoadSourceGitConfigOptions, 'sourceGitDir' | 'configPath'>,
): string[] {
  if (options.configPath === undefined) return [...SOURCE_GIT_CONFIG_PATHS];
  const root = resolve(options.sourceGitDir);
  const inside = relative(root, resolve(root, options.configPath)).split('\\').join('/');
  if (inside === '' || inside === '..' || inside.startsWith('../') || isAbsolute(inside)) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `the configuration file ${options.configPath} is not inside the source-git repository ${root}; srcgit reads it from the commit`,
      { data: { configPath: options.configPath, sourceGitDir: root } },
    );
  }
  return [inside];
}

/**
 * Reads the configuration from the working tree. Nothing outside the repository is read through
 * it: a path with a symbolic link in it (inside the repository) and anything but a regular file are
 * refused before a byte is read.
 */
export async function readWorkingTreeConfig(
  options: LoadSourceGitConfigOptions,
): Promise<LoadedSourceGitConfig> {
  const root = resolve(options.sourceGitDir);
  const candidates = options.configPath === undefined ? SOURCE_GIT_CONFIG_PATHS : [options.configPath];
  for (const candidate of candidates) {
    const absolute = isAbsolute(candidate) ? candidate : join(root, candidate);
    const displayPath = isAbsolute(candidate) ? displayName(root, absolute) : candidate;
    const bytes = await readRegularFile(root, absolute, displayPath);
    if (bytes === undefined) continue;
    return { config: parseConfig(bytes, absolute, displayPath, options), path: displayPath, bytes };
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

/**
 * Reads the configuration from a commit's tree, listed (by {@link readCommitTree}) with at least
 * {@link sourceGitConfigPaths}.
 */
export async function readCommittedConfig(
  tree: CommitTree,
  options: Pick<LoadSourceGitConfigOptions, 'sourceGitDir' | 'configPath' | 'packageName'>,
): Promise<LoadedSourceGitConfig> {
  const file = findCommittedConfig(tree, options);
  const bytes = await tree.read(file);
  const absolute = join(resolve(options.sourceGitDir), file.path);
  return { config: parseConfig(bytes, absolute, file.path, options), path: file.path, bytes };
}

/**
 * The configuration file of a commit's tree (listed with at least {@link sourceGitConfigPaths}),
 * without reading it.
 *
 * @throws ConverterError `CONFIG_MISSING`, or `CONFIG_INVALID` for a link, a path through a link,
 *   a directory or a submodule.
 */
export function findCommittedConfig(
  tree: CommitTree,
  options: Pick<LoadSourceGitConfigOptions, 'sourceGitDir' | 'configPath'>,
): Extract<CommitTreeEntry, { kind: 'file' }> {
  const candidates = sourceGitConfigPaths(options);
  for (const path of candidates) {
    const obstacle = tree.obstacle(path);
    if (obstacle?.kind === 'file' && obstacle.mode === '120000') {
      throw notAFile(path, `goes through the symbolic link ${obstacle.path}`);
    }
    if (obstacle?.kind === 'submodule') throw notAFile(path, `lies in the git submodule ${obstacle.path}`);
    const entry = tree.entry(path);
    if (entry === undefined) continue;
    if (entry.kind === 'directory') throw notAFile(path, 'is a directory');
    if (entry.kind === 'submodule') throw notAFile(path, 'is a git submodule');
    if (entry.mode === '120000') throw notAFile(path, 'is a symbolic link');
    return entry;
  }
  const root = resolve(options.sourceGitDir);
  throw new ConverterError(
    'CONFIG_MISSING',
    options.configPath === undefined
      ? `no source-git configuration in commit ${tree.commit.slice(0, 12)} of ${root}: none of ${candidates.join(', ')} exists (create .distro/source-git.yaml, e.g. with \`srcgit init\`, and commit it)`
      : `no source-git configuration in commit ${tree.commit.slice(0, 12)} of ${root}: ${candidates.join(', ')} does not exist`,
    { data: { sourceGitDir: root, tried: candidates, commit: tree.commit } },
  );
}

function notAFile(path: string, what: string): ConverterError {
  return new ConverterError(
    'CONFIG_INVALID',
    `${path} ${what}; srcgit reads it from the commit and does not follow links (commit the configuration as a regular file)`,
    { data: { path } },
  );
}

function parseConfig(
  bytes: Uint8Array,
  absolute: string,
  displayPath: string,
  options: Pick<LoadSourceGitConfigOptions, 'packageName'>,
): SourceGitConfig {
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

/**
 * The bytes of a regular file; undefined when it does not exist. Components inside `root` must not
 * be symbolic links, and the file itself is opened without following one (`O_NOFOLLOW`) and
 * without blocking (a FIFO), so that no byte from outside the repository is ever read.
 */
async function readRegularFile(
  root: string,
  absolute: string,
  displayPath: string,
): Promise<Uint8Array | undefined> {
  const inside = relative(root, absolute);
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    const parts = inside.split(/[\\/]/);
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const path = join(root, ...parts.slice(0, depth));
      const stats = await lstat(path).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw cannotRead(displayPath, absolute, error);
      });
      if (stats === undefined) return undefined;
      if (stats.isSymbolicLink()) {
        throw notAFile(
          displayPath,
          depth === parts.length
            ? 'is a symbolic link'
            : `goes through the symbolic link ${parts.slice(0, depth).join('/')}`,
        );
      }
    }
  }
  let handle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isMissing(error)) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw notAFile(displayPath, 'is a symbolic link');
    throw cannotRead(displayPath, absolute, error);
  }
  try {
    if (!(await handle.stat()).isFile()) throw notAFile(displayPath, 'is not a regular file');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function cannotRead(displayPath: string, absolute: string, error: unknown): ConverterError {
  return new ConverterError(
    'CONFIG_INVALID',
    `cannot read ${displayPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    { cause: error, data: { path: absolute } },
  );
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function displayName(root: string, absolute: string): string {
  const inside = relative(root, absolute);
  return inside.startsWith('..') || isAbsolute(inside) ? absolute : inside;
}

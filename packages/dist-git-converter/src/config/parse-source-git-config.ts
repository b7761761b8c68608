import { ConverterError } from '../converter-error';
import type { ActionCommand, FileSyncItem, SourceGitActionName, SourceGitConfig } from './source-git-config';
import { unsafePathReason } from '../sync/unsafe-path-reason';
import { parseYamlTree, type YamlTreeNode } from './yaml-tree';

export interface ParseSourceGitConfigOptions {
  /**
   * The file name shown in error messages, e.g. `.distro/source-git.yaml`. Default: `path`.
   */
  readonly displayPath?: string;
  /**
   * For a monorepo configuration (`packages:`): the package to pick, matched against each
   * package's `downstream_package_name` (which defaults to its key). Not needed when the
   * configuration describes exactly one package.
   */
  readonly packageName?: string;
}

/** packit's default `prerelease_suffix_pattern`. */
export const DEFAULT_PRERELEASE_SUFFIX_PATTERN = '([.\\-_~^]?)(alpha|beta|rc|pre(view)?)([.\\-_]?\\d+)?';

const ACTION_NAMES: readonly SourceGitActionName[] = [
  'post-upstream-clone',
  'pre-sync',
  'create-patches',
  'prepare-files',
  'create-archive',
  'get-current-version',
  'fix-spec-file',
  'changelog-entry',
  'commit-message',
  'post-modifications',
];

/** Keys that change what srcgit does; each is validated. */
const CONVERSION_KEYS = [
  'upstream_project_url',
  'upstream_ref',
  'downstream_package_name',
  'specfile_path',
  'patch_generation_ignore_paths',
  'patch_generation_patch_id_digits',
  'sync_changelog',
  'files_to_sync',
  'sources',
  'patch_comments',
  'create_sync_note',
  'upload_sources',
  'pkg_tool',
  'spec_source_id',
  'actions',
  'copy_upstream_release_description',
  'upstream_tag_template',
  'prerelease_suffix_pattern',
  'prerelease_suffix_macro',
  'parse_time_macros',
  'paths',
] as const;

/**
 * packit configuration keys that do not affect conversions (jobs, Copr, Testing Farm, Bodhi, …).
 * They are accepted so a shared packit configuration loads, and otherwise ignored.
 */
const IGNORED_PACKIT_KEYS = [
  'jobs',
  'config_file_path',
  'upstream_package_name',
  'archive_root_dir_template',
  'dist_git_base_url',
  'dist_git_namespace',
  'allowed_gpg_keys',
  'create_pr',
  'notifications',
  'merge_pr_in_ci',
  'srpm_build_deps',
  'identifier',
  'packit_instances',
  'issue_repository',
  'release_suffix',
  'update_release',
  'upstream_tag_include',
  'upstream_tag_exclude',
  'version_update_mask',
  'targets',
  'timeout',
  'owner',
  'project',
  'dist_git_branches',
  'branch',
  'scratch',
  'list_on_homepage',
  'preserve_project',
  'use_internal_tf',
  'additional_packages',
  'additional_repos',
  'fmf_url',
  'fmf_ref',
  'fmf_path',
  'env',
  'enable_net',
  'allowed_pr_authors',
  'allowed_committers',
  'tmt_plan',
  'tf_post_install_script',
  'tf_extra_params',
  'module_hotfixes',
  'image_distribution',
  'image_request',
  'image_customizations',
  'copr_chroot',
  'follow_fedora_branching',
  'status_name_template',
  'sync_test_job_statuses_with_builds',
  'test_command',
  'require',
] as const;

const TOP_LEVEL_ONLY_KEYS = ['packages', '_'] as const;

const KNOWN_KEYS: ReadonlySet<string> = new Set<string>([...CONVERSION_KEYS, ...IGNORED_PACKIT_KEYS]);

const FILE_SYNC_KEYS = ['src', 'dest', 'delete', 'mkpath', 'filters'] as const;
const SOURCE_KEYS = ['path', 'url'] as const;

/**
 * Parses and validates the text of a source-git configuration (`.distro/source-git.yaml`, or a
 * root `.packit.yaml`) into a {@link SourceGitConfig} with every default applied
 * (docs/converter-behaviour.md §1.3–1.4). Pure: no file access.
 *
 * Values follow the fixed profile (Q9): names are kept as written (`upstream_ref: 1.0` is the
 * string `1.0`), numbers are decimal integers, booleans are `true`/`false` in any case. A
 * top-level `_` key is dropped; unknown keys are an error; `packages:` configurations are
 * resolved to one package, which inherits the top-level keys.
 *
 * @param text - the YAML text.
 * @param path - where it was read from; stored in {@link SourceGitConfig.path}.
 * @throws ConverterError `CONFIG_INVALID` naming the file, the key (a dotted path such as
 *   `files_to_sync[1].dest`), what was expected and what was found; YAML syntax errors name the
 *   line and column.
 * @example
 * ```ts
 * const config = parseSourceGitConfig(
 *   'downstream_package_name: beer\nupstream_ref: 0.1.0\nspecfile_path: .distro/beer.spec\n',
 *   '/src/beer/.distro/source-git.yaml',
 * );
 * config.upstreamRef; // '0.1.0'
 * ```
 */
export function parseSourceGitConfig(
  text: string,
  path: string,
  options: ParseSourceGitConfigOptions = {},
): SourceGitConfig {
  const file = options.displayPath ?? path;
  const parsed = parseYamlTree(text);
  if (!parsed.ok) {
    const { line, column } = parsed.problem.position;
    throw new ConverterError(
      'CONFIG_INVALID',
      `${file}:${line}:${column}: invalid YAML: ${parsed.problem.message}`,
      { data: { path, line, column } },
    );
  }
  const reader = new ConfigReader(file, path);
  const root = parsed.root;
  if (root.kind === 'null') return reader.package(new Map(), '');
  if (root.kind !== 'map') {
    throw reader.invalid('', root, 'a mapping of configuration keys', describe(root));
  }

  const topLevel = new Map<string, YamlTreeNode>();
  let packagesNode: YamlTreeNode | undefined;
  for (const [key, value] of root.entries) {
    if (key === '_') continue; // YAML anchor scratch space
    if (key === 'packages') {
      packagesNode = value;
      continue;
    }
    reader.checkKnownKey(key, '', value);
    topLevel.set(key, value);
  }
  if (packagesNode === undefined || packagesNode.kind === 'null') {
    return reader.package(topLevel, '');
  }
  if (packagesNode.kind !== 'map') {
    throw reader.invalid(
      'packages',
      packagesNode,
      'a mapping of package names to package configurations',
      describe(packagesNode),
    );
  }

  const candidates: { key: string; config: Map<string, YamlTreeNode> }[] = [];
  for (const [packageKey, packageNode] of packagesNode.entries) {
    const keyPath = `packages.${packageKey}`;
    const merged = new Map(topLevel);
    if (packageNode.kind === 'map') {
      for (const [key, value] of packageNode.entries) {
        if ((TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) {
          const { line, column } = value.position;
          throw new ConverterError(
            'CONFIG_INVALID',
            `${file}: unknown key "${keyPath}.${key}" (${key} is only allowed at the top level)`,
            { data: { path, key: `${keyPath}.${key}`, line, column } },
          );
        }
        reader.checkKnownKey(key, `${keyPath}.`, value);
        merged.set(key, value);
      }
    } else if (packageNode.kind !== 'null') {
      throw reader.invalid(keyPath, packageNode, 'a mapping of configuration keys', describe(packageNode));
    }
    // packit: a package's downstream_package_name defaults to its key, not to the top level's.
    const ownName =
      packageNode.kind === 'map'
        ? packageNode.entries.find(([key]) => key === 'downstream_package_name')?.[1]
        : undefined;
    merged.set(
      'downstream_package_name',
      ownName ?? { kind: 'scalar', text: packageKey, quoted: true, position: packageNode.position },
    );
    candidates.push({ key: packageKey, config: merged });
  }
  if (candidates.length === 0) {
    throw reader.invalid('packages', packagesNode, 'a mapping with at least one package', 'an empty mapping');
  }

  const configs = candidates.map(({ key, config }) => reader.package(config, `packages.${key}.`));
  if (configs.length === 1) return configs[0] as SourceGitConfig;
  const names = configs.map((config) => config.downstreamPackageName);
  if (options.packageName === undefined) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${file}: packages defines ${configs.length} packages (${names.join(', ')}); say which one to convert (packageName)`,
      { data: { path, packages: names } },
    );
  }
  const chosen = configs.find((config) => config.downstreamPackageName === options.packageName);
  if (chosen === undefined) {
    throw new ConverterError(
      'CONFIG_INVALID',
      `${file}: packages has no package with downstream_package_name "${options.packageName}", found ${names.map((name) => `"${name}"`).join(', ')}`,
      { data: { path, packages: names, packageName: options.packageName } },
    );
  }
  return chosen;
}

/** Validation of one package's keys, with error messages that name the file and key path. */
class ConfigReader {
  constructor(
    private readonly file: string,
    private readonly path: string,
  ) {}

  /**
   * An optional path of a file in the repository (`specfile_path`): relative, inside the
   * repository, never through git's own directory — a hostile configuration must not name
   * `../x`, `/etc/passwd` or `.git/config`.
   */
  repositoryPath(keyPath: string, node: YamlTreeNode | undefined): string | undefined {
    if (node === undefined) return undefined;
    const path = this.string(keyPath, node);
    const reason = unsafePathReason(path, { allowDotComponents: true });
    if (reason === undefined) return path;
    throw this.invalid(keyPath, node, `a path inside the repository (${reason})`, JSON.stringify(path));
  }

  invalid(keyPath: string, node: YamlTreeNode, expected: string, found: string | undefined): ConverterError {
    const { line, column } = node.position;
    const subject = keyPath === '' ? 'the top level ' : `${keyPath} `;
    const message =
      found === undefined
        ? `${this.file}: ${subject}${expected}`
        : `${this.file}: ${subject}must be ${expected}, found ${found}`;
    return new ConverterError('CONFIG_INVALID', message, {
      data: { path: this.path, key: keyPath, line, column },
    });
  }

  checkKnownKey(key: string, prefix: string, node: YamlTreeNode): void {
    if (KNOWN_KEYS.has(key)) return;
    const suggestion = closestName(key, [...KNOWN_KEYS, 'packages']);
    const hint =
      key === 'synced_files'
        ? ' (packit renamed it to files_to_sync)'
        : suggestion === undefined
          ? ''
          : ` (did you mean "${suggestion}"?)`;
    const { line, column } = node.position;
    throw new ConverterError('CONFIG_INVALID', `${this.file}: unknown key "${prefix}${key}"${hint}`, {
      data: { path: this.path, key: `${prefix}${key}`, line, column },
    });
  }

  package(values: ReadonlyMap<string, YamlTreeNode>, prefix: string): SourceGitConfig {
    const at = (key: string): YamlTreeNode | undefined => {
      const node = values.get(key);
      return node === undefined || node.kind === 'null' ? undefined : node;
    };
    const keyPath = (key: string): string => `${prefix}${key}`;

    const nameNode = at('downstream_package_name');
    if (nameNode === undefined) {
      throw new ConverterError(
        'CONFIG_INVALID',
        `${this.file}: ${keyPath('downstream_package_name')} is required (the dist-git package name, e.g. "beer"), found nothing`,
        { data: { path: this.path, key: keyPath('downstream_package_name') } },
      );
    }
    const downstreamPackageName = this.nonEmptyString(keyPath('downstream_package_name'), nameNode);
    if (downstreamPackageName.includes('/') || downstreamPackageName.includes('\0')) {
      throw this.invalid(
        keyPath('downstream_package_name'),
        nameNode,
        'a package name without "/"',
        JSON.stringify(downstreamPackageName),
      );
    }

    const optionalString = (key: string): string | undefined => {
      const node = at(key);
      return node === undefined ? undefined : this.string(keyPath(key), node);
    };
    const boolean = (key: string, fallback: boolean): boolean => {
      const node = at(key);
      return node === undefined ? fallback : this.boolean(keyPath(key), node);
    };

    const upstreamRef = optionalString('upstream_ref');
    const specfilePath =
      this.repositoryPath(keyPath('specfile_path'), at('specfile_path')) ?? `${downstreamPackageName}.spec`;
    const digitsNode = at('patch_generation_patch_id_digits');
    const patchComments = this.patchComments(keyPath('patch_comments'), at('patch_comments'));
    const filesToSyncNode = at('files_to_sync');
    const filesToSync =
      filesToSyncNode === undefined
        ? []
        : this.list(keyPath('files_to_sync'), filesToSyncNode, (itemPath, item) =>
            this.fileSyncItem(itemPath, item),
          );
    const sourcesNode = at('sources');
    const specSourceIdNode = at('spec_source_id');
    const pathsNode = at('paths');

    return {
      path: this.path,
      upstreamProjectUrl: optionalString('upstream_project_url'),
      upstreamRef: upstreamRef === '' ? undefined : upstreamRef,
      downstreamPackageName,
      specfilePath,
      patchGenerationIgnorePaths: this.stringList(
        keyPath('patch_generation_ignore_paths'),
        at('patch_generation_ignore_paths'),
      ),
      patchGenerationPatchIdDigits:
        digitsNode === undefined ? 4 : this.integer(keyPath('patch_generation_patch_id_digits'), digitsNode),
      syncChangelog: boolean('sync_changelog', false),
      filesToSync:
        filesToSync.length > 0
          ? filesToSync
          : [
              {
                src: [specfilePath],
                dest: `${downstreamPackageName}.spec`,
                delete: false,
                mkpath: false,
                filters: [],
              },
            ],
      sources:
        sourcesNode === undefined
          ? []
          : this.list(keyPath('sources'), sourcesNode, (itemPath, item) => this.source(itemPath, item)),
      patchComments,
      createSyncNote: boolean('create_sync_note', true),
      uploadSources: boolean('upload_sources', true),
      pkgTool: optionalString('pkg_tool'),
      specSourceId:
        specSourceIdNode === undefined
          ? 'Source0'
          : this.specSourceId(keyPath('spec_source_id'), specSourceIdNode),
      actions: this.actions(keyPath('actions'), at('actions')),
      copyUpstreamReleaseDescription: boolean('copy_upstream_release_description', false),
      upstreamTagTemplate: optionalString('upstream_tag_template') ?? '{version}',
      prereleaseSuffixPattern:
        optionalString('prerelease_suffix_pattern') ?? DEFAULT_PRERELEASE_SUFFIX_PATTERN,
      prereleaseSuffixMacro: optionalString('prerelease_suffix_macro'),
      parseTimeMacros: this.stringMap(keyPath('parse_time_macros'), at('parse_time_macros')),
      paths: pathsNode === undefined ? ['./'] : this.stringList(keyPath('paths'), pathsNode),
    };
  }

  private string(keyPath: string, node: YamlTreeNode): string {
    if (node.kind === 'scalar') return node.text;
    throw this.invalid(keyPath, node, 'a string', describe(node));
  }

  private nonEmptyString(keyPath: string, node: YamlTreeNode): string {
    const value = this.string(keyPath, node);
    if (value.trim() === '') throw this.invalid(keyPath, node, 'a non-empty string', JSON.stringify(value));
    return value;
  }

  private boolean(keyPath: string, node: YamlTreeNode): boolean {
    if (node.kind === 'scalar') {
      const lower = node.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
    }
    throw this.invalid(keyPath, node, 'a boolean (true or false)', describe(node));
  }

  private integer(keyPath: string, node: YamlTreeNode): number {
    if (node.kind === 'scalar' && !node.quoted && /^[0-9]{1,9}$/.test(node.text)) {
      return Number.parseInt(node.text, 10);
    }
    throw this.invalid(keyPath, node, 'a whole number (0 or more, decimal)', describe(node));
  }

  private list<T>(
    keyPath: string,
    node: YamlTreeNode,
    item: (itemPath: string, node: YamlTreeNode) => T,
  ): T[] {
    if (node.kind !== 'seq') throw this.invalid(keyPath, node, 'a list', describe(node));
    return node.items.map((child, index) => item(`${keyPath}[${index}]`, child));
  }

  private stringList(keyPath: string, node: YamlTreeNode | undefined): string[] {
    if (node === undefined) return [];
    return this.list(keyPath, node, (itemPath, item) => this.string(itemPath, item));
  }

  /** A string or a list of strings (packit's `StringOrListOfStringsField`). */
  private stringOrList(keyPath: string, node: YamlTreeNode): string[] {
    if (node.kind === 'scalar') return [node.text];
    if (node.kind === 'seq')
      return node.items.map((item, index) => this.string(`${keyPath}[${index}]`, item));
    throw this.invalid(keyPath, node, 'a string or a list of strings', describe(node));
  }

  private stringMap(keyPath: string, node: YamlTreeNode | undefined): Record<string, string> {
    if (node === undefined) return {};
    if (node.kind !== 'map')
      throw this.invalid(keyPath, node, 'a mapping of names to strings', describe(node));
    const result: Record<string, string> = {};
    for (const [key, value] of node.entries) result[key] = this.string(`${keyPath}.${key}`, value);
    return result;
  }

  private mapEntries(
    keyPath: string,
    node: YamlTreeNode,
    allowed: readonly string[],
    expected: string,
  ): Map<string, YamlTreeNode> {
    if (node.kind !== 'map') throw this.invalid(keyPath, node, expected, describe(node));
    const entries = new Map<string, YamlTreeNode>();
    for (const [key, value] of node.entries) {
      if (!allowed.includes(key)) {
        const { line, column } = value.position;
        const suggestion = closestName(key, allowed);
        throw new ConverterError(
          'CONFIG_INVALID',
          `${this.file}: unknown key "${keyPath}.${key}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; expected ${allowed.join(', ')}`,
          { data: { path: this.path, key: `${keyPath}.${key}`, line, column } },
        );
      }
      entries.set(key, value);
    }
    return entries;
  }

  private required(
    keyPath: string,
    entries: Map<string, YamlTreeNode>,
    key: string,
    parent: YamlTreeNode,
  ): YamlTreeNode {
    const node = entries.get(key);
    if (node === undefined || node.kind === 'null') {
      throw new ConverterError(
        'CONFIG_INVALID',
        `${this.file}: ${keyPath}.${key} is required, found nothing`,
        {
          data: {
            path: this.path,
            key: `${keyPath}.${key}`,
            line: parent.position.line,
            column: parent.position.column,
          },
        },
      );
    }
    return node;
  }

  private fileSyncItem(keyPath: string, node: YamlTreeNode): FileSyncItem {
    if (node.kind === 'scalar') {
      if (node.text === '') throw this.invalid(keyPath, node, 'a non-empty path', '""');
      return { src: [node.text], dest: node.text, delete: false, mkpath: false, filters: [] };
    }
    if (node.kind !== 'map') {
      throw this.invalid(keyPath, node, 'a path or a mapping with src and dest', describe(node));
    }
    const entries = this.mapEntries(keyPath, node, FILE_SYNC_KEYS, 'a path or a mapping with src and dest');
    const src = this.stringOrList(`${keyPath}.src`, this.required(keyPath, entries, 'src', node));
    if (src.length === 0) {
      throw this.invalid(`${keyPath}.src`, node, 'a path or a non-empty list of paths', 'an empty list');
    }
    const dest = this.string(`${keyPath}.dest`, this.required(keyPath, entries, 'dest', node));
    const flag = (key: 'delete' | 'mkpath'): boolean => {
      const value = entries.get(key);
      return value === undefined || value.kind === 'null' ? false : this.boolean(`${keyPath}.${key}`, value);
    };
    const filtersNode = entries.get('filters');
    return {
      src,
      dest,
      delete: flag('delete'),
      mkpath: flag('mkpath'),
      filters:
        filtersNode === undefined || filtersNode.kind === 'null'
          ? []
          : this.stringList(`${keyPath}.filters`, filtersNode),
    };
  }

  private source(keyPath: string, node: YamlTreeNode): { path: string; url: string } {
    const entries = this.mapEntries(keyPath, node, SOURCE_KEYS, 'a mapping with path and url');
    return {
      path: this.nonEmptyString(`${keyPath}.path`, this.required(keyPath, entries, 'path', node)),
      url: this.nonEmptyString(`${keyPath}.url`, this.required(keyPath, entries, 'url', node)),
    };
  }

  private specSourceId(keyPath: string, node: YamlTreeNode): string {
    if (node.kind === 'scalar' && node.text !== '') {
      return /^[0-9]+$/.test(node.text) ? `Source${Number.parseInt(node.text, 10)}` : node.text;
    }
    throw this.invalid(keyPath, node, 'a source tag name (e.g. Source0) or number', describe(node));
  }

  private patchComments(keyPath: string, node: YamlTreeNode | undefined): 'subject' | 'none' {
    if (node === undefined) return 'subject';
    if (node.kind === 'scalar' && (node.text === 'subject' || node.text === 'none')) return node.text;
    throw this.invalid(keyPath, node, '"subject" or "none"', describe(node));
  }

  private actions(
    keyPath: string,
    node: YamlTreeNode | undefined,
  ): Partial<Record<SourceGitActionName, readonly ActionCommand[]>> {
    if (node === undefined) return {};
    if (node.kind !== 'map')
      throw this.invalid(keyPath, node, 'a mapping of action names to commands', describe(node));
    const result: Partial<Record<SourceGitActionName, readonly ActionCommand[]>> = {};
    for (const [name, value] of node.entries) {
      const action = ACTION_NAMES.find((candidate) => candidate === name);
      if (action === undefined) {
        const suggestion = closestName(name, ACTION_NAMES);
        const { line, column } = value.position;
        throw new ConverterError(
          'CONFIG_INVALID',
          `${this.file}: unknown action "${keyPath}.${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; expected one of ${ACTION_NAMES.join(', ')}`,
          { data: { path: this.path, key: `${keyPath}.${name}`, line, column } },
        );
      }
      const commandPath = `${keyPath}.${name}`;
      if (value.kind === 'null') {
        result[action] = [];
      } else if (value.kind === 'scalar') {
        result[action] = [value.text];
      } else if (value.kind === 'seq') {
        result[action] = value.items.map((item, index): ActionCommand => {
          const itemPath = `${commandPath}[${index}]`;
          if (item.kind === 'scalar') return item.text;
          if (item.kind === 'seq')
            return item.items.map((arg, argIndex) => this.string(`${itemPath}[${argIndex}]`, arg));
          throw this.invalid(itemPath, item, 'a command (a string or a list of arguments)', describe(item));
        });
      } else {
        throw this.invalid(commandPath, value, 'a command or a list of commands', describe(value));
      }
    }
    return result;
  }
}

/** How a found value is shown in an error message. */
function describe(node: YamlTreeNode): string {
  switch (node.kind) {
    case 'null':
      return 'nothing (null)';
    case 'scalar':
      return JSON.stringify(node.text);
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
  }
}

/** The candidate closest to a mistyped name (a typo or two away), if any. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(name.length / 3));
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

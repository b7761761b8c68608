import { describe, expect, it } from 'vitest';
import { isConverterError } from '../converter-error';
import { DEFAULT_PRERELEASE_SUFFIX_PATTERN, parseSourceGitConfig } from './parse-source-git-config';

const FILE = '.distro/source-git.yaml';
const parse = (text: string, packageName?: string) =>
  parseSourceGitConfig(text, `/src/beer/${FILE}`, {
    displayPath: FILE,
    ...(packageName === undefined ? {} : { packageName }),
  });

/** The configuration `source-git init` writes (docs/converter-behaviour.md §1.4). */
const INIT_CONFIG = `upstream_project_url: https://example.com/hello.git
upstream_ref: 1.0.1
downstream_package_name: hello
specfile_path: .distro/hello.spec
patch_generation_ignore_paths:
- .distro
patch_generation_patch_id_digits: 4
sync_changelog: true
files_to_sync:
- src: .distro/
  dest: .
  delete: true
  filters:
  - protect .git*
  - protect sources
  - exclude source-git.yaml
  - exclude .gitignore
sources:
- path: hello-1.0.1.tar.gz
  url: https://src.fedoraproject.org/repo/pkgs/rpms/hello/hello-1.0.1.tar.gz/sha512/abc/hello-1.0.1.tar.gz
`;

describe('parseSourceGitConfig', () => {
  it('reads the configuration source-git init writes', () => {
    expect(parse(INIT_CONFIG)).toEqual({
      path: `/src/beer/${FILE}`,
      upstreamProjectUrl: 'https://example.com/hello.git',
      upstreamRef: '1.0.1',
      downstreamPackageName: 'hello',
      specfilePath: '.distro/hello.spec',
      patchGenerationIgnorePaths: ['.distro'],
      patchGenerationPatchIdDigits: 4,
      syncChangelog: true,
      filesToSync: [
        {
          src: ['.distro/'],
          dest: '.',
          delete: true,
          mkpath: false,
          filters: ['protect .git*', 'protect sources', 'exclude source-git.yaml', 'exclude .gitignore'],
        },
      ],
      sources: [
        {
          path: 'hello-1.0.1.tar.gz',
          url: 'https://src.fedoraproject.org/repo/pkgs/rpms/hello/hello-1.0.1.tar.gz/sha512/abc/hello-1.0.1.tar.gz',
        },
      ],
      patchComments: 'subject',
      createSyncNote: true,
      uploadSources: true,
      pkgTool: undefined,
      specSourceId: 'Source0',
      actions: {},
      copyUpstreamReleaseDescription: false,
      upstreamTagTemplate: '{version}',
      prereleaseSuffixPattern: DEFAULT_PRERELEASE_SUFFIX_PATTERN,
      prereleaseSuffixMacro: undefined,
      parseTimeMacros: {},
      paths: ['./'],
    });
  });

  it('applies every default of §1.4', () => {
    const config = parse('downstream_package_name: beer\n');
    expect(config).toMatchObject({
      upstreamProjectUrl: undefined,
      upstreamRef: undefined,
      specfilePath: 'beer.spec',
      patchGenerationIgnorePaths: [],
      patchGenerationPatchIdDigits: 4,
      syncChangelog: false,
      filesToSync: [{ src: ['beer.spec'], dest: 'beer.spec', delete: false, mkpath: false, filters: [] }],
      sources: [],
      patchComments: 'subject',
      createSyncNote: true,
      uploadSources: true,
      specSourceId: 'Source0',
      copyUpstreamReleaseDescription: false,
      upstreamTagTemplate: '{version}',
      paths: ['./'],
    });
    // the default spec item follows specfile_path
    expect(parse('downstream_package_name: beer\nspecfile_path: .distro/beer.spec\n').filesToSync).toEqual([
      { src: ['.distro/beer.spec'], dest: 'beer.spec', delete: false, mkpath: false, filters: [] },
    ]);
  });

  it('reads every other key', () => {
    const config = parse(`downstream_package_name: beer
patch_comments: none
create_sync_note: FALSE
upload_sources: False
pkg_tool: centpkg
spec_source_id: 1
actions:
  create-patches: ./make-patches.sh
  post-modifications:
  - echo one
  - [bash, -c, "echo two"]
copy_upstream_release_description: true
upstream_tag_template: v{version}
prerelease_suffix_pattern: rc\\d+
prerelease_suffix_macro: prerel
parse_time_macros:
  fedora: "40"
paths:
- beer/
files_to_sync:
- README
- src: [a, b/]
  dest: dir/
  mkpath: true
`);
    expect(config).toMatchObject({
      patchComments: 'none',
      createSyncNote: false,
      uploadSources: false,
      pkgTool: 'centpkg',
      specSourceId: 'Source1',
      actions: {
        'create-patches': ['./make-patches.sh'],
        'post-modifications': ['echo one', ['bash', '-c', 'echo two']],
      },
      copyUpstreamReleaseDescription: true,
      upstreamTagTemplate: 'v{version}',
      prereleaseSuffixPattern: 'rc\\d+',
      prereleaseSuffixMacro: 'prerel',
      parseTimeMacros: { fedora: '40' },
      paths: ['beer/'],
      filesToSync: [
        { src: ['README'], dest: 'README', delete: false, mkpath: false, filters: [] },
        { src: ['a', 'b/'], dest: 'dir/', delete: false, mkpath: true, filters: [] },
      ],
    });
    expect(parse('downstream_package_name: beer\nspec_source_id: Source7\n').specSourceId).toBe('Source7');
  });

  it('keeps names as written and reads numbers as decimal (Q9)', () => {
    const config = parse(
      'downstream_package_name: 007\nupstream_ref: 1.0\npatch_generation_patch_id_digits: 010\n',
    );
    expect(config.downstreamPackageName).toBe('007');
    expect(config.upstreamRef).toBe('1.0');
    expect(config.patchGenerationPatchIdDigits).toBe(10);
    expect(parse("downstream_package_name: beer\nupstream_ref: '1.10'\n").upstreamRef).toBe('1.10');
  });

  it('treats an empty or null upstream_ref as absent (no patches)', () => {
    expect(parse('downstream_package_name: beer\nupstream_ref:\n').upstreamRef).toBeUndefined();
    expect(parse('downstream_package_name: beer\nupstream_ref: ~\n').upstreamRef).toBeUndefined();
    expect(parse("downstream_package_name: beer\nupstream_ref: ''\n").upstreamRef).toBeUndefined();
  });

  it('drops the _ key and resolves anchors, aliases and merge keys', () => {
    const config = parse(`_:
  sync: &sync
    src: .distro/
    dest: .
  ignore: &ignore [.distro, .gitignore]
downstream_package_name: beer
patch_generation_ignore_paths: *ignore
files_to_sync:
- <<: *sync
  delete: true
`);
    expect(config.patchGenerationIgnorePaths).toEqual(['.distro', '.gitignore']);
    expect(config.filesToSync).toEqual([
      { src: ['.distro/'], dest: '.', delete: true, mkpath: false, filters: [] },
    ]);
  });

  it('accepts packit keys that do not affect conversions', () => {
    const config = parse(`downstream_package_name: beer
jobs:
- job: copr_build
  trigger: pull_request
notifications:
  pull_request:
    successful_build: false
srpm_build_deps: [make]
`);
    expect(config.downstreamPackageName).toBe('beer');
  });

  it('resolves packages: configurations, packages inheriting the top level', () => {
    const text = `upstream_ref: v1
sync_changelog: true
downstream_package_name: top
packages:
  ale:
    specfile_path: ale/ale.spec
    paths: [ale]
  lager:
    downstream_package_name: lager-beer
    sync_changelog: false
`;
    const ale = parse(text, 'ale');
    expect([
      ale.downstreamPackageName,
      ale.upstreamRef,
      ale.syncChangelog,
      ale.specfilePath,
      ale.paths,
    ]).toEqual(['ale', 'v1', true, 'ale/ale.spec', ['ale']]);
    const lager = parse(text, 'lager-beer');
    expect([lager.downstreamPackageName, lager.upstreamRef, lager.syncChangelog]).toEqual([
      'lager-beer',
      'v1',
      false,
    ]);
    // a single package is used whatever the name asked for
    expect(parse('packages:\n  only:\n    upstream_ref: x\n', 'other').downstreamPackageName).toBe('only');
  });

  describe('errors', () => {
    const error = (text: string, packageName?: string) => () => parse(text, packageName);

    it('have the CONFIG_INVALID code and name the key, line and column in data', () => {
      let caught: unknown;
      try {
        parse(
          'downstream_package_name: beer\nfiles_to_sync:\n- a\n- src: b\n  dest: c\n  delete: yes please\n',
        );
      } catch (thrown) {
        caught = thrown;
      }
      expect(isConverterError(caught) && caught.code).toBe('CONFIG_INVALID');
      expect(isConverterError(caught) && caught.data).toEqual({
        path: `/src/beer/${FILE}`,
        key: 'files_to_sync[1].delete',
        line: 6,
        column: 11,
      });
    });

    it.each([
      ['../beer.spec'],
      ['/etc/passwd'],
      ['.git/config'],
      ['.distro/../../x.spec'],
      ['.GIT./hooks/x'],
    ])(
      "refuse a specfile_path outside the repository or in git's directory (%s), naming the file and key",
      (path) => {
        expect(error(`downstream_package_name: beer\nspecfile_path: ${JSON.stringify(path)}\n`)).toThrow(
          new RegExp(
            `^\\.distro/source-git\\.yaml: specfile_path must be a path inside the repository \\(.+\\), found ${JSON.stringify(path).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
          ),
        );
      },
    );

    it('accept a specfile_path with "./" components', () => {
      expect(parse('downstream_package_name: beer\nspecfile_path: ./.distro/beer.spec\n').specfilePath).toBe(
        './.distro/beer.spec',
      );
    });

    it('name the file, the key, what was expected and what was found', () => {
      expect(
        error(
          'downstream_package_name: beer\nfiles_to_sync:\n- a\n- src: b\n  dest: c\n  delete: yes please\n',
        ),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync[1].delete must be a boolean (true or false), found "yes please"]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync:\n- src: a\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync[0].dest is required, found nothing]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync:\n- src: a\n  dest: [x]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync[0].dest must be a string, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync:\n- 3: a\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "files_to_sync[0].3"; expected src, dest, delete, mkpath, filters]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync: .distro/\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync must be a list, found ".distro/"]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync:\n- [a]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync[0] must be a path or a mapping with src and dest, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync:\n- src: a\n  dest: b\n  filters: x\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync[0].filters must be a list, found "x"]`,
      );
      expect(
        error('downstream_package_name: beer\nfiles_to_sync:\n- src: []\n  dest: b\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: files_to_sync[0].src must be a path or a non-empty list of paths, found an empty list]`,
      );
    });

    it('for scalar keys', () => {
      expect(error('upstream_ref: 1.0\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: downstream_package_name is required (the dist-git package name, e.g. "beer"), found nothing]`,
      );
      expect(error('downstream_package_name: ""\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: downstream_package_name must be a non-empty string, found ""]`,
      );
      expect(error('downstream_package_name: a/b\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: downstream_package_name must be a package name without "/", found "a/b"]`,
      );
      expect(error('downstream_package_name: [beer]\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: downstream_package_name must be a string, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\nupstream_ref:\n  tag: x\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: upstream_ref must be a string, found a mapping]`,
      );
      expect(
        error('downstream_package_name: beer\nsync_changelog: yes\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: sync_changelog must be a boolean (true or false), found "yes"]`,
      );
      expect(
        error('downstream_package_name: beer\ncreate_sync_note: 1\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: create_sync_note must be a boolean (true or false), found "1"]`,
      );
      expect(
        error('downstream_package_name: beer\npatch_generation_patch_id_digits: -1\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: patch_generation_patch_id_digits must be a whole number (0 or more, decimal), found "-1"]`,
      );
      expect(
        error('downstream_package_name: beer\npatch_generation_patch_id_digits: "4"\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: patch_generation_patch_id_digits must be a whole number (0 or more, decimal), found "4"]`,
      );
      expect(
        error('downstream_package_name: beer\npatch_generation_ignore_paths: .distro\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: patch_generation_ignore_paths must be a list, found ".distro"]`,
      );
      expect(
        error('downstream_package_name: beer\npatch_generation_ignore_paths: [a, [b]]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: patch_generation_ignore_paths[1] must be a string, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\npatch_comments: message\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: patch_comments must be "subject" or "none", found "message"]`,
      );
      expect(
        error('downstream_package_name: beer\nspec_source_id: [1]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: spec_source_id must be a source tag name (e.g. Source0) or number, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\nparse_time_macros: [a]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: parse_time_macros must be a mapping of names to strings, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\nparse_time_macros:\n  a: [b]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: parse_time_macros.a must be a string, found a list]`,
      );
    });

    it('for sources and actions', () => {
      expect(
        error('downstream_package_name: beer\nsources:\n- path: a.tar.gz\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: sources[0].url is required, found nothing]`,
      );
      expect(
        error('downstream_package_name: beer\nsources:\n- path: a\n  url: b\n  sha: c\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "sources[0].sha"; expected path, url]`,
      );
      expect(
        error('downstream_package_name: beer\nsources: [a.tar.gz]\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: sources[0] must be a mapping with path and url, found "a.tar.gz"]`,
      );
      expect(
        error('downstream_package_name: beer\nactions:\n  create-patch: x\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown action "actions.create-patch" (did you mean "create-patches"?); expected one of post-upstream-clone, pre-sync, create-patches, prepare-files, create-archive, get-current-version, fix-spec-file, changelog-entry, commit-message, post-modifications]`,
      );
      expect(error('downstream_package_name: beer\nactions: [x]\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: actions must be a mapping of action names to commands, found a list]`,
      );
      expect(
        error('downstream_package_name: beer\nactions:\n  pre-sync:\n    a: b\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: actions.pre-sync must be a command or a list of commands, found a mapping]`,
      );
      expect(
        error('downstream_package_name: beer\nactions:\n  pre-sync:\n  - {a: b}\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: actions.pre-sync[0] must be a command (a string or a list of arguments), found a mapping]`,
      );
    });

    it('for unknown keys, with a suggestion', () => {
      expect(error('downstream_package_name: beer\nupstrem_ref: x\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "upstrem_ref" (did you mean "upstream_ref"?)]`,
      );
      expect(error('downstream_package_name: beer\nsynced_files: [a]\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "synced_files" (packit renamed it to files_to_sync)]`,
      );
      expect(
        error('downstream_package_name: beer\ncompletely_unrelated_key: 1\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "completely_unrelated_key"]`,
      );
      expect(error('packages:\n  a:\n    upstream_rev: x\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "packages.a.upstream_rev" (did you mean "upstream_ref"?)]`,
      );
    });

    it('for the file and packages structure', () => {
      expect(error('')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: downstream_package_name is required (the dist-git package name, e.g. "beer"), found nothing]`,
      );
      expect(error('- a\n- b\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: the top level must be a mapping of configuration keys, found a list]`,
      );
      expect(error('packages: [a]\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: packages must be a mapping of package names to package configurations, found a list]`,
      );
      expect(error('packages: {}\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: packages must be a mapping with at least one package, found an empty mapping]`,
      );
      expect(error('packages:\n  a: x\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: packages.a must be a mapping of configuration keys, found "x"]`,
      );
      expect(error('packages:\n  a:\n    packages: {}\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: unknown key "packages.a.packages" (packages is only allowed at the top level)]`,
      );
      expect(error('packages:\n  a: {}\n  b: {}\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: packages defines 2 packages (a, b); say which one to convert (packageName)]`,
      );
      expect(error('packages:\n  a: {}\n  b: {}\n', 'c')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml: packages has no package with downstream_package_name "c", found "a", "b"]`,
      );
    });

    it('for YAML syntax, with line and column', () => {
      expect(
        error('downstream_package_name: beer\nfiles_to_sync: [a\nsources: []\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]]`,
      );
      expect(error('downstream_package_name: beer\n  bad: indentation\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml:1:26: invalid YAML: Nested mappings are not allowed in compact mappings]`,
      );
      expect(
        error('downstream_package_name: beer\ndownstream_package_name: ale\n'),
      ).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml:2:1: invalid YAML: Map keys must be unique]`,
      );
      expect(error('downstream_package_name: *nowhere\n')).toThrowErrorMatchingInlineSnapshot(
        `[ConverterError: .distro/source-git.yaml:1:26: invalid YAML: unknown alias *nowhere]`,
      );
    });
  });
});

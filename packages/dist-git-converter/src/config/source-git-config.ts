/**
 * The validated contents of `.distro/source-git.yaml` (docs/converter-behaviour.md §1.4), with every default
 * applied. Keys are the camelCase forms of the YAML keys.
 */
export interface SourceGitConfig {
  /** Where the file was read from (absolute path), for error messages. */
  readonly path: string;
  readonly upstreamProjectUrl: string | undefined;
  /** Start of the downstream range; when absent no patches are generated, only files are synced. */
  readonly upstreamRef: string | undefined;
  readonly downstreamPackageName: string;
  /** Spec file location relative to the source-git root (`.distro/<pkg>.spec` in practice). */
  readonly specfilePath: string;
  readonly patchGenerationIgnorePaths: readonly string[];
  /** Zero-padding width of new `PatchN` tags when the spec has none (0 = unnumbered `Patch:`). */
  readonly patchGenerationPatchIdDigits: number;
  readonly syncChangelog: boolean;
  /** Items of `files_to_sync`, normalised; the default item when the key is absent. */
  readonly filesToSync: readonly FileSyncItem[];
  readonly sources: readonly { readonly path: string; readonly url: string }[];
  /**
   * srcgit's own key `patch_comments`: the comment written above a new Patch tag whose commit
   * has no `Patch-status`. `subject` (default) = the commit subject; `none` = no comment.
   */
  readonly patchComments: 'subject' | 'none';
  /** `create_sync_note` (default true): `sync_release` writes `README.packit` into dist-git. */
  readonly createSyncNote: boolean;
  /** `upload_sources` (default true): upload new archives to the lookaside cache. */
  readonly uploadSources: boolean;
  /** `pkg_tool` (`fedpkg`, `centpkg`, …); undefined = the user's default. */
  readonly pkgTool: string | undefined;
  /** `spec_source_id` normalised to a tag name: `1` → `Source1`. Default `Source0`. */
  readonly specSourceId: string;
  /**
   * `actions`: action name → commands. A command is a shell-less command line (string) or an
   * argv list; a single string in the file is one command.
   */
  readonly actions: Readonly<Partial<Record<SourceGitActionName, readonly ActionCommand[]>>>;
  /** `copy_upstream_release_description` (default false). */
  readonly copyUpstreamReleaseDescription: boolean;
  /** `upstream_tag_template` (default `{version}`). */
  readonly upstreamTagTemplate: string;
  /** `prerelease_suffix_pattern` (packit's default pattern when absent). */
  readonly prereleaseSuffixPattern: string;
  /** `prerelease_suffix_macro`; undefined when absent. */
  readonly prereleaseSuffixMacro: string | undefined;
  /** `parse_time_macros`: macro name → value, defined while parsing the spec. */
  readonly parseTimeMacros: Readonly<Record<string, string>>;
  /**
   * `paths` (monorepos): the package's directories relative to the repository root. Default
   * `["./"]`. Patches are generated from the first one (docs/converter-behaviour.md §2.3).
   */
  readonly paths: readonly string[];
}

/** Actions a source-git configuration may define (packit's `ActionName` set). */
export type SourceGitActionName =
  | 'post-upstream-clone'
  | 'pre-sync'
  | 'create-patches'
  | 'prepare-files'
  | 'create-archive'
  | 'get-current-version'
  | 'fix-spec-file'
  | 'changelog-entry'
  | 'commit-message'
  | 'post-modifications';

/** One command of an action: a command line, or an argv list. */
export type ActionCommand = string | readonly string[];

/** One `files_to_sync` entry (rsync semantics, docs/converter-behaviour.md §2.5). */
export interface FileSyncItem {
  /** Source paths relative to the source-git root; a trailing `/` means "the contents of". */
  readonly src: readonly string[];
  /** Destination relative to the dist-git root. */
  readonly dest: string;
  readonly delete: boolean;
  readonly mkpath: boolean;
  /** rsync filter rules, e.g. `protect .git*`, `exclude source-git.yaml`. */
  readonly filters: readonly string[];
}

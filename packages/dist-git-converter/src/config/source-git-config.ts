/**
 * The validated contents of `.distro/source-git.yaml` (converter-spec §1.4), with every default
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
}

/** One `files_to_sync` entry (rsync semantics, converter-spec §2.5). */
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

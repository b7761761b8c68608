/** A patch the dist-git spec must reference (input of `renderDistGitSpec`). */
export interface SpecPatch {
  readonly fileName: string;
  /** Requested tag number (`Patch-id`); when absent the next free number is used. */
  readonly id: number | undefined;
  /** Comment text (may span lines) to render above a new tag; undefined = none. */
  readonly comment: string | undefined;
  /** When true, {@link comment} replaces the comment block of an existing tag too. */
  readonly commentIsExplicit: boolean;
  /** `Patch-present-in-specfile`: the spec is not modified for this patch. */
  readonly presentInSpec: boolean;
}

/** What happened to one patch's spec entry. */
export interface SpecPatchChange {
  readonly fileName: string;
  /** The tag as written, e.g. `Patch0008`, or `%patchlist` for list entries. */
  readonly tag: string;
  readonly number: number | undefined;
  readonly action: 'added' | 'kept' | 'comment-updated' | 'renumbered' | 'removed' | 'present-in-spec';
}

export interface RenderDistGitSpecInput {
  /** Path of the spec, for error messages (e.g. `.distro/beer.spec`). */
  readonly specPath: string;
  /** The spec from source-git (`.distro/<pkg>.spec`), usually without the generated Patch tags. */
  readonly distroSpec: string;
  /** The spec currently committed in dist-git, used as the template for existing entries. */
  readonly previousDistGitSpec: string | undefined;
  /** Path of the previous spec for error messages; defaults to `dist-git <file name of specPath>`. */
  readonly previousSpecPath?: string | undefined;
  /** Generated patches, in application order. */
  readonly patches: readonly SpecPatch[];
  /** `patch_generation_patch_id_digits`. */
  readonly digits: number;
}

export interface RenderDistGitSpecResult {
  readonly text: string;
  readonly changes: readonly SpecPatchChange[];
  /**
   * What the packager should know about the result: a generated patch `%prep` does not apply
   * (rpmbuild would build without it), a `%patch` line left out or left alone. Each names the spec.
   */
  readonly warnings: readonly string[];
}

import { findPatchEntries } from '../spec/find-patch-entries';
import { parseSpec } from '../spec/parse-spec';
import { readPrep } from '../spec/read-prep';
import { removePatchEntries } from '../spec/remove-patch-entries';

/** How `%prep` applies a patch. */
export interface PatchApplication {
  /** The `-p` level (1, git's default, when `%prep` gives none). */
  readonly strip: number;
  /** Position in the order `%prep` applies patches (0-based). */
  readonly position: number;
}

/** A patch the spec declares, as source-git sees it. */
export interface SpecPatchInfo {
  /** The file name with the spec's macros expanded: the file's path in dist-git. */
  readonly fileName: string;
  /** The number rpm gives it (explicit or implicit). */
  readonly number: number;
  /** The comment lines directly above the tag, as written. */
  readonly commentLines: readonly string[];
  /**
   * How `%prep` applies it unconditionally; undefined when the tag or its application sits in an
   * `%if`/`%ifarch` block, or `%prep` does not apply it at all.
   */
  readonly application: PatchApplication | undefined;
}

/**
 * The patches of a spec with how `%prep` applies them. A patch with an {@link
 * SpecPatchInfo.application} is "commit-backed": source-git holds it as commits and its tag is
 * generated; any other patch stays a `.distro/` file with its tag written in the `.distro` spec,
 * so that it round-trips unchanged.
 */
export function describeSpecPatches(specText: string): SpecPatchInfo[] {
  const document = parseSpec(specText);
  const prep = readPrep(document);
  const applications = new Map<number, PatchApplication>();
  for (const [position, application] of prep.applications.entries()) {
    if (application.conditions.length > 0 || applications.has(application.number)) continue;
    applications.set(application.number, { strip: application.stripLevel ?? 1, position });
  }
  return findPatchEntries(document).map((entry) => ({
    fileName: entry.expandedFileName,
    number: entry.number,
    commentLines: entry.commentLines,
    application: entry.conditions.length > 0 ? undefined : applications.get(entry.number),
  }));
}

/** The spec without the tags (and their comment blocks) of the named patch files. */
export function stripPatchEntries(specText: string, fileNames: ReadonlySet<string>): string {
  return removePatchEntries(specText, (entry) => fileNames.has(entry.expandedFileName));
}

import { ConverterError } from '../converter-error';
import { editSpecLines } from './edit-spec-lines';
import { findPatchEntries } from './find-patch-entries';
import type { SpecPatchEntry } from './find-patch-entries';
import { parseSpec } from './parse-spec';
import { planPatchInsertions } from './plan-patch-insertions';

/** A patch to reference from a spec. */
export interface NewSpecPatchEntry {
  readonly fileName: string;
  /** Requested number (`Patch-id`); the next free number when undefined. */
  readonly id?: number | undefined;
  /** Comment text rendered above the tag (see `renderPatchComment`). */
  readonly comment?: string | undefined;
}

export interface AddPatchEntryOptions {
  /** `patch_generation_patch_id_digits`: tag digits when the spec has no Patch tag yet (0 → `Patch:`). */
  readonly digits: number;
  /** Named in error messages. */
  readonly specPath?: string;
}

export interface AddPatchEntryResult {
  readonly text: string;
  /** The new entry, or the existing one when the file was already referenced. */
  readonly entry: SpecPatchEntry;
  /** False when the spec already referenced the file and nothing was changed (§2.8 step 2). */
  readonly added: boolean;
}

/**
 * Adds one patch to a spec as docs/converter-behaviour.md §2.8 describes it (fixed profile): number = the
 * requested id or the next free one; tag width and separator copied from the nearest Patch tag
 * (or `digits` and the last `Source` tag), always with a blank after the colon (Q19); placed after
 * the numerically closest Patch tag, else after the last `Source` tag (past its `%endif`), else at
 * the end of the main preamble; appended to `%patchlist` when the spec has one (Q20); comment
 * lines as `renderPatchComment` renders them (Q21).
 *
 * @throws {ConverterError} `PATCH_ID_TOO_LOW` when the requested id is not above every number in use.
 * @example
 * addPatchEntry('Name: beer\nSource0:        beer.tar.gz\nBuildArch: noarch\n', { fileName: 'a.patch', comment: 'Fix' }, { digits: 1 }).text
 * // 'Name: beer\nSource0:        beer.tar.gz\n# Fix\nPatch1:         a.patch\nBuildArch: noarch\n'
 */
export function addPatchEntry(
  spec: string,
  patch: NewSpecPatchEntry,
  options: AddPatchEntryOptions,
): AddPatchEntryResult {
  const document = parseSpec(spec);
  const entries = findPatchEntries(document);
  const existing = entries.find(
    (entry) => entry.expandedFileName === patch.fileName || entry.fileName === patch.fileName,
  );
  if (existing !== undefined) return { text: spec, entry: existing, added: false };
  const highest = entries.reduce<number | undefined>(
    (max, entry) => (max === undefined || entry.number > max ? entry.number : max),
    undefined,
  );
  if (patch.id !== undefined && highest !== undefined && patch.id <= highest) {
    throw patchIdTooLowError(patch.id, patch.fileName, highest, options.specPath);
  }
  const number = patch.id ?? Math.max((highest ?? 0) + 1, 1);
  const text = editSpecLines(
    document,
    planPatchInsertions(
      document,
      entries,
      [{ fileName: patch.fileName, number, comment: patch.comment }],
      options.digits,
    ),
  );
  // the spec did not reference the file before, so the entry with its name is the new one
  const entry = findPatchEntries(parseSpec(text)).find((candidate) => candidate.fileName === patch.fileName);
  if (entry === undefined) {
    throw new ConverterError(
      'SPEC_INVALID',
      `could not add ${patch.fileName}: the new line is not read as a Patch entry`,
      {
        data: {
          fileName: patch.fileName,
          ...(options.specPath === undefined ? {} : { specPath: options.specPath }),
        },
      },
    );
  }
  return { text, entry, added: true };
}

/** The §2.8 error for a requested id that would re-order patches (message text fixed up). */
export function patchIdTooLowError(
  id: number,
  fileName: string,
  lastUsed: number,
  specPath: string | undefined,
): ConverterError {
  return new ConverterError(
    'PATCH_ID_TOO_LOW',
    `The 'patch_id' requested (${id}) for patch ${fileName} is less than or equal to the last used patch ID. ` +
      `Re-ordering the patches using 'patch_id' is not allowed - if you want to change the order of those patches, ` +
      `please reorder the commits in your source-git repository.`,
    { data: { id, fileName, lastUsedId: lastUsed, ...(specPath === undefined ? {} : { specPath }) } },
  );
}

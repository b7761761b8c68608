import { patchIdTooLowError } from './add-patch-entry';

/** One generated patch, in application order, as the numbering sees it. */
export interface PatchNumberRequest {
  readonly fileName: string;
  /** Requested number (`Patch-id`). */
  readonly id: number | undefined;
  /** Number of the entry the spec already has for this file. */
  readonly current: number | undefined;
  /** False for entries whose number cannot be written (`Patch:` without number, `%patchlist`). */
  readonly renumberable: boolean;
}

/**
 * Decides the number of every generated patch so that numbers ascend in application order (rpm
 * applies patches by number) while existing entries keep their numbers whenever that order allows
 * it — so an unchanged series renumbers nothing.
 *
 * - A requested id is used as is; when it differs from the entry's number the entry is renumbered.
 *   An id that is not above every number in use before it fails as in docs/converter-behaviour.md §2.8.
 * - Without an id an existing entry keeps its number when it is above the previous patch's and
 *   leaves room for the ids requested after it; otherwise it gets the next free number.
 * - A new patch without an id gets the next free number: one past the highest of `fixed` (entries
 *   the spec has for other reasons, e.g. hand-written patches) and the previous patches.
 *
 * @throws {ConverterError} `PATCH_ID_TOO_LOW`
 */
export function assignPatchNumbers(
  requests: readonly PatchNumberRequest[],
  fixed: readonly number[],
  specPath: string | undefined,
): number[] {
  const fixedMax = fixed.reduce((max, number) => Math.max(max, number), Number.NEGATIVE_INFINITY);
  const upper: number[] = [];
  let bound = Number.POSITIVE_INFINITY;
  for (let index = requests.length - 1; index >= 0; index--) {
    const request = requests[index] as PatchNumberRequest;
    const pinned = !request.renumberable && request.current !== undefined ? request.current : request.id;
    if (pinned !== undefined) {
      upper[index] = pinned;
      bound = pinned - 1;
    } else {
      upper[index] = bound;
      bound -= 1;
    }
  }

  const numbers: number[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const [index, request] of requests.entries()) {
    const lastUsed = Math.max(fixedMax, previous);
    let number: number;
    if (request.current !== undefined && !request.renumberable) {
      number = request.current;
    } else if (request.id !== undefined) {
      const limit = request.id === request.current ? previous : lastUsed;
      if (request.id <= limit) throw patchIdTooLowError(request.id, request.fileName, limit, specPath);
      number = request.id;
    } else if (
      request.current !== undefined &&
      request.current > previous &&
      request.current <= (upper[index] ?? Number.POSITIVE_INFINITY)
    ) {
      number = request.current;
    } else {
      number = Math.max(lastUsed + 1, 1);
    }
    numbers.push(number);
    previous = number;
  }
  return numbers;
}

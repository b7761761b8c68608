/**
 * The shape of a real patch series, patch by patch, read from a TSV file of figures such as
 * `bench/data/glibc-2.39-patch-series.tsv` (see `bench/data/README.md`). The benchmark's generated
 * packages follow it, so that `pnpm bench` measures what packagers run.
 */
import { readFile } from 'node:fs/promises';

/** How a dist-git patch file is written. */
export type PatchStyle = 'format-patch' | 'git-diff' | 'gendiff';

/** One patch of the series, in spec order. */
export interface PatchShape {
  /** 1-based position in the spec. */
  readonly order: number;
  /** The spec's Patch tag, e.g. `Patch100`. */
  readonly tag: string;
  /** The tag's number (`100` of `Patch100`). */
  readonly number: number;
  /** Size of the patch file in bytes. */
  readonly bytes: number;
  readonly style: PatchStyle;
  /** File diffs in the patch. */
  readonly files: number;
  /** Lines added and removed. */
  readonly added: number;
  readonly removed: number;
  readonly renames: number;
  readonly newFiles: number;
  readonly deletedFiles: number;
  /** Binary diffs. */
  readonly binary: number;
}

const COLUMNS = [
  'order',
  'tag',
  'bytes',
  'style',
  'files',
  'added',
  'removed',
  'renames',
  'new_files',
  'deleted_files',
  'binary',
] as const;
const STYLES: readonly PatchStyle[] = ['format-patch', 'git-diff', 'gendiff'];

/** Reads a patch-series shape file; a malformed line is an error naming the file, line and field. */
export async function readPatchSeriesShape(path: string): Promise<PatchShape[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const header = lines[0]?.split('\t') ?? [];
  if (header.join('\t') !== COLUMNS.join('\t')) {
    throw new Error(`${path}:1: expected the header "${COLUMNS.join('\\t')}", got "${header.join('\\t')}"`);
  }
  return lines.slice(1).map((line, index) => parseRow(path, index + 2, line));
}

function parseRow(path: string, lineNumber: number, line: string): PatchShape {
  const cells = line.split('\t');
  if (cells.length !== COLUMNS.length) {
    throw new Error(
      `${path}:${lineNumber}: expected ${COLUMNS.length} tab-separated fields, got ${cells.length}`,
    );
  }
  const field = (name: (typeof COLUMNS)[number]): string => cells[COLUMNS.indexOf(name)] ?? '';
  const count = (name: (typeof COLUMNS)[number]): number => {
    const text = field(name);
    if (!/^\d{1,9}$/.test(text)) {
      throw new Error(`${path}:${lineNumber}: field ${name} must be a whole number, got "${text}"`);
    }
    return Number(text);
  };
  const tag = /^Patch(\d{1,9})$/.exec(field('tag'));
  if (tag === null) throw new Error(`${path}:${lineNumber}: field tag must be PatchN, got "${field('tag')}"`);
  const style = field('style');
  if (!STYLES.includes(style as PatchStyle)) {
    throw new Error(`${path}:${lineNumber}: field style must be one of ${STYLES.join(', ')}, got "${style}"`);
  }
  const shape: PatchShape = {
    order: count('order'),
    tag: field('tag'),
    number: Number(tag[1]),
    bytes: count('bytes'),
    style: style as PatchStyle,
    files: count('files'),
    added: count('added'),
    removed: count('removed'),
    renames: count('renames'),
    newFiles: count('new_files'),
    deletedFiles: count('deleted_files'),
    binary: count('binary'),
  };
  if (shape.renames + shape.newFiles + shape.deletedFiles + shape.binary > shape.files || shape.files === 0) {
    throw new Error(
      `${path}:${lineNumber}: files (${shape.files}) must be at least 1 and cover renames + new_files + deleted_files + binary`,
    );
  }
  return shape;
}

/** Totals of a series, for the bench's header line. */
export function seriesTotals(shape: readonly PatchShape[]): { bytes: number; fileDiffs: number } {
  return {
    bytes: shape.reduce((sum, patch) => sum + patch.bytes, 0),
    fileDiffs: shape.reduce((sum, patch) => sum + patch.files, 0),
  };
}

import type { promises } from 'node:fs';

/**
 * The file system the converter works through: Node's `fs.promises` or anything with the same
 * shape. Tests pass a wrapper to inject failures.
 */
export interface ConverterFs {
  readonly promises: typeof promises;
}

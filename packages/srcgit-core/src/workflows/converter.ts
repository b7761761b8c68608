/**
 * @module
 * The converter as the workflows use it: a port, so a caller can wrap it (progress, metrics).
 */
import { updateDistGit } from '@srcgit/dist-git-converter';
import type { UpdateDistGitOptions, UpdateDistGitResult } from '@srcgit/dist-git-converter';

/** The conversions the workflows run (`@srcgit/dist-git-converter`). */
export interface Converter {
  updateDistGit(options: UpdateDistGitOptions): Promise<UpdateDistGitResult>;
}

/** The converter of `@srcgit/dist-git-converter`. */
export function createConverter(): Converter {
  return { updateDistGit };
}

/**
 * @module
 * The converter as the workflows use it: a port, so a caller can wrap it (progress, metrics).
 */
import { updateDistGit, updateSourceGit } from '@srcgit/dist-git-converter';
import type {
  UpdateDistGitOptions,
  UpdateDistGitResult,
  UpdateSourceGitOptions,
  UpdateSourceGitResult,
} from '@srcgit/dist-git-converter';

/** The conversions the workflows run (`@srcgit/dist-git-converter`). */
export interface Converter {
  updateDistGit(options: UpdateDistGitOptions): Promise<UpdateDistGitResult>;
  /** Dist-git commits back into source-git (the "Sync from dist-git" workflow). */
  updateSourceGit(options: UpdateSourceGitOptions): Promise<UpdateSourceGitResult>;
}

/** The converter of `@srcgit/dist-git-converter`. */
export function createConverter(): Converter {
  return { updateDistGit, updateSourceGit };
}

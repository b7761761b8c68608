import type { ConverterFs } from './converter-fs';

/**
 * How the converter reaches a dist-git repository: through isomorphic-git on a working tree.
 * `cache` is isomorphic-git's object cache: pass ONE object per repository for a whole call chain
 * (packs are read into it once; see toolchain.md).
 */
export interface DistGitRepository {
  readonly fs: ConverterFs;
  /** Absolute path of the working tree. */
  readonly dir: string;
  readonly cache: object;
}

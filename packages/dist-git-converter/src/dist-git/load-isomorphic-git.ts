import { createRequire } from 'node:module';
import type * as IsomorphicGit from 'isomorphic-git';

/**
 * isomorphic-git, loaded with `require` on first use (Node's module cache keeps it afterwards).
 * On Node its package resolves to a 575 KB CommonJS build: loading it costs about 80 ms of CPU,
 * which a call that never reads dist-git's objects (`syncStatus` without confirmation) does not
 * pay. `require` rather than `import`: importing that build from ESM makes Node scan the whole
 * file for named exports first, about twice the CPU for the same module.
 */
export function loadIsomorphicGit(): typeof IsomorphicGit {
  return createRequire(import.meta.url)('isomorphic-git') as typeof IsomorphicGit;
}

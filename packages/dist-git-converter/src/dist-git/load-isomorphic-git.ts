import { createRequire } from 'node:module';
import type * as IsomorphicGit from 'isomorphic-git';

/**
 * isomorphic-git, loaded with `require`. On Node its package resolves to a 575 KB CommonJS
 * build; importing that from ESM makes Node scan the whole file for named exports first, which
 * costs about twice as much CPU per process (measured: ~145 ms vs ~75 ms) for the same module.
 */
export const isomorphicGit: typeof IsomorphicGit = createRequire(import.meta.url)(
  'isomorphic-git',
) as typeof IsomorphicGit;

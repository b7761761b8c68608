/**
 * pnpm hooks. `beforePacking` shapes the package.json that `pnpm pack` and `pnpm publish` put in a
 * tarball (the file in the repository stays as it is): a user of a published package gets no
 * workspace-only fields — no devDependencies (the private @srcgit/test-fixtures among them, and the
 * CLI's bundled packages) and no build scripts.
 */
export const hooks = {
  /**
   * @param {Record<string, unknown>} manifest the package.json about to be packed
   * @returns {Record<string, unknown>} the package.json the tarball carries
   */
  beforePacking(manifest) {
    const { devDependencies: _devDependencies, scripts: _scripts, ...published } = manifest;
    return published;
  },
};

/**
 * The only tsup configuration in the repository. Every package's `tsup.config.ts` calls
 * {@link defineBuild} with its entry points, so a later switch of bundler (tsup is no longer
 * maintained; tsdown needs Node 22) touches this one file.
 */
import { defineConfig, type Options } from 'tsup';

export interface BuildOptions {
  /** Entry points, relative to the package (`src/index.ts`, `src/main.ts`, …). */
  readonly entry: Record<string, string>;
  /** Emit `.d.ts` files (published libraries). Apps skip them. */
  readonly dts?: boolean;
  /** Prepend `#!/usr/bin/env node` (CLI binaries). */
  readonly shebang?: boolean;
  /**
   * Emit modules reached by dynamic `import()` as separate chunks, loaded only when imported
   * (the CLI loads each command on demand). Off by default: one file per entry point.
   */
  readonly splitting?: boolean;
  /**
   * Bundle every dependency (workspace packages and node_modules) into the output instead of
   * importing it at run time: one file to compile per chunk instead of hundreds to resolve, read
   * and link, which is most of a short CLI run's start-up. For apps: a published library lists
   * its dependencies instead; the published CLI keeps what it bundles in devDependencies, so
   * installing it fetches nothing.
   */
  readonly bundleDependencies?: boolean;
}

/**
 * CommonJS dependencies bundled into an ES module call `require` for Node's built-in modules;
 * this gives them one.
 */
const REQUIRE_SHIM =
  "import { createRequire as __srcgitCreateRequire } from 'node:module'; const require = __srcgitCreateRequire(import.meta.url);";

export function defineBuild(options: BuildOptions): ReturnType<typeof defineConfig> {
  const config: Options = {
    entry: options.entry,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    outDir: 'dist',
    clean: true,
    sourcemap: true,
    splitting: options.splitting === true,
    treeshake: true,
    ...(options.bundleDependencies === true
      ? { noExternal: [/./] }
      : // Dependencies stay external: a published package lists what it needs.
        { skipNodeModulesBundle: true }),
    dts: options.dts === true ? { compilerOptions: { ignoreDeprecations: '6.0', composite: false } } : false,
    banner: {
      js: [
        ...(options.shebang === true ? ['#!/usr/bin/env node'] : []),
        ...(options.bundleDependencies === true ? [REQUIRE_SHIM] : []),
      ].join('\n'),
    },
  };
  return defineConfig(config);
}

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
}

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
    // Dependencies stay external: a published package lists what it needs.
    skipNodeModulesBundle: true,
    dts: options.dts === true ? { compilerOptions: { ignoreDeprecations: '6.0', composite: false } } : false,
    ...(options.shebang === true ? { banner: { js: '#!/usr/bin/env node' } } : {}),
  };
  return defineConfig(config);
}

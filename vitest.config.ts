/**
 * One vitest run for the whole workspace. Workspace packages resolve to their sources, so tests
 * never wait for a build (the CLI's end-to-end tests run the built binary on purpose).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      // Before '@srcgit/core', which would otherwise match it as a prefix.
      '@srcgit/core/internal': source('./packages/srcgit-core/src/internal.ts'),
      '@srcgit/core': source('./packages/srcgit-core/src/index.ts'),
      '@srcgit/gitlab-adapter': source('./packages/gitlab-adapter/src/index.ts'),
      '@srcgit/dist-git-converter': source('./packages/dist-git-converter/src/index.ts'),
      '@srcgit/test-fixtures': source('./test-fixtures/src/index.ts'),
    },
  },
  test: {
    include: [
      '{packages,apps}/*/src/**/*.test.ts',
      '{packages,apps}/*/test/**/*.test.ts',
      'test-fixtures/src/**/*.test.ts',
    ],
    globalSetup: ['./test-fixtures/src/vitest-global-setup.ts'],
    clearMocks: true,
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

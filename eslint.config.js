// @ts-check
/**
 * One lint configuration for the whole workspace: type-aware typescript-eslint, the import
 * boundaries of docs/architecture.md, and "configuration is read only at an app's edge".
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports that a package must never make, with the reason shown to whoever makes one. */
const boundaries = {
  'packages/dist-git-converter/**': [
    {
      group: ['@srcgit/core', '@srcgit/core/*'],
      message: 'The converter is standalone: it must not import the bot core.',
    },
    {
      group: ['@srcgit/gitlab-adapter', '@srcgit/gitlab-adapter/*'],
      message: 'The converter knows nothing of GitLab.',
    },
    {
      group: ['@gitbeaker/*', 'bullmq', 'hono', '@hono/*', 'ioredis'],
      message: 'The converter knows nothing of forges, queues or HTTP servers.',
    },
  ],
  'packages/srcgit-core/**': [
    {
      group: ['@gitbeaker/*'],
      message: 'Core talks to GitLab only through the Forge port (architecture.md).',
    },
    {
      group: ['bullmq', 'ioredis'],
      message: 'Core knows nothing of the queue; the worker adapts jobs to workflows.',
    },
    { group: ['hono', '@hono/*'], message: 'Core knows nothing of HTTP servers.' },
    {
      group: ['@srcgit/gitlab-adapter', '@srcgit/gitlab-adapter/*'],
      message: 'Core must not import its adapter (the arrow points the other way).',
    },
  ],
  'packages/gitlab-adapter/**': [
    {
      group: ['bullmq', 'ioredis', 'hono', '@hono/*'],
      message: 'The adapter implements the Forge port; queues and servers belong to the apps.',
    },
  ],
};

/** Deep imports into another workspace package's sources are never allowed. */
const noDeepImports = {
  group: ['@srcgit/*/src/*', '**/packages/*/src/*', '**/apps/*/src/*'],
  message: 'Import a package by its public name, not its sources.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/.cache/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: 'List exports by name (conventions C3): no `export *`.',
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration once in env.ts or main.ts and pass it in.',
        },
      ],
    },
  },
  ...Object.entries(boundaries).map(([files, patterns]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': /** @type {import('eslint').Linter.RuleEntry} */ ([
        'error',
        { patterns: [noDeepImports, ...patterns] },
      ]),
    },
  })),
  {
    // The edges where configuration may be read, and code that is not part of a package's runtime.
    files: [
      '**/env.ts',
      '**/main.ts',
      '**/*.test.ts',
      '**/*.config.ts',
      'test-fixtures/**',
      'bench/**',
      'scripts/**',
      'tooling/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);

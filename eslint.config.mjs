// Lint with the rules Temporal's samples use: no floating promises anywhere, and no Node
// built-ins or side-effecting modules in workflow code (it runs in a deterministic sandbox).
import tseslint from 'typescript-eslint';

const NODE_BUILT_INS = { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net'], message: 'Workflow and domain code must be deterministic: no Node built-ins.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'test-output/**', 'console/vite.config.ts', 'console/src/api/schema.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read loosely typed JSON responses.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The HTTP layer sits on top: the worker, activities, store and everything else may be
    // reused by it, never the other way round (the worker must not load Nest or our routes).
    files: ['src/**/*.ts'],
    ignores: ['src/api/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/api/**', '@nestjs/*'], message: 'Only src/api may import the API or Nest: move what is shared out of src/api.' }],
      }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          NODE_BUILT_INS,
          { group: ['pg', '@nestjs/*', '@temporalio/client', '@temporalio/worker', '**/store/**', '**/api/**', '**/worker/**'], message: 'Workflows import only the domain and activity types.' },
          { group: ['**/activities/**'], message: 'Import activity types only (import type).', allowTypeImports: true },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }],
    },
  },
  {
    // The domain is pure: deciders and rules over plain data, with time and ids handed in.
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          NODE_BUILT_INS,
          { group: ['pg', '@nestjs/*', '@temporalio/*', '**/store/**', '**/api/**', '**/activities/**', '**/worker/**', '**/workflows/**'], message: 'The domain imports nothing but the domain: no store, API, activities, worker, Temporal, Nest or pg.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Domain code is synchronous and deterministic.' }],
    },
  },
  {
    // The API only talks to Temporal as a client: loading the worker (or an activity, which
    // brings the worker's dependencies) into the API process is a boundary broken.
    files: ['src/api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/worker/**', '**/activities/**', '@temporalio/worker'], message: 'The API never imports the worker or activities: move what it needs into the domain or the store.' },
        ],
      }],
    },
  },
  {
    // The web console (browser code, its own tsconfig): the same rules, with its type information.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    ignores: ['console/src/api/schema.d.ts'],
    languageOptions: { parserOptions: { project: './console/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
  },
);

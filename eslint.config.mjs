// Lint with the rules Temporal's samples use: no floating promises anywhere, and no Node
// built-ins or side-effecting modules in workflow code (it runs in a deterministic sandbox).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**'] },
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
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net'], message: 'Workflow and domain code must be deterministic: no Node built-ins.' },
          { group: ['pg', '@nestjs/*', '@temporalio/client', '@temporalio/worker', '**/store/**', '**/api/**'], message: 'Workflows import only the domain and activity types.' },
          { group: ['**/activities/**'], message: 'Import activity types only (import type).', allowTypeImports: true },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
  },
);

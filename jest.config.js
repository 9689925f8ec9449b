/** Tests run against real servers that scripts/test.mjs starts (see test/support/env.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] }, // isolatedModules (tsconfig.json): each file alone, fast
  testTimeout: 120000,
  maxWorkers: 2,
  // A fresh worker process for every test file (any worker is above 50 MB after a file): a
  // client call still in flight when one suite tore its servers down cannot fail the next suite.
  workerIdleMemoryLimit: '50MB',
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
};

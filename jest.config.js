/** Tests run against real servers that scripts/test.mjs starts (see test/support/env.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testTimeout: 120000,
  maxWorkers: 2,
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
};

/**
 * `npm run record-histories`: the same setup as the tests, but matching only the recorder,
 * which `npm test` (testMatch *.test.ts) never runs.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: [
    '**/test/record/record-histories.ts',
    '**/test/record/record-loan-histories.ts',
    '**/test/record/record-help-histories.ts',
    '**/test/record/record-escalation-histories.ts',
    '**/test/record/record-comparison-histories.ts',
    '**/test/record/record-role-level-histories.ts',
  ],
  maxWorkers: 1,
};

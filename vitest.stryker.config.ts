import { defineConfig } from 'vitest/config';

// Mutation testing runs the in-process unit, property and golden tests of the mutated core
// modules. Suites aimed elsewhere (validation, Market, the bad-input catalogue, faults) and suites
// that spawn processes or read the built package (package, examples, docs, CLI, corpus) stay out:
// every mutant reruns the tests that cover it, and those call clearCycle too.
export default defineConfig({
  test: {
    include: [
      'test/engine/**/*.test.ts',
      'test/ranking/**/*.test.ts',
      'test/matching/**/*.test.ts',
      'test/commission/**/*.test.ts',
      'test/properties/**/*.test.ts',
      'test/decimal/**/*.test.ts',
      'test/ledger/**/*.test.ts',
      'test/settlement/**/*.test.ts',
    ],
    testTimeout: 60_000,
    setupFiles: ['test/helpers/stryker-setup.ts'],
  },
});

import { defineConfig } from 'vitest/config';

// Mutation testing runs the in-process suites: unit, property and golden tests of the core, and the
// quick in-process suites that drive it (Market, validation, the bad-input catalogue). Suites that
// spawn processes or read the built package (package, examples, docs, CLI, faults, corpus, fuzz)
// stay out: every mutant reruns the tests that cover it.
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
      'test/memory/**/*.test.ts',
      // In-process and quick: Market (resting offers, chains), validation, the bad-input catalogue.
      'test/market/**/*.test.ts',
      'test/validate/**/*.test.ts',
      'test/hostile/catalogue.test.ts',
    ],
    testTimeout: 60_000,
    setupFiles: ['test/helpers/stryker-setup.ts'],
  },
});

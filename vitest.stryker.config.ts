import { defineConfig } from 'vitest/config';

// Mutation testing runs the in-process unit, property and golden tests of the core; suites that
// spawn processes or read the built package (package, examples, docs, CLI, corpus) stay out.
export default defineConfig({
  test: {
    include: [
      'test/engine/**/*.test.ts',
      'test/ranking/**/*.test.ts',
      'test/commission/**/*.test.ts',
      'test/properties/**/*.test.ts',
      'test/decimal/**/*.test.ts',
      'test/validate/**/*.test.ts',
      'test/ledger/**/*.test.ts',
      'test/market/**/*.test.ts',
      'test/hostile/catalogue.test.ts',
      'test/hostile/faults.test.ts',
    ],
    testTimeout: 60_000,
  },
});

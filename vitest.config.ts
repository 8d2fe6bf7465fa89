import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Hooks start servers and in-process PostgreSQL (PGlite compiles WebAssembly): seconds, and
    // more on a loaded 2-core machine than vitest's default 10 s.
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'reports/coverage',
      // Floors a little under what the suite reaches, so a change that drops tests shows.
      thresholds: { lines: 90, statements: 90, functions: 90, branches: 85 },
    },
  },
});

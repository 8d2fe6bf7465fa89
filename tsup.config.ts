import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      node: 'src/node/index.ts',
      worker: 'src/node/worker.ts',
      postgres: 'src/postgres/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    // import.meta.url in the CommonJS build (clearMany finds its worker file with it).
    shims: true,
    // Shared chunks in both formats: one ValidationError class for index and node entries.
    splitting: true,
    external: ['node:crypto', 'node:worker_threads', 'node:fs', 'node:path', 'node:os'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);

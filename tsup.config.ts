import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

const PURE_DEFAULT = resolve('src/ledger/default-hasher.js');
const NODE_DEFAULT = resolve('src/node/default-hasher.ts');

/**
 * The Node build's default hasher: every import of `src/ledger/default-hasher` (@noble/hashes)
 * resolves to `src/node/default-hasher` (node:crypto) instead. The build fails when nothing
 * imported it, so renaming the module cannot silently ship the slow default to Node.
 */
const nodeDefaultHasher: Plugin = {
  name: 'node-default-hasher',
  setup(build) {
    let swapped = false;
    build.onResolve({ filter: /\/default-hasher\.js$/ }, (args) => {
      if (resolve(args.resolveDir, args.path) !== PURE_DEFAULT) return undefined;
      swapped = true;
      return { path: NODE_DEFAULT };
    });
    build.onEnd((result) => {
      if (!swapped && result.errors.length === 0)
        return { errors: [{ text: `node-default-hasher: nothing imported ${PURE_DEFAULT}` }] };
      return undefined;
    });
  },
};

const NODE_BUILTINS = ['node:crypto', 'node:worker_threads', 'node:fs', 'node:path', 'node:os'];

export default defineConfig([
  {
    // The Node build: what `node` resolves (the `node` export condition of "." and the Node-only
    // entries). One esbuild run with shared chunks in both formats, so `ValidationError` is one
    // class across `microgrid-clearing`, `microgrid-clearing/node` (and its worker threads) and
    // `microgrid-clearing/postgres`.
    entry: {
      'index.node': 'src/index.ts',
      node: 'src/node/index.ts',
      worker: 'src/node/worker.ts',
      postgres: 'src/postgres/index.ts',
    },
    format: ['esm', 'cjs'],
    // One declaration build for every entry (both builds of "." share src/index.ts's types), so
    // the entries share their declaration chunks too.
    dts: {
      entry: {
        index: 'src/index.ts',
        node: 'src/node/index.ts',
        postgres: 'src/postgres/index.ts',
      },
      compilerOptions: { ignoreDeprecations: '6.0' },
    },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    // import.meta.url in the CommonJS build (clearMany finds its worker file with it).
    shims: true,
    splitting: true,
    external: NODE_BUILTINS,
    // Keep `node:` in the output: a bundler that picks this build by mistake fails loudly.
    removeNodeProtocol: false,
    esbuildPlugins: [nodeDefaultHasher],
  },
  {
    // The pure build of ".": browsers, bundlers, and any runtime without the `node` condition.
    // Imports nothing from Node (test/package checks it).
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    esbuildPlugins: [nodeDefaultHasher],
  },
]);

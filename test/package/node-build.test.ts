import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The package as Node resolves it by name (its own `exports`, from the repository root), against
// the pure build imported by path. Each check runs in a fresh Node process.
const ROOT = join(import.meta.dirname, '..', '..');
const run = (format: 'esm' | 'cjs', script: string): Record<string, unknown> =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [...(format === 'esm' ? ['--input-type=module'] : []), '-e', script],
      { cwd: ROOT, encoding: 'utf8' },
    ),
  ) as Record<string, unknown>;

/**
 * Counts node:crypto SHA-256 calls: `createHash` is replaced on the built-in module (and synced to
 * its ESM bindings) before the package loads, so a build that hashes with node:crypto is seen
 * doing it, and one on @noble/hashes is not.
 */
const COUNT_NODE_CRYPTO = `
  const nodeCrypto = require('node:crypto');
  const createHash = nodeCrypto.createHash;
  globalThis.sha256Calls = 0;
  nodeCrypto.createHash = (algorithm, ...rest) => {
    if (algorithm === 'sha256') globalThis.sha256Calls++;
    return createHash(algorithm, ...rest);
  };
  require('node:module').syncBuiltinESMExports();
`;
const ESM_REQUIRE = `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);`;

/** A seeded book of 400 offers and 400 bids: some 500 trades, several Merkle leaves. */
const BOOK = `
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const order = (side, i) => ({
    id: side + i,
    participant: side + 'p' + (i % 37),
    carrier: 'electricity',
    quantity: (1 + Math.floor(next() * 9000) / 100).toFixed(2),
    price: (0.05 + Math.floor(next() * 900) / 1000).toFixed(3),
  });
  const book = {
    offers: Array.from({ length: 400 }, (_, i) => order('s', i)),
    bids: Array.from({ length: 400 }, (_, i) => order('b', i)),
  };
  const T0 = '2026-01-01T00:00:00Z';
  const T1 = '2026-01-01T00:00:30Z';
`;

/** Clears the book twice (a chain of two) with each build's defaults and reports what it saw. */
const SAME_BYTES = `
  ${BOOK}
  const clear = (m) => {
    const before = globalThis.sha256Calls;
    const a = m.clearCycle(book, {}, { timestamp: T0 });
    const b = m.clearCycle(book, {}, { timestamp: T1, previous: a.block });
    return { a, b, nodeCryptoCalls: globalThis.sha256Calls - before };
  };
  const n = clear(nodeBuild);
  const p = clear(pureBuild);
  console.log(JSON.stringify({
    nodeCryptoCalls: [n.nodeCryptoCalls, p.nodeCryptoCalls],
    trades: n.a.trades.length,
    hashes: [n.a.block.hash, p.a.block.hash, n.b.block.hash, p.b.block.hash],
    sameBlocks: JSON.stringify([n.a.block, n.b.block]) === JSON.stringify([p.a.block, p.b.block]),
    sameResults: JSON.stringify(n.a) === JSON.stringify(p.a),
    nodeChainByPure: pureBuild.verifyChain([n.a.block, n.b.block]),
    pureChainByNode: nodeBuild.verifyChain([p.a.block, p.b.block]),
    pureCycleByNode: nodeBuild.verifyCycle(book, {}, p.a.block),
  }));
`;

describe('the Node build of microgrid-clearing', () => {
  it.each(['esm', 'cjs'] as const)(
    'is what Node resolves (%s), and its default hasher is node:crypto',
    (format) => {
      const load =
        format === 'esm'
          ? `${ESM_REQUIRE} ${COUNT_NODE_CRYPTO}
             const main = await import('microgrid-clearing');
             const node = await import('microgrid-clearing/node');
             const file = import.meta.resolve('microgrid-clearing');`
          : `${COUNT_NODE_CRYPTO}
             const main = require('microgrid-clearing');
             const node = require('microgrid-clearing/node');
             const file = require.resolve('microgrid-clearing');`;
      const seen = run(
        format,
        `${load}
         const before = globalThis.sha256Calls;
         const r = main.clearCycle(
           { offers: [{ id: 's1', participant: 'p1', carrier: 'heat', quantity: '1', price: '0.1' }],
             bids: [{ id: 'c1', participant: 'h1', carrier: 'heat', quantity: '1', price: '0.2' }] },
           {}, { timestamp: '2026-01-01T00:00:00Z' });
         console.log(JSON.stringify({
           file,
           isNodeHasher: main.defaultHasher === node.nodeSha256Hasher,
           isNoble: main.defaultHasher === main.sha256Hasher,
           hasherId: r.block.hasher,
           nodeCryptoCalls: globalThis.sha256Calls - before,
         }));`,
      );
      expect(seen['file']).toMatch(
        format === 'esm' ? /\/dist\/index\.node\.js$/ : /[/\\]dist[/\\]index\.node\.cjs$/,
      );
      expect(seen['isNodeHasher']).toBe(true);
      expect(seen['isNoble']).toBe(false);
      expect(seen['hasherId']).toBe('sha256');
      // The cycle itself (inputs hash, leaves, root, header) hashed on node:crypto.
      expect(seen['nodeCryptoCalls']).toBeGreaterThan(2);
    },
  );

  it.each(['esm', 'cjs'] as const)(
    'seals the same blocks as the pure build, dist/index imported by path (%s)',
    (format) => {
      const load =
        format === 'esm'
          ? `${ESM_REQUIRE} ${COUNT_NODE_CRYPTO}
             const nodeBuild = await import('microgrid-clearing');
             const pureBuild = await import('./dist/index.js');`
          : `${COUNT_NODE_CRYPTO}
             const nodeBuild = require('microgrid-clearing');
             const pureBuild = require('./dist/index.cjs');`;
      const seen = run(format, `${load} ${SAME_BYTES}`);
      const [nodeCalls, pureCalls] = seen['nodeCryptoCalls'] as [number, number];
      // Two different hashers really ran: node:crypto in the Node build, none in the pure one.
      expect(nodeCalls).toBeGreaterThan(10);
      expect(pureCalls).toBe(0);
      expect(seen['trades']).toBeGreaterThan(64 * 3); // several Merkle leaves
      const [na, pa, nb, pb] = seen['hashes'] as string[];
      expect(na).toMatch(/^[0-9a-f]{64}$/);
      expect(na).toBe(pa);
      expect(nb).toBe(pb);
      expect(na).not.toBe(nb);
      expect(seen['sameBlocks']).toBe(true);
      expect(seen['sameResults']).toBe(true);
      expect(seen['nodeChainByPure']).toEqual({ ok: true });
      expect(seen['pureChainByNode']).toEqual({ ok: true });
      expect(seen['pureCycleByNode']).toEqual({ ok: true });
    },
  );

  it.each(['esm', 'cjs'] as const)(
    'shares one ValidationError with microgrid-clearing/node and /postgres (%s)',
    (format) => {
      const load =
        format === 'esm'
          ? `const main = await import('microgrid-clearing');
             const node = await import('microgrid-clearing/node');
             const postgres = await import('microgrid-clearing/postgres');`
          : `const main = require('microgrid-clearing');
             const node = require('microgrid-clearing/node');
             const postgres = require('microgrid-clearing/postgres');`;
      const seen = run(
        format,
        `(async () => {
           ${load}
           const caught = async (f) => { try { await f(); return undefined; } catch (e) { return e; } };
           const offer = { id: 's1', participant: 'p1', carrier: 'heat', quantity: '1', price: '0.1' };
           // Found by the worker thread, sent back as data, rebuilt in this thread.
           const inWorker = await caught(() => node.clearMany([
             { book: { offers: [{ ...offer, price: 'cheap' }], bids: [] }, timestamp: '2026-01-01T00:00:00Z' },
           ], { workers: 1 }));
           // Found before any thread starts.
           const inShape = await caught(() => node.clearMany([{ book: { offers: [offer], bids: [] } }]));
           // The config is checked before the database is asked anything.
           const noDatabase = { query: () => { throw new Error('the database was asked'); } };
           const inPostgres = await caught(() =>
             postgres.PostgresMarket.open(noDatabase, 'm', { config: { pricing: 'nope' } }));
           const inCore = await caught(() => main.parseBook('{'));
           const report = (e) => ({
             name: e?.constructor?.name,
             instance: e instanceof main.ValidationError,
             guard: main.isValidationError(e),
             sameClass: e?.constructor === inCore.constructor,
             path: e?.issues?.[0]?.path,
           });
           console.log(JSON.stringify({
             inWorker: report(inWorker),
             inShape: report(inShape),
             inPostgres: report(inPostgres),
             pureIsOther: (await import('./dist/index.js')).ValidationError !== main.ValidationError,
           }));
         })();`,
      );
      for (const where of ['inWorker', 'inShape', 'inPostgres'] as const) {
        expect(seen[where], where).toMatchObject({
          name: 'ValidationError',
          instance: true,
          guard: true,
          sameClass: true,
        });
      }
      expect((seen['inWorker'] as { path: string }).path).toBe('markets[0].offers[0].price');
      expect((seen['inShape'] as { path: string }).path).toBe('markets[0].timestamp');
      expect((seen['inPostgres'] as { path: string }).path).toBe('pricing');
      // A sanity check of the check: two builds do give two classes.
      expect(seen['pureIsOther']).toBe(true);
    },
  );
});

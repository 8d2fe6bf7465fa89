/**
 * `clearMany` against clearing the same markets one after another in this thread:
 * `npm run bench:many [-- --markets 8 --size 10000]`. Needs the build (the script runs it): the
 * worker threads load `dist/worker.js`. Prints the wall times and the speed-up.
 */
import { availableParallelism } from 'node:os';
import { generateBook } from '../src/cli/generators.js';
import type { clearCycle as ClearCycle, CycleResult, OrderBook } from '../src/index.js';
import type { clearMany as ClearMany, ClearingPool as Pool } from '../src/node/index.js';

// The package as Node resolves it: its Node build, whose default hasher (node:crypto) is the one
// the worker threads use.
const dist = (f: string) => new URL(`../dist/${f}`, import.meta.url).href;
const { clearCycle } = (await import(dist('index.node.js'))) as { clearCycle: typeof ClearCycle };
const { ClearingPool, clearMany } = (await import(dist('node.js'))) as {
  ClearingPool: typeof Pool;
  clearMany: typeof ClearMany;
};

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--markets', 8);
const size = arg('--size', 10_000);
const timestamp = '2026-01-01T00:00:30Z';
const markets = Array.from({ length: count }, (_, i) => ({
  book: generateBook({ kind: 'random', size, seed: i + 1, carriers: ['electricity'] }),
  timestamp,
}));

async function best(run: () => unknown): Promise<number> {
  let ms = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

// What a caller gets back from each: the whole result, its trades read (a list a worker sent is
// parsed when it is first read).
type Job = { book: unknown; timestamp: string };
const tradesOf = (results: readonly CycleResult[]) => results.map((r) => r.trades.length);
const inThread = (jobs: readonly Job[]) =>
  best(() => tradesOf(jobs.map((m) => clearCycle(m.book as OrderBook, undefined, { timestamp }))));
/** A warm pool of `n` workers clearing `jobs` (the pool is closed after). */
async function inPool(n: number, jobs: readonly Job[]): Promise<number> {
  const pool = new ClearingPool({ workers: n });
  const ms = await best(async () => tradesOf(await pool.clear(jobs)));
  await pool.close();
  return ms;
}

const workers = availableParallelism();
const sequential = await inThread(markets);
const cold = await best(async () => tradesOf(await clearMany(markets, { workers })));
const warm = await inPool(workers, markets);
const jsonPool = new ClearingPool({ workers });
const warmJson = await best(() => jsonPool.clearToJson(markets));
await jsonPool.close();
const sequentialJson = await best(() =>
  markets.map((m) => JSON.stringify(clearCycle(m.book as OrderBook, undefined, { timestamp }))),
);
// Books as JSON text, as a service reading files or requests has them: the text crosses to a
// worker as one string, and both sides read it straight into columns.
const textMarkets = markets.map((m) => ({ book: JSON.stringify(m.book), timestamp }));
const sequentialText = await inThread(textMarkets);
const warmText = await inPool(workers, textMarkets);
const one = await inPool(1, markets);
console.log(
  `${count} markets × ${size} orders a side, Node ${process.version}, ${workers} threads available\n` +
    `| run | wall ms | speed-up |\n|---|---:|---:|\n` +
    `| clearCycle, one after another | ${sequential.toFixed(0)} | 1.00 |\n` +
    `| clearMany, ${workers} workers started for the call | ${cold.toFixed(0)} | ${(sequential / cold).toFixed(2)} |\n` +
    `| ClearingPool, 1 warm worker | ${one.toFixed(0)} | ${(sequential / one).toFixed(2)} |\n` +
    `| ClearingPool, ${workers} warm workers | ${warm.toFixed(0)} | ${(sequential / warm).toFixed(2)} |\n` +
    `| as JSON text (what a service writing RESULT files needs): | | |\n` +
    `| JSON.stringify(clearCycle(…)), one after another | ${sequentialJson.toFixed(0)} | 1.00 |\n` +
    `| ClearingPool.clearToJson, ${workers} warm workers | ${warmJson.toFixed(0)} | ${(sequentialJson / warmJson).toFixed(2)} |\n` +
    `| books given as JSON text: | | |\n` +
    `| clearCycle(text), one after another | ${sequentialText.toFixed(0)} | 1.00 |\n` +
    `| ClearingPool, ${workers} warm workers, text books | ${warmText.toFixed(0)} | ${(sequentialText / warmText).toFixed(2)} |`,
);

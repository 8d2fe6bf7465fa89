/**
 * Same-process A/B of two builds' `ClearingPool` against one thread:
 * `npx tsx scripts/ab-pool.ts OLD_ROOT [NEW_ROOT] [--markets 8] [--size 10000] [--reps 9]`.
 * Each root must be built (`dist/`: the workers load `dist/worker.js`). Clears the same seeded
 * markets with NEW_ROOT's `clearCycle` one after another, and with a warm 2-worker pool of each
 * build, the three alternated rep by rep so drift in the machine's load falls on all; every run
 * reads each result's trades. Prints each one's least and median wall time (the first rep, a
 * warm-up, left out) and the speed-up of the medians over one thread.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateBook } from '../src/cli/generators.js';
import type { clearCycle as Clear, CycleResult, OrderBook } from '../src/index.js';
import type { ClearingPool as Pool } from '../src/node/index.js';

const args = process.argv.slice(2);
const take = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const count = take('--markets', 8);
const size = take('--size', 10_000);
const reps = take('--reps', 9);
const [oldRoot, newRoot = '.'] = args;
if (oldRoot === undefined) {
  console.error('usage: npx tsx scripts/ab-pool.ts OLD_ROOT [NEW_ROOT] [--markets N] [--size N]');
  process.exit(2);
}
type Build = { clearCycle: typeof Clear; ClearingPool: typeof Pool };
const load = async (root: string): Promise<Build> => {
  const dist = (f: string) => pathToFileURL(resolve(root, 'dist', f)).href;
  return { ...(await import(dist('index.node.js'))), ...(await import(dist('node.js'))) };
};
const builds = { old: await load(oldRoot), new: await load(newRoot) };
const timestamp = '2026-01-01T00:00:30Z';
const markets = Array.from({ length: count }, (_, i) => ({
  book: generateBook({ kind: 'random', size, seed: i + 1, carriers: ['electricity'] }),
  timestamp,
}));
const read = (results: readonly CycleResult[]) => results.reduce((n, r) => n + r.trades.length, 0);
const pools = {
  old: new builds.old.ClearingPool({ workers: 2 }),
  new: new builds.new.ClearingPool({ workers: 2 }),
};
const runs = {
  'one thread': [] as number[],
  'old pool': [] as number[],
  'new pool': [] as number[],
};
for (let rep = 0; rep < reps; rep++) {
  const order = ['one thread', 'old pool', 'new pool'] as const;
  for (const which of rep % 2 === 0 ? order : [...order].reverse()) {
    const t0 = performance.now();
    if (which === 'one thread')
      read(
        markets.map((m) => builds.new.clearCycle(m.book as OrderBook, undefined, { timestamp })),
      );
    else read(await pools[which === 'old pool' ? 'old' : 'new'].clear(markets));
    runs[which].push(performance.now() - t0);
  }
}
await Promise.all([pools.old.close(), pools.new.close()]);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const base = median(runs['one thread'].slice(1));
console.log(`${count} markets × ${size} orders a side, ${reps} reps (first left out), 2 workers`);
console.log('| run | least ms | median ms | speed-up (medians) |\n|---|---:|---:|---:|');
for (const [name, xs] of Object.entries(runs)) {
  const warm = xs.slice(1);
  const m = median(warm);
  console.log(
    `| ${name} | ${Math.min(...warm).toFixed(0)} | ${m.toFixed(0)} | ${(base / m).toFixed(2)} |`,
  );
}

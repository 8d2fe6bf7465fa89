/**
 * The constrained welfare optimum (`constrainedOptimum`) at 10^3, 10^4 and 10^5 orders a side, on
 * seeded books: `random` (the generator's random book: prices 0.05–0.95 on both sides, a tenth of
 * the bids from sellers' participants), `every-pair` (every bid priced above every offer and both
 * sides drawn from the same participants, so all N × M pairs are compatible price-wise and
 * self-trade pairs are everywhere), `few-parties` (the same with 5 participants, where self-trade
 * binds hardest) and `all-or-none` (random, a third of the bids all-or-none: the branch and bound).
 * Each time is the best of a few runs of the whole call (validation, ranking, solve, pairs), with
 * `relax`, the divisible solve alone, beside it.
 *
 * Run: `npx tsx bench/optimum.ts [sizes] [--out docs/allocation-quality.md]`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { generateBook, rng } from '../src/cli/generators.js';
import { constrainedOptimum, type OrderBook } from '../src/index.js';
import { carrierOrders } from '../src/metrics/optimum.js';
import { relax } from '../src/metrics/relaxation.js';
import { validateBook } from '../src/validate/book.js';
import { DEFAULT_LIMITS } from '../src/validate/defaults.js';

type Kind = 'random' | 'every-pair' | 'few-parties' | 'all-or-none';
const KINDS: readonly Kind[] = ['random', 'every-pair', 'few-parties', 'all-or-none'];
const LIMITS = { ...DEFAULT_LIMITS, maxOrders: 10_000_000 };

/** Every bid priced above every offer: offers 0.05–0.45, bids 0.50–0.95, shared participants. */
function everyPair(n: number, parties: number, seed: number): OrderBook {
  const r = rng(seed);
  const dec = (units: number) => (units / 1e6).toFixed(6);
  const order = (id: string, low: number) => ({
    id,
    participant: `p${Math.floor(r() * parties)}`,
    carrier: 'electricity' as const,
    quantity: dec(100_000 + Math.floor(r() * 99_900_000)),
    price: dec(low + Math.floor(r() * 400_000)),
  });
  return {
    offers: Array.from({ length: n }, (_, i) => order(`s${i}`, 50_000)),
    bids: Array.from({ length: n }, (_, i) => order(`c${i}`, 500_000)),
  };
}

function book(kind: Kind, n: number): OrderBook {
  if (kind === 'every-pair') return everyPair(n, Math.max(2, Math.floor(n / 4)), 42);
  if (kind === 'few-parties') return everyPair(n, 5, 43);
  return generateBook({ kind, size: n, seed: 42, carriers: ['electricity'] });
}

function best<T>(reps: number, run: () => T): { ms: number; value: T } {
  let ms = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    value = run();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value: value! };
}

interface Row {
  kind: Kind;
  n: number;
  total: number;
  relax: number;
  pairs: number;
  nodes: number;
  proven: boolean;
  gap: string;
}

function measure(kind: Kind, n: number): Row {
  const b = book(kind, n);
  const reps = n >= 100_000 ? 3 : 5;
  const whole = best(reps, () => constrainedOptimum(b, { limits: LIMITS })[0]!);
  const prepared = carrierOrders(validateBook(b, LIMITS), 'electricity')!;
  const free = new Uint8Array(prepared.orders.bidPrice.length);
  const divisible = best(reps, () => relax(prepared.orders, free));
  const o = whole.value;
  return {
    kind,
    n,
    total: whole.ms,
    relax: divisible.ms,
    pairs: o.pairs.length,
    nodes: o.nodes,
    proven: o.proven,
    gap: o.proven ? '0' : (Number(o.bound) - Number(o.gains)).toPrecision(3),
  };
}

function render(rows: readonly Row[]): string {
  const lines = [
    `Node ${process.version}, best of 3–5 runs each (ms); load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs when it ended (a shared machine: times are noisy).`,
    '',
    '| book | orders a side | constrainedOptimum (ms) | relax alone (ms) | time × for 10 × the orders | pairs | nodes | proven |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const prev = rows.find((x) => x.kind === r.kind && x.n * 10 === r.n);
    const growth = prev === undefined ? '' : (r.total / prev.total).toFixed(1);
    lines.push(
      `| ${r.kind} | ${r.n} | ${r.total.toFixed(1)} | ${r.relax.toFixed(1)} | ${growth} | ${r.pairs} | ${r.nodes} | ${r.proven ? 'yes' : `no (gap ${r.gap})`} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the text between the markers of `path`. */
function writeResults(path: string, table: string): void {
  const start = '<!-- optimum-bench:start -->';
  const end = '<!-- optimum-bench:end -->';
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const i = old.indexOf(start);
  const j = old.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${path} has no ${start} … ${end} markers`);
  writeFileSync(path, `${old.slice(0, i + start.length)}\n${table}\n${old.slice(j)}`);
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const sizeArg = args.find((a, k) => !a.startsWith('--') && (outAt < 0 || k !== outAt + 1));
const sizes = (sizeArg ?? '1000,10000,100000').split(',').map(Number);
// Warm the JIT on a small book of each kind first: the first sizes would time compilation.
for (const kind of KINDS) measure(kind, 2000);
const rows: Row[] = [];
for (const kind of KINDS) {
  for (const n of sizes) {
    const row = measure(kind, n);
    rows.push(row);
    process.stderr.write(`  ${kind} ${n}: ${row.total.toFixed(0)} ms\n`);
  }
}
const table = render(rows);
console.log(table);
if (out !== undefined) writeResults(out, table);

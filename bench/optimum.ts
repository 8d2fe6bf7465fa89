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
 * A second table clears the same books with `clearCycle` under each mechanism (`jin2021`,
 * `uniform-price`, `welfare-optimal`): the whole cycle (validation to the sealed block) and its
 * scenario 1 (ranking and matching, timed by the engine's phase marks), and checks that the
 * welfare-optimal cycle's P2P gains are the constrained optimum.
 *
 * Run: `npx tsx bench/optimum.ts [sizes] [--out docs/allocation-quality.md]`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { generateBook, rng } from '../src/cli/generators.js';
import { clearWith } from '../src/engine/clear.js';
import {
  allocationQuality,
  type ClearingConfig,
  constrainedOptimum,
  type Mechanism,
  type OrderBook,
} from '../src/index.js';
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

const MECHANISMS: readonly Mechanism[] = ['jin2021', 'uniform-price', 'welfare-optimal'];

interface CycleRow {
  kind: Kind;
  n: number;
  mechanism: Mechanism;
  /** The whole cycle, and its scenario 1 (the rank and match phases). */
  total: number;
  scenario1: number;
  trades: number;
  /** P2P gains, and whether they equal the constrained optimum (welfare-optimal only). */
  gains: string;
  optimal: boolean | undefined;
}

function measureCycles(kind: Kind, n: number): CycleRow[] {
  const b = book(kind, n);
  const reps = n >= 100_000 ? 2 : 4;
  return MECHANISMS.map((mechanism) => {
    const config: ClearingConfig = { mechanism, limits: LIMITS };
    let scenario1 = Number.POSITIVE_INFINITY;
    const whole = best(reps, () => {
      let last = performance.now();
      let s1 = 0;
      const result = clearWith(
        b,
        config,
        { timestamp: '2026-01-01T00:00:00Z' },
        {
          mark: (phase) => {
            const now = performance.now();
            if (phase === 'rank' || phase === 'match') s1 += now - last;
            last = now;
          },
        },
      );
      scenario1 = Math.min(scenario1, s1);
      return result;
    });
    const [w] = allocationQuality(b, whole.value, config);
    return {
      kind,
      n,
      mechanism,
      total: whole.ms,
      scenario1,
      trades: whole.value.trades.length,
      gains: w!.p2pWelfare,
      optimal:
        mechanism === 'welfare-optimal' ? w!.p2pWelfare === w!.constrainedOptimum : undefined,
    };
  });
}

function renderCycles(rows: readonly CycleRow[]): string {
  const lines = [
    `Node ${process.version}, best of 2–4 runs each (ms); load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs when it ended.`,
    '',
    '| book | orders a side | mechanism | clearCycle (ms) | scenario 1 (ms) | scenario 1 × for 10 × the orders | P2P trades | P2P gains | = constrained optimum |',
    '|---|---:|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const prev = rows.find(
      (x) => x.kind === r.kind && x.mechanism === r.mechanism && x.n * 10 === r.n,
    );
    const growth = prev === undefined ? '' : (r.scenario1 / prev.scenario1).toFixed(1);
    const optimal = r.optimal === undefined ? '' : r.optimal ? 'yes' : '**no**';
    lines.push(
      `| ${r.kind} | ${r.n} | ${r.mechanism} | ${r.total.toFixed(1)} | ${r.scenario1.toFixed(1)} | ${growth} | ${r.trades} | ${r.gains} | ${optimal} |`,
    );
  }
  return lines.join('\n');
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

/** Replaces the text between the `name` markers of `path`. */
function writeResults(path: string, name: string, table: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
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
for (const kind of KINDS) {
  measure(kind, 2000);
  measureCycles(kind, 2000);
}
const rows: Row[] = [];
const cycles: CycleRow[] = [];
for (const kind of KINDS) {
  for (const n of sizes) {
    const row = measure(kind, n);
    rows.push(row);
    process.stderr.write(`  ${kind} ${n}: ${row.total.toFixed(0)} ms\n`);
    for (const c of measureCycles(kind, n)) {
      cycles.push(c);
      process.stderr.write(
        `    ${c.mechanism}: ${c.total.toFixed(0)} ms, scenario 1 ${c.scenario1.toFixed(0)} ms\n`,
      );
    }
  }
}
const table = render(rows);
const cycleTable = renderCycles(cycles);
console.log(table);
console.log();
console.log(cycleTable);
if (out !== undefined) {
  writeResults(out, 'optimum-bench', table);
  writeResults(out, 'welfare-bench', cycleTable);
}

/**
 * Benchmark measurements shared by `microgrid-clearing bench` and `npm run bench`: clear a seeded
 * book with every phase timed (block included), and the floor in the same process — one pass
 * reading every decimal string, two native sorts of the rank keys, writing the trade records as
 * text and one streaming SHA-256 over them. Never part of pass/fail.
 *
 * @module
 * @internal
 */
import { cpus, totalmem } from 'node:os';
import { clearWith } from '../engine/clear.js';
import { resultColumns } from '../engine/views.js';
import type { BlockHasher, Carrier } from '../index.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import { sha256Hasher } from '../ledger/hasher.js';
import { nodeSha256Hasher } from '../node/hasher.js';
import { dayProfile } from './demo.js';
import { generateBook, generateBookText } from './generators.js';

export interface Row {
  kind: string;
  size: number;
  phases: Record<string, number>;
  /** The first (cold) call: JIT warm-up included. */
  total: number;
  /**
   * Reading the cold call's result as a user does: every P2P and pool trade's object built and
   * its fields read (`result.trades`, `result.poolTrades`). `total + read` is the all-in time.
   */
  read: number;
  /**
   * The same fields read through `resultColumns` (no object a trade), before `read`: what a bulk
   * reader pays. `total + readColumns` is the all-in time by columns.
   */
  readColumns: number;
  /**
   * Steady state, as a service clearing every cycle sees it (below 10^6 a side): the median of
   * five calls on the same book after four untimed ones.
   */
  warm: number | undefined;
  floor: number;
  trades: number;
  rssMB: number;
}

/**
 * Untimed calls after the cold one before the warm ones are timed, and how many are timed: 21 up
 * to 10^4 orders a side (~1 s; five-call medians there moved by 10–20 ms from run to run on a
 * shared machine, the size of the margin to the 50 ms target), 5 above.
 */
const WARM_UP = 4;
const warmRuns = (size: number) => (size <= 10_000 ? 21 : 5);

export const PHASES = ['validate', 'rank', 'match', 'trades', 'pool', 'settle', 'records', 'seal'];

/**
 * The books measured: the generator's kinds, `four-carriers` (random over all four carriers) and
 * `random-text` (the random book given as its JSON text, as a service reading a file or a request
 * body has it: `validate` then includes reading the text).
 */
export const BENCH_KINDS = [
  'random',
  'random-text',
  'realistic',
  'adversarial',
  'all-or-none',
  'four-carriers',
] as const;
export type BenchKind = (typeof BENCH_KINDS)[number];

/** @internal The generator's options for the bench book `kind` of `size` orders a side (seed 42). */
export function benchBookOptions(kind: BenchKind, size: number) {
  const carriers: Carrier[] =
    kind === 'four-carriers' ? ['electricity', 'heat', 'cold', 'gas'] : ['electricity'];
  return {
    kind: kind === 'four-carriers' || kind === 'random-text' ? 'random' : kind,
    size,
    seed: 42,
    carriers,
    profile: kind === 'realistic' ? dayProfile() : undefined,
  } as const;
}

/**
 * One measurement, in this process, with `hasher`: by default the one a user who passes none gets
 * (node:crypto in the built CLI and the Node build; @noble/hashes when run from source).
 */
export function measure(kind: BenchKind, size: number, hasher = defaultHasher): Row {
  const options = benchBookOptions(kind, size);
  // A service given text holds no book objects: the text is made without them (and the book
  // made afterwards, for the floor).
  const book = kind === 'random-text' ? undefined : generateBook(options);
  const input = book ?? generateBookText(options);
  const phases: Record<string, number> = Object.fromEntries(PHASES.map((p) => [p, 0]));
  let last = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - last);
    last = now;
  };
  const t0 = performance.now();
  last = t0;
  const result = clearWith(
    input,
    { limits: { maxOrders: 10_000_000 } },
    { timestamp: '2026-01-01T00:00:00Z', hasher },
    { mark },
  );
  const total = performance.now() - t0;
  const tc = performance.now();
  let chars = 0;
  const columns = resultColumns(result);
  for (let i = 0; i < columns.trades.length; i++)
    chars += columns.trades.amount(i).length + columns.trades.consumerFee(i).length;
  for (let i = 0; i < columns.poolTrades.length; i++) chars += columns.poolTrades.amount(i).length;
  const readColumns = performance.now() - tc;
  const t1 = performance.now();
  for (const t of result.trades) chars += t.amount.length + t.consumerFee.length;
  for (const t of result.poolTrades) chars += t.amount.length;
  const read = performance.now() - t1;
  if (chars < 0) throw new Error('unreachable: keeps the reads');
  // The cycle's peak, reading included, before the floor (whose book, for text, is made only now).
  const rssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  // Counters, not result.trades: reading the trade list would build an object per trade.
  const floor = measureFloor(book ?? generateBook(options), result.counters.p2pTrades, hasher);
  let warm: number | undefined;
  if (size < 1e6) {
    // What a service clearing every cycle sees: WARM_UP more calls untimed (V8 tiers its code up
    // over the first few), then the median of warmRuns(size).
    const times: number[] = [];
    const runs = warmRuns(size);
    for (let i = 0; i < WARM_UP + runs; i++) {
      const t = performance.now();
      clearWith(
        input,
        { limits: { maxOrders: 10_000_000 } },
        { timestamp: '2026-01-01T00:00:00Z', hasher },
        {},
      );
      if (i >= WARM_UP) times.push(performance.now() - t);
    }
    warm = times.sort((a, b) => a - b)[runs >> 1];
  }
  return {
    kind,
    size,
    phases,
    total,
    read,
    readColumns,
    warm,
    floor,
    trades: result.counters.p2pTrades + result.counters.poolTrades,
    rssMB,
  };
}

/**
 * @internal The floor: read every decimal once, two native sorts of rank keys, trade records as
 * text, one SHA-256.
 */
export function measureFloor(
  book: ReturnType<typeof generateBook>,
  trades: number,
  hasher: BlockHasher,
): number {
  const t0 = performance.now();
  const n = book.offers.length;
  const offerKeys = new Float64Array(n);
  const bidKeys = new Float64Array(book.bids.length);
  for (let i = 0; i < n; i++)
    offerKeys[i] = Number(book.offers[i]!.quantity) * Number(book.offers[i]!.price);
  for (let i = 0; i < bidKeys.length; i++)
    bidKeys[i] = Number(book.bids[i]!.quantity) * Number(book.bids[i]!.price);
  offerKeys.sort();
  bidKeys.sort();
  const h = hasher.create!();
  const enc = new TextEncoder();
  let chunk = '';
  for (let i = 0; i < trades; i++) {
    chunk += `{"amount":"1.234567","bidId":"c${i}","buyer":"b${i}","carrier":"electricity","consumerFee":"0.0061728","offerId":"s${i}","price":"0.3456","quantity":"3.572","seller":"a${i}","supplierFee":"0.0061728","type":"trade"}\n`;
    if (chunk.length > 1 << 16) {
      h.update(enc.encode(chunk));
      chunk = '';
    }
  }
  h.update(enc.encode(chunk));
  h.digest();
  return performance.now() - t0;
}

/** Which SHA-256 `hasher` is, for the table's heading. */
export function hasherName(hasher: BlockHasher): string {
  if (hasher === nodeSha256Hasher) return 'node:crypto (the default in Node)';
  if (hasher === sha256Hasher) return '@noble/hashes (the default in browsers)';
  return `a custom hasher "${hasher.id}"`;
}

export function render(rows: Row[], hasher: BlockHasher): string {
  const lines: string[] = [];
  lines.push(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; SHA-256 ${hasherName(hasher)}`,
  );
  lines.push('');
  lines.push(
    // Phase columns are times ("trades ms": making the trade records); "trades made" is a count.
    `| book | N a side | trades made | ${PHASES.map((p) => `${p} ms`).join(' | ')} | total ms | read ms | all-in ms | all-in trades/s | columns read ms | all-in by columns trades/s | warm ms | floor ms | all-in / floor | ratio per ×10 | peak RSS MiB |`,
  );
  lines.push(
    `|---|---:|---:|${PHASES.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  );
  let prev: Row | undefined;
  for (const r of rows) {
    const perDecade =
      prev !== undefined && prev.kind === r.kind
        ? ((r.total + r.read) / (prev.total + prev.read)).toFixed(1)
        : '';
    const allIn = r.total + r.read;
    lines.push(
      `| ${r.kind} | ${r.size} | ${r.trades} | ${PHASES.map((p) => (r.phases[p] ?? 0).toFixed(0)).join(' | ')} | ${r.total.toFixed(0)} | ${r.read.toFixed(0)} | ${allIn.toFixed(0)} | ${Math.round((r.trades / allIn) * 1000)} | ${r.readColumns.toFixed(0)} | ${Math.round((r.trades / (r.total + r.readColumns)) * 1000)} | ${r.warm === undefined ? '' : r.warm.toFixed(0)} | ${r.floor.toFixed(0)} | ${(allIn / r.floor).toFixed(1)} | ${perDecade} | ${r.rssMB} |`,
    );
    prev = r;
  }
  return lines.join('\n');
}

/**
 * `microgrid-clearing bench`: every kind at 10^3 … `--size`, in this process, as a table, with the
 * default hasher (what a user who passes none gets).
 */
export function runBench(
  args: { size?: string | undefined; kinds?: string | undefined },
  io: { out(t: string): void; err(t: string): void },
  progress: boolean,
): number {
  const max = Number((args.size ?? '1e4').replace(/_/g, ''));
  if (!Number.isSafeInteger(max) || max < 1)
    throw new RangeError(`--size must be a whole number ≥ 1, got "${args.size}"`);
  const sizes: number[] = [];
  for (let n = 1e3; n < max; n *= 10) sizes.push(n);
  sizes.push(max);
  const kinds = args.kinds === undefined ? [...BENCH_KINDS] : args.kinds.split(',');
  for (const k of kinds) {
    if (!(BENCH_KINDS as readonly string[]).includes(k))
      throw new RangeError(`--kinds: unknown kind "${k}"`);
  }
  const rows: Row[] = [];
  for (const kind of kinds) {
    for (const size of sizes) {
      if (progress) io.err(`\r  ${kind} ${size} a side…   `);
      rows.push(measure(kind as BenchKind, size));
    }
  }
  if (progress) io.err('');
  io.out(render(rows, defaultHasher));
  io.out(
    '\n(one process for every size: peak RSS is cumulative here; `npm run bench` measures each size alone)',
  );
  return 0;
}

/**
 * `npm run bench:bound`: a lower bound of the all-in time (clear, then read every trade) that
 * `result.trades` — one frozen {@link Trade} object a trade, as `src/model/result.ts` and the
 * README have it — sets, measured beside the floor and the engine (10^6 a side, the random book,
 * the defaults a Node user gets: node:crypto).
 *
 * The floor (src/cli/bench.ts) leaves out work no clearing with this API can skip. The lower
 * bound adds two pieces of it, each done with nothing else of the engine's work:
 *
 * - the trade list: one frozen object of ten fields a trade in one frozen array, the ids, names,
 *   carrier and quantity shared with the book's strings (more sharing than a real cycle can do:
 *   a partial fill's quantity is new), the price, amount and fee fresh strings copied out of a
 *   short text made beforehand (the digits' writing not counted), the supplier's fee the same
 *   string as the consumer's (as with a built-in rate); each trade's amount and consumer fee then
 *   read, as the bench does.
 * - hashing the book's JSON text (for the block's `inputsHash`), the text made beforehand; it is
 *   shorter than the block's canonical text (no sequence numbers, no config).
 *
 * Two more pieces are printed for scale and left out of the bound, since the engine may do them
 * more cheaply than plain JavaScript: making that text with the native `JSON.stringify`, and
 * checking every order's fields with its id unique in a `Set` a side. All the rest of the cycle
 * (exact decimals, ranking, matching, the pool, settlement, fees and their digits, the Merkle
 * tree) is left out too.
 *
 * Each run measures the engine in one process and the floor and the pieces in another (so
 * neither's garbage is the other's; there, two passes, the least of each), `--runs` times; the
 * table gives the least time of each. Peak RSS: of the process that makes only the book, the
 * floor and the pieces (at the end of its first pass), and of the engine's process, all-in.
 *
 * Run: `npm run bench:bound [-- --size 1e6 --runs 3]`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureFloor } from '../src/cli/bench.js';
import { generateBook } from '../src/cli/generators.js';
import { CARRIERS, type Carrier, clearCycle, type Trade } from '../src/index.js';
import { nodeSha256Hasher } from '../src/node/index.js';

type Book = ReturnType<typeof generateBook>;

/** What the engine's process reports. */
interface EngineRun {
  cycle: number;
  read: number;
  p2pTrades: number;
  trades: number;
  rssMB: number;
}

/** What the lower bound's process reports. */
interface BoundRun {
  floor: number;
  objects: number;
  inputsHash: number;
  inputsText: number;
  checks: number;
  rssMB: number;
}

const TIMESTAMP = '2026-01-01T00:00:00Z';

/** The book every process makes: the bench's random book of `size` orders a side. */
function book(size: number): Book {
  return generateBook({ kind: 'random', size, seed: 42, carriers: ['electricity'] });
}

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The engine all-in, as the bench measures it, with the default a Node user gets (node:crypto). */
function engineRun(size: number): EngineRun {
  const orders = book(size);
  const t0 = performance.now();
  const result = clearCycle(
    orders,
    { limits: { maxOrders: 10_000_000 } },
    { timestamp: TIMESTAMP, hasher: nodeSha256Hasher },
  );
  const cycle = performance.now() - t0;
  const t1 = performance.now();
  let chars = 0;
  for (const t of result.trades) chars += t.amount.length + t.consumerFee.length;
  for (const t of result.poolTrades) chars += t.amount.length;
  const read = performance.now() - t1;
  if (chars <= 0) throw new Error('the book made no trade');
  const { p2pTrades, poolTrades } = result.counters;
  return { cycle, read, p2pTrades, trades: p2pTrades + poolTrades, rssMB: peakRssMB() };
}

/**
 * The floor and the pieces, for a cycle of `p2pTrades` P2P trades out of `trades`: two passes,
 * the least of each (the first pass also grows the heap past the book, as the engine's cycle
 * has done before the bench's floor is measured).
 */
function boundRun(size: number, p2pTrades: number, trades: number): BoundRun {
  const orders = book(size);
  const passes: Omit<BoundRun, 'rssMB'>[] = [];
  let rssMB = 0;
  for (let pass = 0; pass < 2; pass++) {
    const floor = measureFloor(orders, p2pTrades, nodeSha256Hasher);
    const objects = timeTradeObjects(orders, trades);
    const { made: inputsText, hashed: inputsHash } = timeInputsHash(orders);
    const checks = timeChecks(orders);
    passes.push({ floor, objects, inputsHash, inputsText, checks });
    if (pass === 0) rssMB = peakRssMB();
  }
  return { ...leastEach(passes), rssMB };
}

/** Each field's least value over `rows` (not all from the same row). */
function leastEach<T extends object>(rows: readonly T[]): T {
  const out = { ...rows[0]! } as Record<string, number>;
  for (const row of rows)
    for (const [key, value] of Object.entries(row)) out[key] = Math.min(out[key]!, value);
  return out as T;
}

/** Every order's fields checked, and its id checked unique on its side. */
function timeChecks(orders: Book): number {
  const carriers = new Set<string>(CARRIERS);
  const t = performance.now();
  let bad = 0;
  for (const side of [orders.offers, orders.bids]) {
    const ids = new Set<string>();
    for (const o of side) {
      if (typeof o.id !== 'string' || o.id.length === 0) bad++;
      if (typeof o.participant !== 'string' || o.participant.length === 0) bad++;
      if (!carriers.has(o.carrier)) bad++;
      const allOrNone = (o as { allOrNone?: unknown }).allOrNone;
      if (allOrNone !== undefined && typeof allOrNone !== 'boolean') bad++;
      if (ids.has(o.id)) bad++;
      ids.add(o.id);
    }
  }
  if (bad > 0) throw new Error('the generated book has a bad order');
  return performance.now() - t;
}

/** The book as JSON text in 64 KiB chunks (timed as `made`), then those chunks hashed (`hashed`). */
function timeInputsHash(orders: Book): { made: number; hashed: number } {
  const t0 = performance.now();
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let chunk = '';
  for (const side of [orders.offers, orders.bids]) {
    for (const o of side) {
      chunk += JSON.stringify(o);
      if (chunk.length > 1 << 16) {
        chunks.push(encoder.encode(chunk));
        chunk = '';
      }
    }
  }
  chunks.push(encoder.encode(chunk));
  const t1 = performance.now();
  const h = nodeSha256Hasher.create!();
  for (const c of chunks) h.update(c);
  h.digest();
  return { made: t1 - t0, hashed: performance.now() - t1 };
}

/** The trade list of `count` trades, as described at the top of this file. */
function timeTradeObjects(orders: Book, count: number): number {
  // 1,024 money texts of 9 characters, joined: each cut is a fresh copy (V8 copies a cut of
  // fewer than 13 characters instead of pointing into the text).
  const money: string[] = [];
  for (let i = 0; i < 1024; i++)
    money.push(`${10 + ((i * 7919) % 90)}.${String(i).padStart(6, '0')}`);
  const text = money.join('');
  const cut = (k: number) => text.slice(9 * (k & 1023), 9 * (k & 1023) + 9);
  const { bids, offers } = orders;
  const t = performance.now();
  const list: Trade[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const bid = bids[i % bids.length]!;
    const offer = offers[(i * 31) % offers.length]!;
    const fee = cut(3 * i + 2);
    list[i] = Object.freeze({
      bidId: bid.id,
      offerId: offer.id,
      buyer: bid.participant,
      seller: offer.participant,
      carrier: bid.carrier as Carrier,
      quantity: bid.quantity,
      price: cut(3 * i),
      amount: cut(3 * i + 1),
      supplierFee: fee,
      consumerFee: fee,
    });
  }
  Object.freeze(list);
  let chars = 0;
  for (const trade of list) chars += trade.amount.length + trade.consumerFee.length;
  const ms = performance.now() - t;
  if (chars !== 18 * count) throw new Error('unreachable: keeps the reads');
  return ms;
}

/** Runs this file again as `--part` in a process of its own and returns what it printed. */
function child<T>(args: string[]): T {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as T;
}

/** `--runs` pairs of processes, then the table of least times. */
function main(size: number, runs: number): void {
  const engines: EngineRun[] = [];
  const bounds: BoundRun[] = [];
  for (let r = 0; r < runs; r++) {
    const engine = child<EngineRun>(['--part', 'engine', '--size', String(size)]);
    engines.push(engine);
    const counts = ['--p2p', String(engine.p2pTrades), '--trades', String(engine.trades)];
    bounds.push(child<BoundRun>(['--part', 'bound', '--size', String(size), ...counts]));
  }
  const b = leastEach(bounds);
  const e = leastEach(engines);
  const floor = b.floor;
  const bound = floor + b.objects + b.inputsHash;
  const allIn = Math.min(...engines.map((run) => run.cycle + run.read));
  const trades = e.trades;
  const line = (name: string, ms: number, inBound: string) =>
    console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / floor).toFixed(2)} | ${inBound} |`);
  console.log(
    `${size} orders a side, random book, ${trades} trades; least of ${runs} runs; Node ${process.version}`,
  );
  console.log('');
  console.log('| measured | least ms | × floor | in the lower bound |');
  console.log('|---|---:|---:|---|');
  line('the floor', floor, 'yes');
  line('`result.trades` as frozen objects', b.objects, 'yes');
  line("hashing the book's JSON text", b.inputsHash, 'yes');
  line('**lower bound**', bound, '');
  line('4 × the floor', 4 * floor, '');
  line("making the book's JSON text (`JSON.stringify`)", b.inputsText, 'no');
  line('checking fields and unique ids (a `Set` a side)', b.checks, 'no');
  line('the engine: `clearCycle`', e.cycle, '');
  line('the engine: reading `result.trades`', e.read, '');
  line('**the engine, all-in**', allIn, '');
  console.log('');
  const rate = (ms: number) => Math.round((trades / ms) * 1000);
  console.log(
    `All-in trades/s: ${rate(bound)} at the lower bound, ${rate(4 * floor)} at 4 × the floor, ${rate(allIn)} the engine's. Peak RSS: ${b.rssMB} MiB for the book, the floor and the pieces alone; ${e.rssMB} MiB for the engine all-in.`,
  );
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1e6' },
    runs: { type: 'string', default: '3' },
    part: { type: 'string' },
    p2p: { type: 'string', default: '0' },
    trades: { type: 'string', default: '0' },
  },
});
const size = Number(values.size);
const runs = Number(values.runs);
if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`--size: got "${values.size}"`);
if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`--runs: got "${values.runs}"`);
if (values.part === 'engine') process.stdout.write(JSON.stringify(engineRun(size)));
else if (values.part === 'bound')
  process.stdout.write(JSON.stringify(boundRun(size, Number(values.p2p), Number(values.trades))));
else main(size, runs);

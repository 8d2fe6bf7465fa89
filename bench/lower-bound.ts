/**
 * `npm run bench:bound`: a lower bound of the all-in time that `result.trades` (SPEC's
 * `Trade[]`, one object a trade) makes, measured in one process beside the floor and the engine
 * itself (10^6 a side, the random book, the defaults a Node user gets: node:crypto).
 *
 * The floor (src/cli/bench.ts) leaves out work no clearing with this API can skip. The lower
 * bound adds two pieces of it, each done without any of the engine's other work:
 *
 * - `result.trades` as the contract has it: one frozen object of ten fields a trade in one frozen
 *   array, its five money fields fresh strings cut from one text made beforehand (the digits'
 *   writing not counted), ids and names shared with the book; each trade's amount and consumer
 *   fee then read, as the bench does.
 * - hashing the book's JSON text (the block's `inputsHash`), the text made beforehand.
 *
 * Two more pieces are printed for scale and left out of the bound, since the engine does them in
 * other ways that may be cheaper: making that text with the native `JSON.stringify`, and checking
 * every order's fields with its id unique in a `Set` a side. Everything else the engine does
 * (validating and parsing decimals exactly, ranking's exact ties, matching, the pool, settlement,
 * fees and their digits, the Merkle tree) is left out too. The heap a full collection leaves to the
 * trade objects is a lower bound of what the list holds. Prints a markdown table.
 *
 * Run: `npm run bench:bound [-- --size 1e6]` (runs itself again under `--expose-gc`).
 */
import { execFileSync } from 'node:child_process';
import { measureFloor } from '../src/cli/bench.js';
import { generateBook } from '../src/cli/generators.js';
import { clearCycle } from '../src/index.js';
import { nodeSha256Hasher } from '../src/node/index.js';

const MiB = 2 ** 20;
const T = '2026-01-01T00:00:00Z';
const CARRIERS = new Set(['electricity', 'heat', 'cold', 'gas']);

/** The engine all-in, as the bench measures it, with the default a Node user gets (node:crypto). */
function clearAllIn(book: ReturnType<typeof generateBook>, gc: () => void) {
  const t0 = performance.now();
  const result = clearCycle(
    book,
    { limits: { maxOrders: 10_000_000 } },
    { timestamp: T, hasher: nodeSha256Hasher },
  );
  const cycle = performance.now() - t0;
  const t1 = performance.now();
  let chars = 0;
  for (const t of result.trades) chars += t.amount.length + t.consumerFee.length;
  for (const t of result.poolTrades) chars += t.amount.length;
  const read = performance.now() - t1;
  gc();
  const heap = process.memoryUsage().heapUsed;
  if (chars < 0) throw new Error('unreachable: keeps the reads');
  const trades = result.counters.p2pTrades;
  return { cycle, read, trades, allTrades: trades + result.counters.poolTrades, heap };
}

function run(size: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const book = generateBook({ kind: 'random', size, seed: 42, carriers: ['electricity'] });
  gc();
  const bookHeap = process.memoryUsage().heapUsed;
  const engine = clearAllIn(book, gc);
  const { trades, allTrades } = engine;

  const floor = measureFloor(book, trades, nodeSha256Hasher);
  const checks = timeChecks(book);
  const { made: inputsText, hashed: inputsHash } = timeInputsHash(book);
  const objects = timeTradeObjects(book, allTrades, gc);

  const bound = floor + inputsHash + objects.ms;
  const allIn = engine.cycle + engine.read;
  const line = (name: string, x: number, inBound: string) =>
    console.log(`| ${name} | ${x.toFixed(0)} | ${(x / floor).toFixed(2)} | ${inBound} |`);
  console.log(
    `${size} a side, random book, ${trades} P2P + ${allTrades - trades} pool trades; Node ${process.version}`,
  );
  console.log('');
  console.log('| measured in one process | ms | × floor | in the lower bound |');
  console.log('|---|---:|---:|---|');
  line('the floor', floor, 'yes');
  line(
    '`result.trades` as objects (money strings cut from a text made beforehand)',
    objects.ms,
    'yes',
  );
  line("hashing the book's JSON text (the text made beforehand)", inputsHash, 'yes');
  line('**lower bound**', bound, '');
  line('4 × the floor (the target)', 4 * floor, '');
  line("making the book's JSON text (native `JSON.stringify`)", inputsText, 'no');
  line("checking every order's fields and ids (a `Set` a side)", checks, 'no');
  line('the engine: `clearCycle`', engine.cycle, '');
  line('the engine: reading `result.trades` and `result.poolTrades`', engine.read, '');
  line('**the engine, all-in**', allIn, '');
  console.log('');
  console.log(
    `Heap after a full collection: the book ${mib(bookHeap)} MiB; the lower bound's trade objects +${mib(objects.heap)} MiB; the engine's result, its trades read, +${mib(engine.heap - bookHeap)} MiB. All-in trades/s: at most ${Math.round((allTrades / bound) * 1000)} at the lower bound, ${Math.round((allTrades / (4 * floor)) * 1000)} at 4 × the floor, the engine's ${Math.round((allTrades / allIn) * 1000)}.`,
  );
}

const mib = (bytes: number) => Math.round(bytes / MiB);

type Book = ReturnType<typeof generateBook>;

/** Every order's fields checked, and its id checked unique on its side. */
function timeChecks(book: Book): number {
  const t = performance.now();
  let bad = 0;
  for (const side of [book.offers, book.bids]) {
    const ids = new Set<string>();
    for (const o of side) {
      if (typeof o.id !== 'string' || o.id.length === 0) bad++;
      if (typeof o.participant !== 'string' || o.participant.length === 0) bad++;
      if (!CARRIERS.has(o.carrier)) bad++;
      const aon = (o as { allOrNone?: unknown }).allOrNone;
      if (aon !== undefined && typeof aon !== 'boolean') bad++;
      if (ids.has(o.id)) bad++;
      ids.add(o.id);
    }
  }
  if (bad > 0) throw new Error('the generated book has a bad order');
  return performance.now() - t;
}

/** The book as JSON text, 64 KiB chunks (timed as `made`), then those chunks hashed (`hashed`). */
function timeInputsHash(book: Book): { made: number; hashed: number } {
  const t0 = performance.now();
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let chunk = '';
  for (const side of [book.offers, book.bids]) {
    for (const o of side) {
      chunk += JSON.stringify(o);
      if (chunk.length > 1 << 16) {
        chunks.push(enc.encode(chunk));
        chunk = '';
      }
    }
  }
  chunks.push(enc.encode(chunk));
  const t1 = performance.now();
  const h = nodeSha256Hasher.create!();
  for (const c of chunks) h.update(c);
  h.digest();
  return { made: t1 - t0, hashed: performance.now() - t1 };
}

/**
 * `result.trades` as the contract has it: one frozen object of ten fields a trade in one frozen
 * array, the five money fields fresh strings cut from one text made beforehand (not timed), ids
 * and names shared with the book; then each trade's amount and consumer fee read, as the bench
 * does. `heap`: what the list holds after a full collection.
 */
function timeTradeObjects(book: Book, count: number, gc: () => void) {
  const money: string[] = [];
  for (let i = 0; i < 1024; i++) money.push(`${(i * 7919) % 100}.${String(i).padStart(6, '0')}`);
  const text = money.join('').repeat(Math.ceil((count * 5) / 1024) + 1);
  const offsets = new Int32Array(1025);
  for (let i = 0; i < 1024; i++) offsets[i + 1] = offsets[i]! + money[i]!.length;
  const period = offsets[1024]!;
  const cut = (k: number) => {
    const base = Math.floor(k / 1024) * period;
    return text.slice(base + offsets[k % 1024]!, base + offsets[(k % 1024) + 1]!);
  };
  const { bids, offers } = book;
  gc();
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  const list: object[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const bid = bids[i % bids.length]!;
    const offer = offers[(i * 31) % offers.length]!;
    const k = i * 5;
    list[i] = Object.freeze({
      bidId: bid.id,
      offerId: offer.id,
      buyer: bid.participant,
      seller: offer.participant,
      carrier: bid.carrier,
      quantity: cut(k),
      price: cut(k + 1),
      amount: cut(k + 2),
      supplierFee: cut(k + 3),
      consumerFee: cut(k + 4),
    });
  }
  Object.freeze(list);
  let chars = 0;
  for (const trade of list as { amount: string; consumerFee: string }[])
    chars += trade.amount.length + trade.consumerFee.length;
  const ms = performance.now() - t;
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  if (chars <= 0 || list.length !== count || text.length === 0) throw new Error('unreachable');
  return { ms, heap };
}

const a = process.argv.slice(2);
const i = a.indexOf('--size');
const size = i >= 0 ? Number(a[i + 1]) : 1e6;
if (a.includes('--run')) run(size);
else
  process.stdout.write(
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        import.meta.filename,
        '--run',
        '--size',
        String(size),
      ],
      { encoding: 'utf8' },
    ),
  );

/**
 * The orders of `npm run bench:peers`, and how each system is fed them and counted.
 *
 * One seeded generator (one carrier, electricity) makes the sells and the buys once, as exact
 * integers of millionths (quantity in millionths of a kWh, price in millionths of a currency unit
 * per kWh, the six decimals of `src/cli/generate.ts`). From them:
 * - the continuous books (hft-limit-order-book, nodejs-order-book) get every sell as a limit
 *   order, then every buy as a limit order, sizes and prices as those integers — exact in a float,
 *   so their float arithmetic never leaves dust and their fills can be compared;
 * - `clearCycle` gets one book with the same offers and bids as decimal strings.
 *
 * A fill is one maker–taker match in a continuous book and one `Trade` (scenario 1, offer–bid) in
 * a cycle: every system's trade count is its number of fills.
 */
import { rng } from '../src/cli/generators.js';
import type { clearCycle as ClearCycle, OrderBook } from '../src/index.js';

/**
 * The rows of the table: the two continuous books by their package names, and `clearCycle` from
 * the build with its defaults — the cycle alone, and all-in (the cycle, then every trade read).
 */
export const SYSTEMS = [
  'hft-limit-order-book',
  'nodejs-order-book',
  'clearCycle',
  'clearCycle all-in',
] as const;
export type System = (typeof SYSTEMS)[number];

/** Decimals of quantities and prices. */
export const SCALE = 6;
const UNIT = 10 ** SCALE;

/**
 * How far the prices cross:
 * - `overlap` (the bench's default): sells at 0.05–0.55, buys at 0.30–0.95 — most buys cross the
 *   cheap asks, and in the band where the two ranges meet price priority decides who trades;
 * - `full`: sells at 0.05–0.45, buys at 0.50–0.95 — every buy crosses every sell, so every system
 *   must match min(Σ sells, Σ buys).
 */
export type Crossing = 'overlap' | 'full';

/** The generated orders, in columns: sells then buys, each in generation (arrival) order. */
export interface PeerOrders {
  readonly size: number;
  /** Millionths of a kWh, 100,000–99,999,999 (0.1–100 kWh). */
  readonly sellQuantity: Int32Array;
  /** Millionths per kWh. */
  readonly sellPrice: Int32Array;
  /** The seller's number (participant `p<n>`). */
  readonly seller: Int32Array;
  readonly buyQuantity: Int32Array;
  readonly buyPrice: Int32Array;
  /** The buyer's number (participant `h<n>`): buyers and sellers never share a participant. */
  readonly buyer: Int32Array;
}

const PRICES: Record<Crossing, { sell: [number, number]; buy: [number, number] }> = {
  overlap: { sell: [50_000, 550_000], buy: [300_000, 950_000] },
  full: { sell: [50_000, 450_000], buy: [500_000, 950_000] },
};

/**
 * `size` sells and `size` buys from `seed`: the same arguments give the same orders. Prices are
 * multiples of `tick` millionths (1 by default: six decimals, as the project's other generators);
 * a coarser tick means fewer price levels, which a continuous book keeps one queue each.
 */
export function peerOrders(
  size: number,
  seed: number,
  crossing: Crossing = 'overlap',
  tick = 1,
): PeerOrders {
  const parties = Math.max(2, Math.floor(size / 4));
  const { sell, buy } = PRICES[crossing];
  const side = (r: () => number, [low, high]: [number, number]) => {
    const quantity = new Int32Array(size);
    const price = new Int32Array(size);
    const participant = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      quantity[i] = 100_000 + Math.floor(r() * 99_900_000);
      price[i] = low + Math.floor((r() * (high - low)) / tick) * tick;
      participant[i] = Math.floor(r() * parties);
    }
    return { quantity, price, participant };
  };
  const s = side(rng(seed), sell);
  const b = side(rng(seed ^ 0x5bd1e995), buy);
  return {
    size,
    sellQuantity: s.quantity,
    sellPrice: s.price,
    seller: s.participant,
    buyQuantity: b.quantity,
    buyPrice: b.price,
    buyer: b.participant,
  };
}

/** A whole number of millionths as a decimal string (`1500000` → `'1.500000'`). */
export function decimal(units: number): string {
  const s = String(units).padStart(SCALE + 1, '0');
  return `${s.slice(0, s.length - SCALE)}.${s.slice(s.length - SCALE)}`;
}

/** A decimal string of at most six decimals as a whole number of millionths, exactly. */
export function units(value: string): number {
  const dot = value.indexOf('.');
  if (dot < 0) return Number(value) * UNIT;
  const fraction = value.slice(dot + 1);
  if (fraction.length > SCALE) throw new RangeError(`more than ${SCALE} decimals: ${value}`);
  return Number(value.slice(0, dot)) * UNIT + Number(fraction.padEnd(SCALE, '0'));
}

/** A limit order as both continuous books take it. */
export interface LimitOrder {
  readonly id: string;
  readonly side: 'sell' | 'buy';
  readonly size: number;
  readonly price: number;
}

/** What the continuous books are fed: every sell, then every buy, in arrival order. */
export function limitOrders(o: PeerOrders): LimitOrder[] {
  const out: LimitOrder[] = new Array(2 * o.size);
  for (let i = 0; i < o.size; i++)
    out[i] = { id: `s${i}`, side: 'sell', size: o.sellQuantity[i]!, price: o.sellPrice[i]! };
  for (let i = 0; i < o.size; i++)
    out[o.size + i] = { id: `b${i}`, side: 'buy', size: o.buyQuantity[i]!, price: o.buyPrice[i]! };
  return out;
}

/** What `clearCycle` is fed: one book with the same offers and bids, as decimal strings. */
export function peerBook(o: PeerOrders): OrderBook {
  const offers: OrderBook['offers'][number][] = new Array(o.size);
  const bids: OrderBook['bids'][number][] = new Array(o.size);
  for (let i = 0; i < o.size; i++) {
    offers[i] = {
      id: `s${i}`,
      participant: `p${o.seller[i]}`,
      carrier: 'electricity',
      quantity: decimal(o.sellQuantity[i]!),
      price: decimal(o.sellPrice[i]!),
    };
    bids[i] = {
      id: `b${i}`,
      participant: `h${o.buyer[i]}`,
      carrier: 'electricity',
      quantity: decimal(o.buyQuantity[i]!),
      price: decimal(o.buyPrice[i]!),
    };
  }
  return { offers, bids };
}

/** What a run reports: fills, and the quantity they matched (millionths of a kWh). */
export interface Outcome {
  readonly trades: number;
  readonly matched: number;
}

/** The part of hft-limit-order-book's and nodejs-order-book's `OrderBook` the bench uses. */
export interface ContinuousBook {
  limit(order: LimitOrder): {
    readonly done: readonly { readonly id: string; readonly size: number }[];
    readonly partial: { readonly id: string } | null;
    readonly partialQuantityProcessed: number;
    readonly err: unknown;
  };
}

/**
 * Feeds `orders` to a fresh continuous book one by one and reads every fill from each response:
 * `done` holds the makers filled whole (at the size they had left) and, when the incoming order
 * was filled whole, that order itself; `partial`, if it is another order, is the maker filled in
 * part by `partialQuantityProcessed`.
 */
export function runContinuous(book: ContinuousBook, orders: readonly LimitOrder[]): Outcome {
  let trades = 0;
  let matched = 0;
  for (const order of orders) {
    const r = book.limit(order);
    if (r.err) throw new Error(`order ${order.id} refused: ${String(r.err)}`);
    for (const maker of r.done) {
      if (maker.id === order.id) continue;
      trades++;
      matched += maker.size;
    }
    if (r.partial !== null && r.partial.id !== order.id && r.partialQuantityProcessed > 0) {
      trades++;
      matched += r.partialQuantityProcessed;
    }
  }
  return { trades, matched };
}

/** The bench's fixed cycle timestamp (the core never reads a clock). */
export const TIMESTAMP = '2026-01-01T00:00:30Z';

/**
 * One cycle with the library's defaults (default config and hasher). `allIn` also reads every
 * trade of `result.trades`, summing their quantities from each element — what a caller that
 * uses the trades pays; without it the fills and volume come from the counters and the summary.
 */
export function runClear(clear: typeof ClearCycle, book: OrderBook, allIn: boolean): Outcome {
  const result = clear(book, undefined, { timestamp: TIMESTAMP });
  if (!allIn) {
    const summary = result.carriers[0];
    return {
      trades: result.counters.p2pTrades,
      matched: summary === undefined ? 0 : units(summary.p2pVolume),
    };
  }
  let trades = 0;
  let matched = 0;
  for (const trade of result.trades) {
    trades++;
    matched += units(trade.quantity);
  }
  return { trades, matched };
}

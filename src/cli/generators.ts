/**
 * Seeded synthetic order books for `microgrid-clearing gen` and the benchmarks: the same seed
 * gives the same book, byte for byte. Orders are produced one at a time, so a book of 10^6 orders
 * a side is written without being held in memory.
 *
 * @module
 * @internal
 */
import type { Bid, Carrier, Offer } from '../index.js';

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A decimal string with `scale` decimals from a whole number of units. */
function dec(units: number, scale: number): string {
  const s = String(units).padStart(scale + 1, '0');
  return `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

/**
 * The kinds of book:
 * - `random`: prices 0.05–0.95, quantities 0.1–100, a tenth of the bids from sellers' participants;
 * - `adversarial`: q × p order opposite to unit price on both sides — the best-ranked bids are the
 *   cheapest and the best-ranked offers the dearest, so a naive compatibility scan is quadratic;
 * - `all-or-none`: random, a third of the bids all-or-none;
 * - `realistic`: quantities and prices drawn around the bundled CityLearn day (hourly net loads of
 *   17 homes, the day's tariffs), see `profile`.
 */
export type BookKind = 'random' | 'adversarial' | 'all-or-none' | 'realistic';

/** Every kind, for argument checking. */
export const BOOK_KINDS: readonly BookKind[] = [
  'random',
  'adversarial',
  'all-or-none',
  'realistic',
];

/** Net loads (kWh, 3 decimals as thousandths) and tariffs (thousandths) to draw realistic books from. */
export interface Profile {
  readonly surplus: readonly number[];
  readonly deficit: readonly number[];
  readonly tariffs: readonly number[];
}

/** What to generate. */
export interface GenerateOptions {
  readonly kind: BookKind;
  /** Orders a side. */
  readonly size: number;
  readonly seed: number;
  readonly carriers: readonly Carrier[];
  /** Needed for `realistic`. */
  readonly profile?: Profile | undefined;
}

/** The offers of a book, one at a time. */
export function* offers(o: GenerateOptions): Generator<Offer> {
  const r = rng(o.seed);
  const parties = Math.max(2, Math.floor(o.size / 4));
  for (let i = 0; i < o.size; i++) {
    const carrier = o.carriers[i % o.carriers.length]!;
    if (o.kind === 'adversarial') {
      // Unit price rises with i while q × p falls with i.
      const p = 100_000 + Math.floor((i / o.size) * 800_000);
      const q = Math.max(1, Math.floor(1e12 / p / (i + 1)));
      yield { id: `s${i}`, participant: `p${i}`, carrier, quantity: dec(q, 6), price: dec(p, 6) };
    } else if (o.kind === 'realistic') {
      const pr = o.profile!;
      const q = pr.surplus[Math.floor(r() * pr.surplus.length)]! + Math.floor(r() * 100);
      const p = 80 + Math.floor(r() * 60); // 0.080–0.139, around a feed-in tariff
      yield {
        id: `s${i}`,
        participant: `home-${Math.floor(r() * parties)}`,
        carrier,
        quantity: dec(Math.max(1, q), 3),
        price: dec(p, 3),
      };
    } else {
      const p = 50_000 + Math.floor(r() * 900_000);
      const q = 100_000 + Math.floor(r() * 99_900_000);
      yield {
        id: `s${i}`,
        participant: `a${Math.floor(r() * parties)}`,
        carrier,
        quantity: dec(q, 6),
        price: dec(p, 6),
      };
    }
  }
}

/** The bids of a book, one at a time. */
export function* bids(o: GenerateOptions): Generator<Bid> {
  const r = rng(o.seed ^ 0x5bd1e995);
  const parties = Math.max(2, Math.floor(o.size / 4));
  for (let i = 0; i < o.size; i++) {
    const carrier = o.carriers[i % o.carriers.length]!;
    if (o.kind === 'adversarial') {
      // Unit price falls with i while q × p rises with i: cheap bids rank first.
      const p = 100_000 + Math.floor(((o.size - i) / o.size) * 800_000);
      const q = Math.max(1, Math.floor((1e12 / p) * (i + 1)));
      yield { id: `c${i}`, participant: `h${i}`, carrier, quantity: dec(q, 6), price: dec(p, 6) };
    } else if (o.kind === 'realistic') {
      const pr = o.profile!;
      const q = pr.deficit[Math.floor(r() * pr.deficit.length)]! + Math.floor(r() * 100);
      const p = pr.tariffs[Math.floor(r() * pr.tariffs.length)]!;
      yield {
        id: `c${i}`,
        participant: `home-${Math.floor(r() * parties)}`,
        carrier,
        quantity: dec(Math.max(1, q), 3),
        price: dec(p, 3),
      };
    } else {
      const p = 50_000 + Math.floor(r() * 900_000);
      const q = 100_000 + Math.floor(r() * 99_900_000);
      const participant =
        r() < 0.1 ? `a${Math.floor(r() * parties)}` : `b${Math.floor(r() * parties)}`;
      const allOrNone = o.kind === 'all-or-none' && r() < 1 / 3;
      yield {
        id: `c${i}`,
        participant,
        carrier,
        quantity: dec(q, 6),
        price: dec(p, 6),
        ...(allOrNone ? { allOrNone } : {}),
      };
    }
  }
}

/** A whole book in memory (benchmarks). */
export function generateBook(o: GenerateOptions): { offers: Offer[]; bids: Bid[] } {
  return { offers: [...offers(o)], bids: [...bids(o)] };
}

/**
 * A generated book's JSON text, piece by piece, without holding its objects:
 * `JSON.stringify(generateBook(o))`, or with `lines` one order a line (what `gen` writes).
 */
export function* bookText(o: GenerateOptions, lines = false): Generator<string> {
  const nl = lines ? '\n' : '';
  const side = function* (orders: Iterable<Offer | Bid>): Generator<string> {
    let first = true;
    for (const order of orders) {
      yield `${first ? nl : `,${nl}`}${JSON.stringify(order)}`;
      first = false;
    }
  };
  yield '{"offers":[';
  yield* side(offers(o));
  yield `${nl}],"bids":[`;
  yield* side(bids(o));
  yield `${nl}]}${nl}`;
}

/** {@link bookText} as one string (benchmarks of a book given as text). */
export function generateBookText(o: GenerateOptions): string {
  const chunks: string[] = [];
  let chunk = '';
  for (const piece of bookText(o)) {
    chunk += piece;
    if (chunk.length > 1 << 20) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  chunks.push(chunk);
  return chunks.join('');
}

import fc from 'fast-check';
import {
  type Bid,
  CARRIERS,
  type Carrier,
  type ClearingConfig,
  type Offer,
  type OrderBook,
  type StorageLot,
} from '../../src/index.js';

// Small value sets make ties, equal prices and self-trade pairs common on purpose.
const PRICES = ['0', '0.1', '0.2', '0.25', '0.3', '0.35', '0.4', '0.43', '0.5', '0.6', '1.5'];
const QUANTITIES = ['0.5', '1', '1.5', '2', '3', '4', '6', '0.000001', '12.75'];
const PARTICIPANTS = ['a', 'b', 'c', 'd', 'e'];

export const carrierArb = fc.constantFrom<Carrier>('electricity', 'heat');

/** Every carrier, for books that exercise all four markets of a cycle at once. */
export const anyCarrierArb = fc.constantFrom<Carrier>(...CARRIERS);

const fieldsOf = (carrier: fc.Arbitrary<Carrier>) => ({
  participant: fc.constantFrom(...PARTICIPANTS),
  carrier,
  quantity: fc.constantFrom(...QUANTITIES),
  price: fc.constantFrom(...PRICES),
  seq: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
});

/** Drops absent optional fields (exactOptionalPropertyTypes: absent is not `undefined`). */
function withoutUndefined<T>(o: object): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const offersArb = (max = 12, carrier = carrierArb) =>
  fc
    .array(fc.record(fieldsOf(carrier)), { maxLength: max })
    .map((xs) => xs.map((x, i): Offer => withoutUndefined<Offer>({ id: `s${i}`, ...x })));

export const bidsArb = (max = 12, allOrNone = true, carrier = carrierArb) =>
  fc
    .array(
      fc.record({
        ...fieldsOf(carrier),
        allOrNone: allOrNone ? fc.boolean() : fc.constant(false),
      }),
      { maxLength: max },
    )
    .map((xs) => xs.map((x, i): Bid => withoutUndefined<Bid>({ id: `c${i}`, ...x })));

export const storageArb = storageOf(carrierArb);

function storageOf(carrier: fc.Arbitrary<Carrier>) {
  return fc
    .array(
      fc.record({
        carrier,
        quantity: fc.constantFrom(...QUANTITIES),
        price: fc.constantFrom(...PRICES),
      }),
      { maxLength: 3 },
    )
    .map((xs) => xs.map((x, i): StorageLot => ({ id: `b${i}`, ...x })));
}

/**
 * Books of small value sets. `allCarriers` draws every order from all four carriers (by default
 * electricity and heat, which makes each market denser).
 */
export const bookArb = (
  opts: { max?: number; allOrNone?: boolean; storage?: boolean; allCarriers?: boolean } = {},
): fc.Arbitrary<OrderBook> => {
  const carrier = opts.allCarriers === true ? anyCarrierArb : carrierArb;
  return fc
    .tuple(
      offersArb(opts.max, carrier),
      bidsArb(opts.max, opts.allOrNone ?? true, carrier),
      opts.storage === false ? fc.constant([]) : storageOf(carrier),
    )
    .map(([offers, bids, storage]) => ({ offers, bids, storage }));
};

export const configArb: fc.Arbitrary<ClearingConfig> = fc
  .record({
    ranking: fc.constantFrom('value' as const, 'unit-price' as const),
    pricing: fc.constantFrom(
      'midpoint' as const,
      'ask' as const,
      'bid' as const,
      { k: '0.25' },
      { k: '0.333' },
    ),
    fixedPrice: fc.constantFrom('0.43', '0.2', '0'),
    poolSellPrice: fc.option(fc.constantFrom('0.45', '0.3'), { nil: undefined }),
    absorb: fc.constantFrom('compatible' as const, 'all' as const),
    poolCapacity: fc.option(
      fc.constantFrom({ electricity: '2.5' }, { electricity: '0', heat: '1' }),
      { nil: undefined },
    ),
    gridPrice: fc.option(fc.constantFrom('0.55', '1'), { nil: undefined }),
    commission: fc.constantFrom(
      { kind: 'priority' as const },
      { kind: 'flat' as const, rate: '0.01' },
      { kind: 'none' as const },
      { kind: 'priority' as const, minRate: '0.001', maxRate: '0.0333' },
    ),
    currencyScale: fc.constantFrom(0, 2, 4),
  })
  .map((c) => withoutUndefined<ClearingConfig>(c));

/**
 * Every value of every config field (docs/configuration.md): the three mechanisms, both rankings, each
 * pricing rule, per-carrier pool and grid prices, both absorb policies, pool capacities (zero
 * among them), each built-in commission, currency scales up to 18 and small Merkle leaves.
 */
export const everyConfigArb: fc.Arbitrary<ClearingConfig> = fc
  .record({
    mechanism: fc.constantFrom(
      'jin2021' as const,
      'uniform-price' as const,
      'welfare-optimal' as const,
    ),
    ranking: fc.constantFrom('value' as const, 'unit-price' as const),
    pricing: fc.constantFrom(
      'midpoint' as const,
      'ask' as const,
      'bid' as const,
      { k: '0' },
      { k: '1' },
      { k: '0.25' },
      { k: '0.333' },
      { k: '0.123456789012' },
    ),
    fixedPrice: fc.constantFrom('0.43', '0.2', '0', { heat: '0.1', gas: '0.6' }),
    poolBuyPrice: fc.option(fc.constantFrom('0.3', { electricity: '0.5', cold: '0.25' }), {
      nil: undefined,
    }),
    poolSellPrice: fc.option(fc.constantFrom('0.45', '0.3', { cold: '0.2', heat: '0.55' }), {
      nil: undefined,
    }),
    absorb: fc.constantFrom('compatible' as const, 'all' as const),
    poolCapacity: fc.option(
      fc.constantFrom(
        { electricity: '2.5' },
        { electricity: '0', heat: '1' },
        { cold: '0.5', gas: '3.000001' },
      ),
      { nil: undefined },
    ),
    gridPrice: fc.option(fc.constantFrom('0.55', '1', '0', { heat: '0.35', gas: '0.45' }), {
      nil: undefined,
    }),
    commission: fc.constantFrom(
      { kind: 'priority' as const },
      { kind: 'priority' as const, minRate: '0.001', maxRate: '0.0333' },
      { kind: 'priority' as const, minRate: '0.00000001', maxRate: '0.99999999' },
      { kind: 'priority' as const, minRate: '0.01', maxRate: '0.01' },
      { kind: 'flat' as const, rate: '0.01' },
      { kind: 'flat' as const, rate: '0' },
      { kind: 'none' as const },
    ),
    currencyScale: fc.constantFrom(0, 2, 4, 18),
    leafSize: fc.option(fc.constantFrom(1, 2, 3, 64), { nil: undefined }),
  })
  .map((c) => withoutUndefined<ClearingConfig>(c));

/** Fisher–Yates with fast-check's randomness, keeping every order's explicit seq. */
export function withExplicitSeq(book: OrderBook): OrderBook {
  return {
    offers: book.offers.map((o, i) => ({ ...o, seq: o.seq ?? i })),
    bids: book.bids.map((b, i) => ({ ...b, seq: b.seq ?? i })),
    storage: (book.storage ?? []).map((l, i) => ({ ...l, seq: l.seq ?? i })),
  };
}

/**
 * The book with each side shuffled by `rand` (Fisher–Yates): for permutation-invariance
 * properties. Storage is shuffled too (an absent side becomes empty).
 */
export function shuffleBook(book: OrderBook, rand: Iterator<number>): OrderBook {
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const a = xs.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = (rand.next().value as number) % (i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  return {
    offers: shuffle(book.offers),
    bids: shuffle(book.bids),
    storage: shuffle(book.storage ?? []),
  };
}

import fc from 'fast-check';
import type {
  Bid,
  Carrier,
  ClearingConfig,
  Offer,
  OrderBook,
  StorageLot,
} from '../../src/index.js';

// Small value sets make ties, equal prices and self-trade pairs common on purpose.
const PRICES = ['0', '0.1', '0.2', '0.25', '0.3', '0.35', '0.4', '0.43', '0.5', '0.6', '1.5'];
const QUANTITIES = ['0.5', '1', '1.5', '2', '3', '4', '6', '0.000001', '12.75'];
const PARTICIPANTS = ['a', 'b', 'c', 'd', 'e'];

export const carrierArb = fc.constantFrom<Carrier>('electricity', 'heat');

const orderFields = {
  participant: fc.constantFrom(...PARTICIPANTS),
  carrier: carrierArb,
  quantity: fc.constantFrom(...QUANTITIES),
  price: fc.constantFrom(...PRICES),
  seq: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
};

/** Drops absent optional fields (exactOptionalPropertyTypes: absent is not `undefined`). */
function withoutUndefined<T>(o: object): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const offersArb = (max = 12) =>
  fc
    .array(fc.record(orderFields), { maxLength: max })
    .map((xs) => xs.map((x, i): Offer => withoutUndefined<Offer>({ id: `s${i}`, ...x })));

export const bidsArb = (max = 12, allOrNone = true) =>
  fc
    .array(
      fc.record({ ...orderFields, allOrNone: allOrNone ? fc.boolean() : fc.constant(false) }),
      { maxLength: max },
    )
    .map((xs) => xs.map((x, i): Bid => withoutUndefined<Bid>({ id: `c${i}`, ...x })));

export const storageArb = fc
  .array(
    fc.record({
      carrier: carrierArb,
      quantity: fc.constantFrom(...QUANTITIES),
      price: fc.constantFrom(...PRICES),
    }),
    { maxLength: 3 },
  )
  .map((xs) => xs.map((x, i): StorageLot => ({ id: `b${i}`, ...x })));

export const bookArb = (
  opts: { max?: number; allOrNone?: boolean; storage?: boolean } = {},
): fc.Arbitrary<OrderBook> =>
  fc
    .tuple(
      offersArb(opts.max),
      bidsArb(opts.max, opts.allOrNone ?? true),
      opts.storage === false ? fc.constant([]) : storageArb,
    )
    .map(([offers, bids, storage]) => ({ offers, bids, storage }));

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

/** Fisher–Yates with fast-check's randomness, keeping every order's explicit seq. */
export function withExplicitSeq(book: OrderBook): OrderBook {
  return {
    offers: book.offers.map((o, i) => ({ ...o, seq: o.seq ?? i })),
    bids: book.bids.map((b, i) => ({ ...b, seq: b.seq ?? i })),
    storage: (book.storage ?? []).map((l, i) => ({ ...l, seq: l.seq ?? i })),
  };
}

import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationQuality, clearCycle, type OrderBook } from '../../src/index.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { findEqBook, findEqCases } from '../helpers/auctions.js';
import { runs, T0, WORKED_EXAMPLE } from '../helpers/books.js';

const UNIFORM = { mechanism: 'uniform-price' } as const;

describe('uniform-price mechanism', () => {
  it('clears the worked example at the equilibrium price 0.35', () => {
    // s1's 10 units meet c3 (3), c1 (4) and 3 of c2's 8; the 11th unit of demand bids 0.35 and the
    // 11th of supply asks 0.40, so the equilibrium interval is [0.35, 0.35]. (At 0.325 demand
    // would exceed supply.)
    const r = clearCycle(WORKED_EXAMPLE, UNIFORM, { timestamp: T0 });
    expect(r.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price])).toEqual([
      ['c3', 's1', '3', '0.35'],
      ['c1', 's1', '4', '0.35'],
      ['c2', 's1', '3', '0.35'],
    ]);
    const c2 = r.bidOutcomes.find((b) => b.bidId === 'c2')!;
    expect(c2).toMatchObject({ p2pFilled: '3', reason: 'outranked' });
    // s2 and s3 are priced above the clearing price: they go to the pool or stay unsold.
    expect(r.poolPurchases.map((p) => p.offerId)).toEqual(['s2']);
    expect(allocationQuality(WORKED_EXAMPLE, r)[0]).toMatchObject({
      p2pWelfare: '1.65',
      efficiency: '1',
    });
  });

  it('explains bids below the clearing price', () => {
    const book: OrderBook = {
      offers: [{ id: 's', participant: 'p', carrier: 'heat', quantity: '1', price: '0.1' }],
      bids: [
        { id: 'hi', participant: 'a', carrier: 'heat', quantity: '1', price: '0.5' },
        { id: 'lo', participant: 'b', carrier: 'heat', quantity: '1', price: '0.2' },
      ],
    };
    const r = clearCycle(book, UNIFORM, { timestamp: T0 });
    // Equilibrium interval [0.2, 0.5]: 'lo' is the next bid left (0.2), 'hi' the last bid traded (0.5).
    expect(r.trades.map((t) => [t.bidId, t.price])).toEqual([['hi', '0.35']]);
    expect(r.bidOutcomes.find((b) => b.bidId === 'lo')).toMatchObject({
      reason: 'below_clearing_price',
    });
  });

  it('judges the reasons against the offers that take part: at or below the clearing price', () => {
    // The equilibrium ignores self-trade: it clears at 0.35, where the only offer at or below the
    // price is s1, c1's own. c1 is not outranked (nobody ranked above it took anything): its only
    // offer in the auction is its own. Nothing trades at all (docs/rules.md §4, the 0-efficiency
    // case); welfare-optimal trades c1–s2 and c2–s1.
    const book: OrderBook = {
      offers: [
        { id: 's1', participant: 'p1', carrier: 'electricity', quantity: '1', price: '0.1' },
        { id: 's2', participant: 'p2', carrier: 'electricity', quantity: '1', price: '0.5' },
      ],
      bids: [
        { id: 'c1', participant: 'p1', carrier: 'electricity', quantity: '1', price: '0.6' },
        { id: 'c2', participant: 'p3', carrier: 'electricity', quantity: '1', price: '0.2' },
      ],
    };
    const r = clearCycle(book, UNIFORM, { timestamp: T0 });
    expect(r.trades).toEqual([]);
    expect(r.bidOutcomes.map((b) => [b.bidId, b.reason])).toEqual([
      ['c1', 'self_trade_only'],
      ['c2', 'below_clearing_price'],
    ]);
  });

  it('without a clearing price (no bid meets any offer) a bid has no compatible offer', () => {
    const book: OrderBook = {
      offers: [{ id: 's', participant: 'p', carrier: 'heat', quantity: '1', price: '0.5' }],
      bids: [
        { id: 'a', participant: 'x', carrier: 'heat', quantity: '1', price: '0.4' },
        { id: 'b', participant: 'y', carrier: 'gas', quantity: '1', price: '0.9' },
      ],
    };
    const r = clearCycle(book, UNIFORM, { timestamp: T0 });
    expect(r.trades).toEqual([]);
    expect(r.bidOutcomes.map((b) => b.reason)).toEqual([
      'no_compatible_offer',
      'no_compatible_offer',
    ]);
  });

  it('prices every trade of a carrier alike, never worse than either side, and conserves money', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const r = clearCycle(book, { ...config, ...UNIFORM }, { timestamp: T0 });
        const bids = new Map(book.bids.map((b) => [b.id, b]));
        const offers = new Map(book.offers.map((o) => [o.id, o]));
        for (const carrier of ['electricity', 'heat'] as const) {
          const prices = new Set(r.trades.filter((t) => t.carrier === carrier).map((t) => t.price));
          expect(prices.size).toBeLessThanOrEqual(1);
        }
        for (const t of r.trades) {
          expect(new Decimal(offers.get(t.offerId)!.price).lte(t.price)).toBe(true);
          expect(new Decimal(t.price).lte(bids.get(t.bidId)!.price)).toBe(true);
        }
        const s = r.settlement;
        expect(
          new Decimal(s.paidByConsumers).eq(
            new Decimal(s.receivedBySuppliers).plus(s.platform.income),
          ),
        ).toBe(true);
      }),
      runs(1000),
    );
  });

  it('reaches the competitive optimum on divisible books without self-trade pairs', () => {
    fc.assert(
      fc.property(bookArb({ allOrNone: false }), (raw) => {
        const book: OrderBook = {
          offers: raw.offers.map((o) => ({ ...o, participant: `seller-${o.participant}` })),
          bids: raw.bids.map((b) => ({ ...b, participant: `buyer-${b.participant}` })),
        };
        for (const w of allocationQuality(book, clearCycle(book, UNIFORM, { timestamp: T0 }))) {
          expect(w.p2pWelfare).toBe(w.optimum);
          expect(w.volume).toBe(w.optimalVolume);
        }
      }),
      runs(1000),
    );
  });
});

describe('uniform price on find-eq: the equilibrium quantity, at a price in the equilibrium interval', () => {
  const cases = findEqCases();
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const book = findEqBook(c);
    const r = clearCycle(book, UNIFORM, { timestamp: T0 });
    if (c.expected === null) {
      expect(r.trades).toEqual([]);
      return;
    }
    expect(r.trades).toHaveLength(c.expected.quantity);
    const price = new Decimal(r.trades[0]!.price);
    expect(price.gte(c.expected.price_min) && price.lte(c.expected.price_max)).toBe(true);
  });
});

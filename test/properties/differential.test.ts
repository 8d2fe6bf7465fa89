import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearCycle, parseConfig } from '../../src/index.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { runs, T0 } from '../helpers/books.js';
import { referenceClear } from '../helpers/reference.js';

describe('fast engine = brute-force reference', () => {
  it('scenario 1, pool and scenario 2 agree on thousands of small books (ties, all-or-none, self-trade pairs)', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const cfg = parseConfig(config);
        const fast = clearCycle(book, cfg, { timestamp: T0 });
        const ref = referenceClear(book, cfg);
        expect(
          fast.trades.map(({ bidId, offerId, carrier, quantity, price }) => ({
            bidId,
            offerId,
            carrier,
            quantity,
            price,
          })),
        ).toEqual(ref.trades);
        expect(fast.poolPurchases.map(({ offerId, quantity }) => ({ offerId, quantity }))).toEqual(
          ref.poolPurchases,
        );
        expect(
          fast.poolTrades.map(({ bidId, lotId, source, quantity, price }) => ({
            bidId,
            lotId,
            source,
            quantity,
            price,
          })),
        ).toEqual(ref.poolTrades);
        expect(fast.unsold.map(({ offerId, quantity }) => ({ offerId, quantity }))).toEqual(
          ref.unsold,
        );
        expect(fast.consumerIdRest).toEqual(ref.consumerIdRest);
        expect(fast.supplyIdPool).toEqual(ref.supplyIdPool);
      }),
      runs(3000),
    );
  });

  it('agrees when quantities sum past 2^53, where all-or-none capacity needs bigint sums', () => {
    // Ten near-maximal quantities (10^15 scaled each) pass 2^53 ≈ 9.007 × 10^15.
    const huge = fc.oneof(
      { arbitrary: fc.constantFrom('999999999.999999', '900719925.474099'), weight: 8 },
      { arbitrary: fc.constantFrom('1', '0.000001', '123456789.123456'), weight: 2 },
    );
    const order = (i: number, side: 's' | 'c') =>
      fc
        .record({
          participant: fc.constantFrom('a', 'b', 'c'),
          quantity: huge,
          price: fc.constantFrom('0.1', '0.2', '0.3'),
          allOrNone: fc.boolean(),
        })
        .map((o) => ({
          id: `${side}${i}`,
          carrier: 'electricity' as const,
          participant: o.participant,
          quantity: o.quantity,
          price: o.price,
          ...(side === 'c' ? { allOrNone: o.allOrNone } : {}),
        }));
    const side = (s: 's' | 'c') =>
      fc
        .integer({ min: 8, max: 16 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => order(i, s))));
    fc.assert(
      fc.property(side('s'), side('c'), configArb, (offers, bids, config) => {
        const book = { offers, bids };
        const cfg = parseConfig(config);
        const fast = clearCycle(book, cfg, { timestamp: T0 });
        const ref = referenceClear(book, cfg);
        expect(fast.trades.map((t) => [t.bidId, t.offerId, t.quantity])).toEqual(
          ref.trades.map((t) => [t.bidId, t.offerId, t.quantity]),
        );
        expect(fast.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity])).toEqual(
          ref.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity]),
        );
      }),
      runs(500),
    );
  });

  it('agrees on larger books where many offers share one participant', () => {
    fc.assert(
      fc.property(bookArb({ max: 60 }), configArb, (book, config) => {
        const cfg = parseConfig(config);
        const fast = clearCycle(book, cfg, { timestamp: T0 });
        const ref = referenceClear(book, cfg);
        expect(fast.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price])).toEqual(
          ref.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price]),
        );
        expect(fast.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity])).toEqual(
          ref.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity]),
        );
      }),
      runs(300),
    );
  });

  it('agrees on books of a few hundred orders, past the radix and fill-buffer thresholds', () => {
    // 300 orders a side: the ranking takes the radix path (≥ 256 rows) and matching makes more
    // than 64 fills, so its buffers grow.
    const rows = (side: 's' | 'c', n: number, seed: number) =>
      Array.from({ length: n }, (_, i) => {
        const x = (i * 7919 + seed) % 1009;
        return {
          id: `${side}${i}`,
          participant: `${side === 's' ? 'p' : 'h'}${x % 37}`,
          carrier: 'electricity' as const,
          quantity: `${1 + (x % 13)}.${x % 10}`,
          price: `0.${String(100 + ((x * 31) % 800)).padStart(3, '0')}`,
        };
      });
    // Mutation testing runs every test per mutant: one seed and config there.
    const quick = process.env['STRYKER'] !== undefined;
    for (const seed of quick ? [1] : [1, 2, 3]) {
      const book = { offers: rows('s', 300, seed), bids: rows('c', 300, seed + 11) };
      for (const config of quick ? [{}] : [{}, { ranking: 'unit-price' as const }]) {
        const cfg = parseConfig(config);
        const fast = clearCycle(book, cfg, { timestamp: T0 });
        const ref = referenceClear(book, cfg);
        expect(fast.trades.length).toBeGreaterThan(64);
        expect(fast.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price])).toEqual(
          ref.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price]),
        );
        expect(fast.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity])).toEqual(
          ref.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity]),
        );
      }
    }
  });
});

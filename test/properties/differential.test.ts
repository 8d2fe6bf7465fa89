/**
 * The fast engine against the reference engine (`clearCycleReference`, docs/rules.md as code):
 * the whole result — every trade, pool purchase, pool trade, outcome, account and the block — the
 * same bytes, on books made to stress the fast engine's data structures. The shared suite
 * (test/reference/shared.test.ts) covers every config value; these books go where the fast
 * engine takes other paths: sums past 2^53, many offers of one participant, radix sorts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClearingConfig,
  clearCycle,
  clearCycleReference,
  type OrderBook,
  parseConfig,
  type ResolvedConfig,
} from '../../src/index.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { runs, T0 } from '../helpers/books.js';

/** Both engines' results, which must be the same bytes; the fast engine's is returned. */
function bothEngines(book: OrderBook, config: ClearingConfig | ResolvedConfig) {
  const fast = clearCycle(book, config, { timestamp: T0 });
  const reference = clearCycleReference(book, config, { timestamp: T0 });
  const fastJson = JSON.stringify(fast);
  const referenceJson = JSON.stringify(reference);
  // A readable diff first; then the bytes, key order included.
  if (referenceJson !== fastJson) expect(JSON.parse(referenceJson)).toEqual(JSON.parse(fastJson));
  expect(referenceJson).toBe(fastJson);
  return fast;
}

describe('fast engine = reference engine', () => {
  it('scenario 1, pool and scenario 2 agree on thousands of small books (ties, all-or-none, self-trade pairs)', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        // The resolved config too: clearCycle takes it as it is, the reference re-reads it.
        bothEngines(book, parseConfig(config));
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
        bothEngines({ offers, bids }, config);
      }),
      runs(500),
    );
  });

  it('agrees on larger books where many offers share one participant', () => {
    fc.assert(
      fc.property(bookArb({ max: 60 }), configArb, (book, config) => {
        bothEngines(book, config);
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
        const fast = bothEngines(book, config);
        expect(fast.trades.length).toBeGreaterThan(64);
      }
    }
  });
});

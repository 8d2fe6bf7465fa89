/**
 * Properties of `mechanism: "welfare-optimal"` (docs/rules.md §4, issue #20): its cycle keeps
 * every rule of docs/rules.md, its P2P gains are the constrained optimum — equal, as an exact
 * fraction, to an independent optimiser (a bigint simplex over every compatible pair, each subset
 * of all-or-none bids in or out: test/helpers/lp.ts) — never below any other mechanism's on the
 * same book, and the result does not depend on the order of the book.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocationQuality,
  type ClearingConfig,
  type CycleResult,
  clearCycle,
  type OrderBook,
} from '../../src/index.js';
import { bookArb, configArb, shuffleBook, withExplicitSeq } from '../helpers/arbitraries.js';
import { runs, T0 } from '../helpers/books.js';
import { cmp, fromDecimal, referenceOptimum } from '../helpers/lp.js';

const D = Decimal.clone({ precision: 200 });
const sum = (xs: readonly string[]) => xs.reduce((a, x) => a.plus(x), new D(0));
const OPTIMAL = { mechanism: 'welfare-optimal' } as const;
const optimalConfigArb = configArb.map((c): ClearingConfig => ({ ...c, ...OPTIMAL }));

/** Every other scenario 1 rule: jin2021 under both rankings and every pricing, the uniform price. */
const OTHERS: readonly ClearingConfig[] = [
  ...(['value', 'unit-price'] as const).flatMap((ranking) =>
    (['midpoint', 'ask', 'bid', { k: '0.25' }] as const).map(
      (pricing): ClearingConfig => ({ ranking, pricing }),
    ),
  ),
  { mechanism: 'uniform-price' },
];

/** Σ (bid price − offer price) × quantity over a cycle's P2P trades of one carrier. */
function p2pGains(book: OrderBook, r: CycleResult, carrier: string): Decimal {
  const bids = new Map(book.bids.map((b) => [b.id, b]));
  const offers = new Map(book.offers.map((o) => [o.id, o]));
  return r.trades
    .filter((t) => t.carrier === carrier)
    .reduce(
      (g, t) =>
        g.plus(
          new D(bids.get(t.bidId)!.price).minus(offers.get(t.offerId)!.price).times(t.quantity),
        ),
      new D(0),
    );
}

describe('welfare-optimal: the cycle keeps every rule of docs/rules.md', () => {
  it('capacity, prices, no self-trade, all-or-none whole, conservation of energy and money', () => {
    fc.assert(
      fc.property(bookArb(), optimalConfigArb, (book, config) => {
        const r = clearCycle(book, config, { timestamp: T0 });
        const bids = new Map(book.bids.map((b) => [b.id, b]));
        const offers = new Map(book.offers.map((o) => [o.id, o]));
        const seen = new Set<string>();
        for (const t of r.trades) {
          const b = bids.get(t.bidId)!;
          const o = offers.get(t.offerId)!;
          // §4: compatible pairs only, and ask ≤ price ≤ bid at the configured pricing rule.
          expect(o.carrier).toBe(b.carrier);
          expect(o.participant).not.toBe(b.participant);
          expect(new D(o.price).lte(t.price) && new D(t.price).lte(b.price)).toBe(true);
          expect(new D(t.quantity).gt(0)).toBe(true);
          expect(new D(t.amount).eq(new D(t.price).times(t.quantity))).toBe(true);
          // One trade a pair.
          expect(seen.has(`${t.bidId}/${t.offerId}`)).toBe(false);
          seen.add(`${t.bidId}/${t.offerId}`);
        }
        for (const o of book.offers) {
          const sold = sum(r.trades.filter((t) => t.offerId === o.id).map((t) => t.quantity));
          expect(sold.lte(o.quantity)).toBe(true);
        }
        for (const b of book.bids) {
          const p2p = sum(r.trades.filter((t) => t.bidId === b.id).map((t) => t.quantity));
          const all = p2p.plus(
            sum(r.poolTrades.filter((t) => t.bidId === b.id).map((t) => t.quantity)),
          );
          expect(all.lte(b.quantity)).toBe(true);
          if (b.allOrNone === true) {
            expect(p2p.isZero() || p2p.eq(b.quantity)).toBe(true);
            expect(all.isZero() || all.eq(b.quantity)).toBe(true);
          }
        }
        // §10 conservation, and §9: money conserved to the last digit.
        for (const o of r.offerOutcomes)
          expect(sum([o.p2pSold, o.absorbed, o.unsold]).eq(o.quantity)).toBe(true);
        for (const b of r.bidOutcomes)
          expect(sum([b.p2pFilled, b.poolFilled, b.unfilled]).eq(b.quantity)).toBe(true);
        const s = r.settlement;
        expect(
          new D(s.paidByConsumers).eq(new D(s.receivedBySuppliers).plus(s.platform.income)),
        ).toBe(true);
      }),
      runs(1000),
    );
  });

  it('says why a bid is short (docs/rules.md §7), and never that it was outranked', () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const r = clearCycle(book, OPTIMAL, { timestamp: T0 });
        for (const outcome of r.bidOutcomes) {
          const b = book.bids.find((x) => x.id === outcome.bidId)!;
          // All the compatible supply of the book, before any trade.
          const compatible = sum(
            book.offers
              .filter(
                (o) =>
                  o.carrier === b.carrier &&
                  o.participant !== b.participant &&
                  new D(o.price).lte(b.price),
              )
              .map((o) => o.quantity),
          );
          const short = !new D(outcome.p2pFilled).eq(b.quantity);
          expect(outcome.reason === undefined).toBe(!short);
          if (!short) continue;
          expect(outcome.reason).not.toBe('outranked');
          if (outcome.reason === 'optimum_elsewhere')
            expect(compatible.gt(outcome.p2pFilled)).toBe(true);
          if (outcome.reason === 'all_or_none_unfillable') {
            expect(b.allOrNone).toBe(true);
            expect(compatible.gt(0) && compatible.lt(b.quantity)).toBe(true);
          }
          if (outcome.reason === 'insufficient_supply')
            expect(compatible.eq(outcome.p2pFilled) && compatible.gt(0)).toBe(true);
          if (outcome.reason === 'no_compatible_offer' || outcome.reason === 'self_trade_only')
            expect(compatible.isZero()).toBe(true);
        }
      }),
      runs(1000),
    );
  });
});

describe('welfare-optimal realises the constrained optimum', () => {
  it('equals an independent optimiser (exact simplex, every all-or-none subset) on random books', () => {
    fc.assert(
      fc.property(bookArb({ max: 6, storage: false }), (book) => {
        const r = clearCycle(book, OPTIMAL, { timestamp: T0 });
        const carriers = new Set([...book.offers, ...book.bids].map((o) => o.carrier));
        for (const carrier of carriers) {
          const lp = referenceOptimum(book, carrier);
          const gains = fromDecimal(p2pGains(book, r, carrier).toFixed());
          expect(cmp(gains, lp), `${carrier}: ${gains.n}/${gains.d} vs ${lp.n}/${lp.d}`).toBe(0);
        }
      }),
      runs(400),
    );
  });

  it('its P2P gains are allocationQuality’s constrained optimum, never below any other mechanism’s', () => {
    fc.assert(
      fc.property(bookArb(), optimalConfigArb, (book, config) => {
        const r = clearCycle(book, config, { timestamp: T0 });
        for (const w of allocationQuality(book, r, config)) {
          expect(w.constrainedProven).toBe(true);
          expect(w.p2pWelfare).toBe(w.constrainedOptimum);
          for (const other of OTHERS) {
            const o = clearCycle(book, other, { timestamp: T0 });
            expect(
              p2pGains(book, o, w.carrier).lte(w.p2pWelfare),
              `${JSON.stringify(other)} on ${w.carrier}`,
            ).toBe(true);
          }
        }
      }),
      runs(300),
    );
  });

  it('trades the same pairs whatever the ranking and pricing: they only order and price them', () => {
    fc.assert(
      fc.property(bookArb(), optimalConfigArb, (book, config) => {
        const pairs = (c: ClearingConfig) =>
          clearCycle(book, c, { timestamp: T0 })
            .trades.map((t) => `${t.bidId}/${t.offerId}/${t.quantity}`)
            .sort();
        expect(pairs(config)).toEqual(pairs(OPTIMAL));
      }),
      runs(300),
    );
  });
});

describe('welfare-optimal does not depend on the order of the book', () => {
  it('shuffled with the same seq: the same trades, pool trades, settlement and block hash', () => {
    fc.assert(
      fc.property(
        bookArb().map(withExplicitSeq),
        optimalConfigArb,
        fc.infiniteStream(fc.nat()),
        (book, config, rand) => {
          const shuffled = shuffleBook(book, rand);
          const a = clearCycle(book, config, { timestamp: T0 });
          const b = clearCycle(shuffled, config, { timestamp: T0 });
          expect(b.trades).toEqual(a.trades);
          expect(b.poolTrades).toEqual(a.poolTrades);
          expect(b.settlement).toEqual(a.settlement);
          expect(b.block.hash).toBe(a.block.hash);
        },
      ),
      runs(500),
    );
  });

  it('shuffled without seq: the same gains (the order only breaks ties)', () => {
    fc.assert(
      fc.property(bookArb(), fc.infiniteStream(fc.nat()), (book, rand) => {
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const a = xs.slice();
          for (let i = a.length - 1; i > 0; i--) {
            const j = rand.next().value % (i + 1);
            [a[i], a[j]] = [a[j]!, a[i]!];
          }
          return a;
        };
        const strip = (b: OrderBook): OrderBook => ({
          offers: shuffle(b.offers.map(({ seq: _s, ...o }) => o)),
          bids: shuffle(b.bids.map(({ seq: _s, ...x }) => x)),
        });
        const a = strip(book);
        const b = strip(book);
        const ra = clearCycle(a, OPTIMAL, { timestamp: T0 });
        const rb = clearCycle(b, OPTIMAL, { timestamp: T0 });
        for (const carrier of ['electricity', 'heat'])
          expect(p2pGains(b, rb, carrier).eq(p2pGains(a, ra, carrier))).toBe(true);
      }),
      runs(300),
    );
  });
});

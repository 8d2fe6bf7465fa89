/**
 * `mechanism: "welfare-optimal"` on books whose answer is known by hand: the worked example, the
 * issue's book where the uniform price trades nothing, all-or-none bids, and a book whose
 * all-or-none search cannot finish within its budget.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { nodeBudget } from '../../src/engine/optimal.js';
import {
  allocationQuality,
  clearCycle,
  constrainedOptimum,
  type OrderBook,
} from '../../src/index.js';
import { bid, offer, T0, WORKED_EXAMPLE } from '../helpers/books.js';

const OPTIMAL = { mechanism: 'welfare-optimal' } as const;

const tradesOf = (book: OrderBook, config: object) =>
  clearCycle(book, config, { timestamp: T0 }).trades.map((t) => [
    t.bidId,
    t.offerId,
    t.quantity,
    t.price,
  ]);

describe('welfare-optimal mechanism', () => {
  it('clears the worked example at the optimum (1.65), priced by the pricing rule, in Eq. 1 order', () => {
    const r = clearCycle(WORKED_EXAMPLE, OPTIMAL, { timestamp: T0 });
    // s1's 10 units at 0.30 go to the three bids; s2 (0.40) and s3 (0.50) would only trade at a
    // thinner margin. The trades come in the paper's bid order c2, c3, c1 (docs/rules.md §12),
    // each at the midpoint of its bid and ask, with the priority commission of that rank.
    expect(r.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price, t.consumerFee])).toEqual([
      ['c2', 's1', '3', '0.325', '0.004875'],
      ['c3', 's1', '3', '0.45', '0.016875'],
      ['c1', 's1', '4', '0.375', '0.03'],
    ]);
    expect(r.bidOutcomes.find((b) => b.bidId === 'c2')).toMatchObject({
      p2pFilled: '3',
      reason: 'optimum_elsewhere',
    });
    const [w] = allocationQuality(WORKED_EXAMPLE, r);
    expect(w).toMatchObject({ p2pWelfare: '1.65', efficiency: '1', constrainedEfficiency: '1' });
    // s2 and s3 stay priced below the pool's 0.43 or above it, as under any mechanism.
    expect(r.poolPurchases.map((p) => [p.offerId, p.quantity])).toEqual([['s2', '5']]);
  });

  it('prices with k and orders by the configured ranking; the allocation stays the same', () => {
    expect(
      tradesOf(WORKED_EXAMPLE, { ...OPTIMAL, ranking: 'unit-price', pricing: { k: '0.25' } }),
    ).toEqual([
      ['c3', 's1', '3', '0.375'],
      ['c1', 's1', '4', '0.3375'],
      ['c2', 's1', '3', '0.3125'],
    ]);
  });

  it("the issue's book: the uniform price trades nothing, the optimum trades both other pairs", () => {
    const book: OrderBook = {
      offers: [offer('s1', 'p1', '1', '0.1'), offer('s2', 'p2', '1', '0.5')],
      bids: [bid('c1', 'p1', '1', '0.6'), bid('c2', 'p3', '1', '0.2')],
    };
    expect(tradesOf(book, OPTIMAL)).toEqual([
      ['c1', 's2', '1', '0.55'],
      ['c2', 's1', '1', '0.15'],
    ]);
    const uniform = clearCycle(book, { mechanism: 'uniform-price' }, { timestamp: T0 });
    expect(uniform.trades).toEqual([]);
    // c1's only offer at or below the clearing price (0.35) is its own.
    expect(uniform.bidOutcomes.map((b) => b.reason)).toEqual([
      'self_trade_only',
      'below_clearing_price',
    ]);
    const optimal = clearCycle(book, OPTIMAL, { timestamp: T0 });
    expect(allocationQuality(book, optimal)[0]).toMatchObject({
      p2pWelfare: '0.2',
      constrainedEfficiency: '1',
    });
  });

  it('beats merit order where the first bidder takes the offer the second one needed', () => {
    // c1 takes the cheapest offer, s1; the offer left, s2, is c2's own. Every first-order rule
    // and the uniform price gain 0.5; the optimum pairs c1–s2 and c2–s1 (0.85).
    const book: OrderBook = {
      offers: [offer('s1', 'p2', '1', '0.1'), offer('s2', 'p3', '1', '0.2')],
      bids: [bid('c1', 'p1', '1', '0.6'), bid('c2', 'p3', '1', '0.55')],
    };
    for (const config of [{}, { ranking: 'unit-price' }, { mechanism: 'uniform-price' }] as const) {
      const r = clearCycle(book, config, { timestamp: T0 });
      expect(allocationQuality(book, r, config)[0]).toMatchObject({
        p2pWelfare: '0.5',
        constrainedOptimum: '0.85',
        constrainedEfficiency: '0.588235',
      });
    }
    expect(tradesOf(book, OPTIMAL)).toEqual([
      ['c1', 's2', '1', '0.4'],
      ['c2', 's1', '1', '0.325'],
    ]);
  });

  it('leaves out the all-or-none bid the optimum cannot afford, and says why', () => {
    // One offer of 3: c1 (2 at 0.5) and c2 (2 at 0.4) cannot both fill whole; c1 gains more.
    // c3 wants 4 all-or-none: no allocation fills it whole (only 3 compatible units exist).
    const book: OrderBook = {
      offers: [offer('s1', 'p1', '3', '0.1')],
      bids: [
        bid('c1', 'h1', '2', '0.5', { allOrNone: true }),
        bid('c2', 'h2', '2', '0.4', { allOrNone: true }),
        bid('c3', 'h3', '4', '0.45', { allOrNone: true }),
        bid('c4', 'h4', '1', '0.2'),
      ],
    };
    const r = clearCycle(book, OPTIMAL, { timestamp: T0 });
    expect(r.trades.map((t) => [t.bidId, t.offerId, t.quantity])).toEqual([
      ['c1', 's1', '2'],
      ['c4', 's1', '1'],
    ]);
    expect(Object.fromEntries(r.bidOutcomes.map((b) => [b.bidId, b.reason]))).toEqual({
      c1: undefined,
      c2: 'optimum_elsewhere',
      c3: 'all_or_none_unfillable',
      c4: undefined,
    });
  });

  it('a participant never trades with itself, even where that is the only gain', () => {
    const book = { offers: [offer('s1', 'p', '5', '0.1')], bids: [bid('c1', 'p', '5', '0.9')] };
    const r = clearCycle(book, OPTIMAL, { timestamp: T0 });
    expect(r.trades).toEqual([]);
    expect(r.bidOutcomes[0]!.reason).toBe('self_trade_only');
  });
});

describe('welfare-optimal when the all-or-none search runs out of budget', () => {
  it('scales the budget with the carrier: about 4·10^6 order visits, 3 to 10 000 relaxations', () => {
    expect(nodeBudget(0)).toBe(10_000);
    expect(nodeBudget(400)).toBe(10_000);
    expect(nodeBudget(401)).toBe(9975);
    expect(nodeBudget(200_000)).toBe(20);
    expect(nodeBudget(2_000_000)).toBe(3);
  });

  it('clears at the best allocation found, as constrainedOptimum with the same budget reports it', () => {
    // A subset sum no allocation can meet: 21 units for all-or-none bids of 2. Every relaxation
    // sells all 21 (gains 8.4), every allocation at most 20 (gains 8): the search can never prove
    // its best, and stops at the budget (10 000 relaxations for 21 orders).
    const book: OrderBook = {
      offers: [offer('s', 'p', '21', '0.1')],
      bids: Array.from({ length: 20 }, (_, i) =>
        bid(`c${i}`, `h${i}`, '2', '0.5', { allOrNone: true }),
      ),
    };
    const budget = nodeBudget(21);
    const [o] = constrainedOptimum(book, {}, { maxNodes: budget });
    expect(o).toMatchObject({ gains: '8', bound: '8.4', proven: false, nodes: budget });
    const r = clearCycle(book, OPTIMAL, { timestamp: T0 });
    expect(allocationQuality(book, r, OPTIMAL, { maxNodes: budget })[0]).toMatchObject({
      p2pWelfare: '8',
      constrainedOptimum: '8',
      constrainedProven: false,
    });
    // The same allocation: bid by bid, what each filled.
    const filled = (pairs: ReadonlyArray<{ bidId: string; quantity: string }>) => {
      const m = new Map<string, string>();
      for (const p of pairs)
        m.set(p.bidId, new Decimal(m.get(p.bidId) ?? 0).plus(p.quantity).toString());
      return m;
    };
    expect(filled(r.trades)).toEqual(filled(o!.pairs));
    for (const b of r.bidOutcomes) expect(['0', '2']).toContain(b.p2pFilled);
  });
});

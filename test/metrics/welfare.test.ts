import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationQuality, clearCycle, type OrderBook } from '../../src/index.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { AUCTIONS, findEqBook, findEqCases } from '../helpers/auctions.js';
import { runs, T0, WORKED_EXAMPLE } from '../helpers/books.js';

const FIXTURES = AUCTIONS;

describe('allocationQuality', () => {
  it('on the worked example: the paper ranking trades more but realises 60.6 % of the gains', () => {
    const [w] = allocationQuality(
      WORKED_EXAMPLE,
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }),
    );
    // P2P gains: c2–s1 8 × 0.05 + c3–s3 2 × 0.10 + c3–s2 1 × 0.20 + c1–s2 4 × 0.05 = 1.0.
    // Equilibrium: c3 takes 3 of s1 (0.90), c1 4 of s1 (0.60), c2 3 of s1 (0.15) = 1.65 on 10 units.
    expect(w).toEqual({
      carrier: 'electricity',
      p2pWelfare: '1',
      poolWelfare: '0',
      optimum: '1.65',
      efficiency: '0.606061',
      volume: '15',
      optimalVolume: '10',
      unserved: '0',
      // No self-trade pair, no all-or-none bid: the rules cost nothing here.
      constrainedOptimum: '1.65',
      constrainedBound: '1.65',
      constrainedEfficiency: '0.606061',
      constrainedProven: true,
    });
    const [merit] = allocationQuality(
      WORKED_EXAMPLE,
      clearCycle(WORKED_EXAMPLE, { ranking: 'unit-price' }, { timestamp: T0 }),
    );
    expect(merit).toMatchObject({
      p2pWelfare: '1.65',
      efficiency: '1',
      volume: '10',
      constrainedEfficiency: '1',
    });
  });

  it('efficiency ≤ 1 on every book: the optimum bounds every allocation', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        for (const w of allocationQuality(
          book,
          clearCycle(book, config, { timestamp: T0 }),
          config,
        )) {
          expect(new Decimal(w.p2pWelfare).lte(w.optimum)).toBe(true);
          expect(new Decimal(w.p2pWelfare).gte(0)).toBe(true);
          if (w.efficiency !== null) expect(new Decimal(w.efficiency).lte(1)).toBe(true);
        }
      }),
      runs(1000),
    );
  });

  it('unit-price ranking reaches the optimum on divisible books without self-trade pairs', () => {
    fc.assert(
      fc.property(bookArb({ allOrNone: false }), (raw) => {
        // Sellers and buyers are different people: no self-trade pair.
        const book: OrderBook = {
          offers: raw.offers.map((o) => ({ ...o, participant: `seller-${o.participant}` })),
          bids: raw.bids.map((b) => ({ ...b, participant: `buyer-${b.participant}` })),
        };
        for (const w of allocationQuality(
          book,
          clearCycle(book, { ranking: 'unit-price' }, { timestamp: T0 }),
        )) {
          expect(w.p2pWelfare).toBe(w.optimum);
          expect(w.volume).toBe(w.optimalVolume);
        }
      }),
      runs(1000),
    );
  });
});

describe('find-eq: 23 unit-demand competitive equilibria (mrpg/find-eq)', () => {
  const cases = findEqCases();
  it('holds 23 cases', () => expect(cases).toHaveLength(23));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const book = findEqBook(c);
    const q = c.expected === null ? 0 : c.expected.quantity;
    const quality = (ranking: 'value' | 'unit-price') =>
      allocationQuality(book, clearCycle(book, { ranking }, { timestamp: T0 }))[0];
    const merit = quality('unit-price');
    const paper = quality('value');
    if (merit === undefined) {
      expect(q).toBe(0); // no orders at all
      return;
    }
    expect(merit.optimalVolume).toBe(String(q));
    expect(merit.volume).toBe(String(q));
    expect(Number(paper!.volume)).toBeLessThanOrEqual(q);
    // The optimum is the sum of the q highest bids minus the q lowest asks.
    const top = [...c.bids].sort((x, y) => new Decimal(y).comparedTo(x)).slice(0, q);
    const low = [...c.asks].sort((x, y) => new Decimal(x).comparedTo(y)).slice(0, q);
    const bound = top
      .reduce((s, x) => s.plus(x), new Decimal(0))
      .minus(low.reduce((s, x) => s.plus(x), new Decimal(0)));
    expect(new Decimal(merit.optimum).eq(bound)).toBe(true);
    expect(new Decimal(paper!.p2pWelfare).lte(bound)).toBe(true);
  });
});

describe('pymarket: maximum volume and maximum welfare bounds (gus0k/pymarket)', () => {
  const data = JSON.parse(readFileSync(join(FIXTURES, 'pymarket.json'), 'utf8')) as {
    datasets: Record<
      string,
      {
        bids?: Array<{
          index: number;
          quantity: string;
          price: string;
          user: number;
          side: string;
        }>;
        expected?: Record<string, unknown>;
      }
    >;
  };
  const usable = Object.entries(data.datasets).filter(
    ([, d]) => Array.isArray(d.bids) && d.expected?.['maximum_aggregated_utility'] !== undefined,
  );
  it('has cases with both bounds', () => expect(usable.length).toBeGreaterThan(0));
  it.each(usable)('%s', (_name, d) => {
    const book: OrderBook = {
      offers: d
        .bids!.filter((b) => b.side === 'sell')
        .map((b) => ({
          id: `o${b.index}`,
          participant: `u${b.user}`,
          carrier: 'electricity',
          quantity: b.quantity,
          price: b.price,
        })),
      bids: d
        .bids!.filter((b) => b.side === 'buy')
        .map((b) => ({
          id: `b${b.index}`,
          participant: `u${b.user}`,
          carrier: 'electricity',
          quantity: b.quantity,
          price: b.price,
        })),
    };
    for (const config of [
      { ranking: 'value' },
      { ranking: 'unit-price' },
      { mechanism: 'uniform-price' },
    ] as const) {
      const [w] = allocationQuality(book, clearCycle(book, config, { timestamp: T0 }));
      expect(new Decimal(w!.optimum).eq(d.expected!['maximum_aggregated_utility'] as string)).toBe(
        true,
      );
      expect(new Decimal(w!.volume).lte(d.expected!['maximum_traded_volume'] as string)).toBe(true);
      expect(new Decimal(w!.p2pWelfare).lte(w!.optimum)).toBe(true);
    }
  });
});

describe("simply's documented example (BESTenergytrade/simply)", () => {
  const d = JSON.parse(readFileSync(join(FIXTURES, 'simply-doc-example.json'), 'utf8')) as {
    orders: Array<{ order_id: number; type: string; actor: number; energy: string; price: string }>;
    expected: {
      pay_as_bid: Array<{ bid: number; ask: number; price: string }>;
      pay_as_bid_unmatched_bids: number[];
      two_sided_pay_as_clear_with_grid_fee_matrix_1: Array<{ price: string }>;
    };
  };
  const book = (askFee: string): OrderBook => ({
    offers: d.orders
      .filter((o) => o.type === 'ask')
      .map((o) => ({
        id: String(o.order_id),
        participant: `a${o.actor}`,
        carrier: 'electricity',
        quantity: o.energy,
        price: new Decimal(o.price).plus(askFee).toFixed(),
        seq: o.order_id,
      })),
    bids: d.orders
      .filter((o) => o.type === 'bid')
      .map((o) => ({
        id: String(o.order_id),
        participant: `a${o.actor}`,
        carrier: 'electricity',
        quantity: o.energy,
        price: o.price,
        seq: o.order_id,
      })),
  });

  it('pay-as-bid: the same bids and asks trade at the same prices (pairing of equal bids aside)', () => {
    const r = clearCycle(book('0'), { ranking: 'unit-price', pricing: 'bid' }, { timestamp: T0 });
    const expected = d.expected.pay_as_bid;
    expect(r.trades.map((t) => t.bidId).sort()).toEqual(expected.map((e) => String(e.bid)).sort());
    expect(r.trades.map((t) => t.offerId).sort()).toEqual(
      expected.map((e) => String(e.ask)).sort(),
    );
    expect(r.trades.every((t) => t.price === '10')).toBe(true);
    expect(r.consumerIdRest).toEqual(d.expected.pay_as_bid_unmatched_bids.map(String));
  });

  it("pay-as-clear with a grid fee of 1: the same volume; simply's 7 is the bottom of our equilibrium interval [7, 10]", () => {
    const r = clearCycle(book('1'), { mechanism: 'uniform-price' }, { timestamp: T0 });
    expect(r.trades).toHaveLength(d.expected.two_sided_pay_as_clear_with_grid_fee_matrix_1.length);
    // We clear at the interval's midpoint; simply at its lower end. Both clear the market.
    expect(r.trades.every((t) => t.price === '8.5')).toBe(true);
    expect(
      d.expected.two_sided_pay_as_clear_with_grid_fee_matrix_1.every((e) => e.price === '7'),
    ).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { clearCycle } from '../../src/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { once } from '../helpers/once.js';

describe('docs/rules.md §12 worked example (default config)', () => {
  const cleared = once(() => clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }));

  it('matches c2, c3 then c1 against s1, s3, s2 at midpoint prices', () => {
    const r = cleared();
    expect(r.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price, t.amount])).toEqual([
      ['c2', 's1', '8', '0.325', '2.6'],
      ['c3', 's3', '2', '0.55', '1.1'],
      ['c3', 's2', '1', '0.5', '0.5'],
      ['c1', 's2', '4', '0.425', '1.7'],
    ]);
  });

  it('charges the priority commission by bid rank: c2 0.5 %, c3 1.25 %, c1 2 %', () => {
    const r = cleared();
    expect(r.trades.map((t) => [t.supplierFee, t.consumerFee])).toEqual([
      ['0.013', '0.013'], // 0.005 × 2.6
      ['0.01375', '0.01375'], // 0.0125 × 1.1
      ['0.00625', '0.00625'], // 0.0125 × 0.5
      ['0.034', '0.034'], // 0.02 × 1.7
    ]);
  });

  it("sends s1's idle 2 units to the pool at 0.43 and leaves no bid", () => {
    const r = cleared();
    expect(r.poolPurchases).toEqual([
      {
        offerId: 's1',
        seller: 'p1',
        carrier: 'electricity',
        quantity: '2',
        price: '0.43',
        amount: '0.86',
      },
    ]);
    expect(r.supplyIdPool).toEqual(['s1']);
    expect(r.consumerIdRest).toEqual([]);
    expect(r.poolTrades).toEqual([]);
    expect(r.unsold).toEqual([]);
    expect(r.counters).toEqual({ p2pTrades: 4, p2pFailedBids: 0, poolTrades: 0, unservedBids: 0 });
  });

  it('conserves energy per carrier', () => {
    const r = cleared();
    expect(r.carriers).toHaveLength(1);
    expect(r.carriers[0]).toMatchObject({
      offered: '17',
      demanded: '15',
      p2pVolume: '15',
      absorbed: '2',
      unsold: '0',
      unserved: '0',
    });
  });

  it('settles every account exactly', () => {
    const r = cleared();
    const acc = Object.fromEntries(r.settlement.participants.map((p) => [p.participant, p]));
    expect(acc['h1']).toMatchObject({
      purchases: '1.7',
      consumerFees: '0.034',
      paid: '1.734',
      net: '-1.734',
    });
    expect(acc['h2']).toMatchObject({
      purchases: '2.6',
      consumerFees: '0.013',
      paid: '2.613',
      net: '-2.613',
    });
    expect(acc['h3']).toMatchObject({
      purchases: '1.6',
      consumerFees: '0.02',
      paid: '1.62',
      net: '-1.62',
    });
    // p1: 2.6 P2P + 0.86 pool − 0.013 fee. Half-even at 4 decimals: p2 2.15975 → 2.1598 (up to
    // even), p3 1.08625 → 1.0862 (down to even); the two residues cancel.
    expect(acc['p1']).toMatchObject({
      sales: '3.46',
      supplierFees: '0.013',
      received: '3.447',
      net: '3.447',
    });
    expect(acc['p2']).toMatchObject({
      sales: '2.2',
      supplierFees: '0.04025',
      received: '2.1598',
      net: '2.1598',
    });
    expect(acc['p3']).toMatchObject({
      sales: '1.1',
      supplierFees: '0.01375',
      received: '1.0862',
      net: '1.0862',
    });
    expect(r.settlement.paidByConsumers).toBe('5.967');
    expect(r.settlement.receivedBySuppliers).toBe('6.693');
    expect(r.settlement.platform).toEqual({
      commissions: '0.134',
      poolPurchases: '0.86',
      poolSales: '0',
      storageSales: '0',
      gridSales: '0',
      roundingResidue: '0',
      income: '-0.726',
    });
  });

  it('reports every order as filled, with s1 partly pooled', () => {
    const r = cleared();
    expect(r.bidOutcomes.every((b) => b.status === 'filled' && b.reason === undefined)).toBe(true);
    expect(r.offerOutcomes).toEqual([
      {
        offerId: 's1',
        carrier: 'electricity',
        quantity: '10',
        p2pSold: '8',
        absorbed: '2',
        unsold: '0',
      },
      {
        offerId: 's2',
        carrier: 'electricity',
        quantity: '5',
        p2pSold: '5',
        absorbed: '0',
        unsold: '0',
      },
      {
        offerId: 's3',
        carrier: 'electricity',
        quantity: '2',
        p2pSold: '2',
        absorbed: '0',
        unsold: '0',
      },
    ]);
  });
});

describe('result lists built on first read', () => {
  it('are enumerable, built once, frozen, and in JSON like plain fields', () => {
    const r = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    for (const [owner, key] of [
      [r, 'trades'],
      [r, 'bidOutcomes'],
      [r, 'offerOutcomes'],
      [r.settlement, 'participants'],
    ] as const) {
      const d = Object.getOwnPropertyDescriptor(owner, key);
      expect(d?.enumerable).toBe(true);
      expect(typeof d?.get).toBe('function');
      const first = (owner as unknown as Record<string, unknown>)[key];
      expect((owner as unknown as Record<string, unknown>)[key]).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    }
    const json = JSON.parse(JSON.stringify(r));
    expect(Object.keys(json.settlement)).toEqual([
      'participants',
      'platform',
      'paidByConsumers',
      'receivedBySuppliers',
      'currencyScale',
    ]);
    expect(json.settlement.participants).toEqual(r.settlement.participants);
    expect(r.settlement.participants.map((p) => p.participant)).toEqual(
      [...r.settlement.participants.map((p) => p.participant)].sort(),
    );
    expect(Object.isFrozen(r.settlement)).toBe(true);
  });
});

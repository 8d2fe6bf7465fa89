import { describe, expect, it } from 'vitest';
import { clearCycle, type OrderBook } from '../../src/index.js';
import { bid, offer, T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { once } from '../helpers/once.js';

describe('scenario 2: leftover demand served from pool, storage and grid (Eq. 3)', () => {
  // c1 is all-or-none for 8 but only 7 is compatible P2P; h2 both sells (s2) and buys (c2).
  const book: OrderBook = {
    offers: [offer('s1', 'p1', '3', '0.20'), offer('s2', 'h2', '4', '0.10')],
    bids: [
      bid('c1', 'h1', '8', '0.50', { allOrNone: true }),
      bid('c2', 'h2', '2', '0.45'),
      bid('c3', 'h3', '1', '0.30'),
      bid('c4', 'h4', '1', '0.05'),
    ],
    storage: [{ id: 'bat', carrier: 'electricity', quantity: '2', price: '0.44' }],
  };
  const cleared = once(() => clearCycle(book, { gridPrice: '0.48' }, { timestamp: T0 }));

  it('scenario 1: the all-or-none bid takes nothing, h2 never buys its own offer', () => {
    const r = cleared();
    // Eq. 1: c1 (4), c2 (0.9), c3 (0.3), c4 (0.05). Eq. 2: s2 (0.4), s1 (0.6).
    expect(r.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price])).toEqual([
      ['c2', 's1', '2', '0.325'],
      ['c3', 's2', '1', '0.2'],
    ]);
  });

  it('the pool absorbs the idle remainders in Eq. 2 order', () => {
    const r = cleared();
    expect(r.poolPurchases.map((p) => [p.offerId, p.quantity, p.price, p.amount])).toEqual([
      ['s2', '3', '0.43', '1.29'],
      ['s1', '1', '0.43', '0.43'],
    ]);
    expect(r.supplyIdPool).toEqual(['s2', 's1']);
  });

  it('c1 is then filled whole from lots in Eq. 3 order: s1 (0.43), bat (0.88), s2 (1.29), grid last', () => {
    const r = cleared();
    expect(
      r.poolTrades.map((t) => [t.bidId, t.lotId, t.source, t.quantity, t.price, t.amount]),
    ).toEqual([
      ['c1', 's1', 'pool', '1', '0.43', '0.43'],
      ['c1', 'bat', 'storage', '2', '0.44', '0.88'],
      ['c1', 's2', 'pool', '3', '0.43', '1.29'],
      ['c1', 'grid', 'grid', '2', '0.48', '0.96'],
    ]);
    expect(r.consumerIdRest).toEqual(['c4']);
    expect(r.counters).toEqual({ p2pTrades: 2, p2pFailedBids: 2, poolTrades: 4, unservedBids: 1 });
  });

  it('explains every shortfall', () => {
    const r = cleared();
    const o = Object.fromEntries(r.bidOutcomes.map((b) => [b.bidId, b]));
    expect(o['c1']).toMatchObject({
      status: 'filled',
      p2pFilled: '0',
      poolFilled: '8',
      reason: 'all_or_none_unfillable',
    });
    expect(o['c1']!.poolReason).toBeUndefined();
    expect(o['c4']).toMatchObject({
      status: 'unfilled',
      reason: 'no_compatible_offer',
      poolReason: 'pool_price_above_bid',
    });
  });

  it('books the platform: pool bought 1.72, sold 1.72, storage 0.88, grid 0.96, fees by rank', () => {
    const r = cleared();
    // Rates by Eq. 1 rank among 4 bids: 0.5 %, 1 %, 1.5 %, 2 %. c2 (rank 1) pays 0.01 × 0.65; c3 (rank 2) 0.015 × 0.2.
    expect(r.trades.map((t) => t.consumerFee)).toEqual(['0.0065', '0.003']);
    expect(r.settlement.platform).toMatchObject({
      poolPurchases: '1.72',
      poolSales: '1.72',
      storageSales: '0.88',
      gridSales: '0.96',
      commissions: '0.019',
    });
    const c = r.carriers[0]!;
    expect(c).toMatchObject({
      offered: '7',
      demanded: '12',
      p2pVolume: '3',
      absorbed: '4',
      unsold: '0',
      poolVolume: '4',
      storageVolume: '2',
      gridVolume: '2',
      unserved: '1',
    });
  });
});

describe('pool options', () => {
  it('a capacity-limited pool absorbs up to its capacity in Eq. 2 order; the rest is unsold', () => {
    const r = clearCycle(
      WORKED_EXAMPLE,
      { poolCapacity: { electricity: '1.5' } },
      { timestamp: T0 },
    );
    expect(r.poolPurchases.map((p) => [p.offerId, p.quantity])).toEqual([['s1', '1.5']]);
    expect(r.unsold).toEqual([
      { offerId: 's1', carrier: 'electricity', quantity: '0.5', reason: 'pool_capacity' },
    ]);
    expect(r.offerOutcomes[0]).toMatchObject({
      p2pSold: '8',
      absorbed: '1.5',
      unsold: '0.5',
      reason: 'pool_capacity',
    });
  });

  it('by default an offer priced above the pool price stays unsold; absorb "all" takes it (paper literal mode)', () => {
    const book = {
      ...WORKED_EXAMPLE,
      offers: [...WORKED_EXAMPLE.offers, offer('s4', 'p4', '1', '0.90')],
    };
    const compatible = clearCycle(book, {}, { timestamp: T0 });
    expect(compatible.unsold).toEqual([
      { offerId: 's4', carrier: 'electricity', quantity: '1', reason: 'price_above_pool' },
    ]);
    expect(compatible.supplyIdPool).toEqual(['s1']);
    const all = clearCycle(book, { absorb: 'all' }, { timestamp: T0 });
    expect(all.unsold).toEqual([]);
    // Eq. 2 order of the idle offers: s4 (1 × 0.9 = 0.9) before s1 (10 × 0.3 = 3).
    expect(all.poolPurchases.map((p) => [p.offerId, p.quantity, p.price])).toEqual([
      ['s4', '1', '0.43'],
      ['s1', '2', '0.43'],
    ]);
  });

  it('pool buying and selling prices can be set apart, per carrier', () => {
    const book: OrderBook = {
      offers: [offer('s1', 'p1', '2', '0.10', { carrier: 'heat' })],
      bids: [bid('c1', 'p1', '1', '0.20', { carrier: 'heat' })], // self-trade only: p1 buys back from the pool
    };
    const r = clearCycle(
      book,
      { poolBuyPrice: { heat: '0.12' }, poolSellPrice: { heat: '0.15' } },
      { timestamp: T0 },
    );
    expect(r.poolPurchases.map((p) => [p.offerId, p.quantity, p.price])).toEqual([
      ['s1', '2', '0.12'],
    ]);
    expect(r.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity, t.price])).toEqual([
      ['c1', 's1', '1', '0.15'],
    ]);
    expect(r.bidOutcomes[0]).toMatchObject({ reason: 'self_trade_only', status: 'filled' });
    expect(r.settlement.platform).toMatchObject({
      poolPurchases: '0.24',
      poolSales: '0.15',
      income: '-0.09',
    });
  });
});

describe('settlement order', () => {
  it('lists participants in UTF-16 code-unit order, not locale order', () => {
    // 'Z' < 'a' < 'é' < '😀' (surrogates 0xD83D…) < '￮' (0xFFEE) by code unit.
    const names = ['￮', 'é', 'a', '😀', 'Z'];
    const book: OrderBook = {
      offers: names.map((n, i) => offer(`s${i}`, `${n}-s`, '1', '0.10')),
      bids: names.map((n, i) => bid(`c${i}`, `${n}-b`, '1', '0.50')),
    };
    const r = clearCycle(book, {}, { timestamp: T0 });
    expect(r.settlement.participants.map((p) => p.participant)).toEqual([
      'Z-b',
      'Z-s',
      'a-b',
      'a-s',
      'é-b',
      'é-s',
      '😀-b',
      '😀-s',
      '￮-b',
      '￮-s',
    ]);
  });
});

describe('settlement past 2^53', () => {
  it('sums energy and money exactly when a participant trades more than 2^53 micro-units', () => {
    // Ten orders of 10^9 at scale 6 are 10^16 scaled, beyond Number.MAX_SAFE_INTEGER (≈ 9.007e15).
    const n = 10;
    const book: OrderBook = {
      offers: Array.from({ length: n }, (_, i) => offer(`s${i}`, 'plant', '1000000000', '0.1')),
      bids: Array.from({ length: n }, (_, i) => bid(`c${i}`, 'city', '999999999.999999', '0.3')),
    };
    const r = clearCycle(book, { commission: { kind: 'none' } }, { timestamp: T0 });
    const city = r.settlement.participants.find((p) => p.participant === 'city')!;
    const plant = r.settlement.participants.find((p) => p.participant === 'plant')!;
    expect(city.energy.electricity).toEqual({ bought: '9999999999.99999', sold: '0' });
    // The plant's last 0.00001 goes to the pool.
    expect(plant.energy.electricity).toEqual({ bought: '0', sold: '10000000000' });
    // Midpoint 0.2 × 9,999,999,999.99999 = 1,999,999,999.999998.
    expect(city.purchases).toBe('1999999999.999998');
    expect(r.carriers[0]!.p2pVolume).toBe('9999999999.99999');
  });
});

import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { ClearingError, clearCycle, ValidationError } from '../../src/index.js';
import { bid, offer, T0 } from '../helpers/books.js';
import { thrown } from '../helpers/thrown.js';

describe('per-order outcomes name every reason', () => {
  it('insufficient supply P2P, then no pool supply; a dear offer unsold above the pool price', () => {
    // c1 takes all 4 of s1 (the only compatible supply) and wants 6 more; nothing idle reaches the
    // pool and there is no storage or grid, so the rest has no pool supply. s2 is too dear for c1
    // and for the pool (0.80 > 0.43).
    const r = clearCycle(
      {
        offers: [offer('s1', 'p1', '4', '0.30'), offer('s2', 'p2', '3', '0.80')],
        bids: [bid('c1', 'h1', '10', '0.50')],
      },
      {},
      { timestamp: T0 },
    );
    expect(r.bidOutcomes).toStrictEqual([
      {
        bidId: 'c1',
        carrier: 'electricity',
        quantity: '10',
        p2pFilled: '4',
        poolFilled: '0',
        unfilled: '6',
        status: 'partial',
        reason: 'insufficient_supply',
        poolReason: 'no_pool_supply',
      },
    ]);
    expect(r.offerOutcomes).toStrictEqual([
      {
        offerId: 's1',
        carrier: 'electricity',
        quantity: '4',
        p2pSold: '4',
        absorbed: '0',
        unsold: '0',
      },
      {
        offerId: 's2',
        carrier: 'electricity',
        quantity: '3',
        p2pSold: '0',
        absorbed: '0',
        unsold: '3',
        reason: 'price_above_pool',
      },
    ]);
  });

  it('pool exhausted, pool price above a bid, a filled bid without reasons, unfilled status', () => {
    // c1 (value 2.5) fills from s1 and then 1 from storage at 0.44 and still wants more: the pool
    // ran out. c2 bids 0.20, below every lot: the pool price is above its bid.
    const r = clearCycle(
      {
        offers: [offer('s1', 'p1', '2', '0.30')],
        bids: [
          bid('c1', 'h1', '5', '0.50'),
          bid('c2', 'h2', '1', '0.20'),
          bid('c3', 'h3', '1', '0.45'),
        ],
        storage: [{ id: 'bat', carrier: 'electricity', quantity: '1', price: '0.44' }],
      },
      {},
      { timestamp: T0 },
    );
    const byId = Object.fromEntries(r.bidOutcomes.map((o) => [o.bidId, o]));
    expect(byId['c1']).toMatchObject({
      p2pFilled: '2',
      poolFilled: '1',
      unfilled: '2',
      status: 'partial',
      reason: 'insufficient_supply',
      poolReason: 'pool_exhausted',
    });
    expect(byId['c2']).toMatchObject({
      p2pFilled: '0',
      poolFilled: '0',
      unfilled: '1',
      status: 'unfilled',
      reason: 'no_compatible_offer',
      poolReason: 'pool_price_above_bid',
    });
    // c3 bids exactly the cheapest lot's price, which c1 used up: exhausted, not above its bid
    // (the dearer lot at 0.55 does not make the pool's price "above" it either).
    expect(byId['c3']).toMatchObject({ unfilled: '1', poolReason: 'pool_exhausted' });
    expect(r.offerOutcomes[0]).toStrictEqual({
      offerId: 's1',
      carrier: 'electricity',
      quantity: '2',
      p2pSold: '2',
      absorbed: '0',
      unsold: '0',
    });
    // An order with nothing left carries no reason at all.
    const filled = clearCycle(
      { offers: [offer('s1', 'p1', '2', '0.30')], bids: [bid('c1', 'h1', '2', '0.50')] },
      {},
      { timestamp: T0 },
    );
    expect(filled.bidOutcomes[0]).toStrictEqual({
      bidId: 'c1',
      carrier: 'electricity',
      quantity: '2',
      p2pFilled: '2',
      poolFilled: '0',
      unfilled: '0',
      status: 'filled',
    });
  });

  it('absorbed offers need no reason; what the pool could not take says pool_capacity', () => {
    const r = clearCycle(
      { offers: [offer('s1', 'p1', '3', '0.30'), offer('s2', 'p2', '2', '0.20')], bids: [] },
      { poolCapacity: { electricity: '4' } },
      { timestamp: T0 },
    );
    const byId = Object.fromEntries(r.offerOutcomes.map((o) => [o.offerId, o]));
    // Eq. 2 ranks s2 (0.4) before s1 (0.9): s2 is absorbed whole, s1 for the 2 left.
    expect(byId['s2']).toStrictEqual({
      offerId: 's2',
      carrier: 'electricity',
      quantity: '2',
      p2pSold: '0',
      absorbed: '2',
      unsold: '0',
    });
    expect(byId['s1']).toMatchObject({ absorbed: '2', unsold: '1', reason: 'pool_capacity' });
    expect(r.carriers[0]).toMatchObject({ absorbed: '4', unsold: '1' });
  });
});

describe('more reasons', () => {
  it('self_trade_only when the only compatible offer, at exactly the bid price, is its own', () => {
    const r = clearCycle(
      {
        offers: [offer('s1', 'h1', '2', '0.10'), offer('s2', 'p2', '2', '0.11')],
        bids: [bid('c1', 'h1', '1', '0.10')],
      },
      {},
      { timestamp: T0 },
    );
    expect(r.bidOutcomes[0]?.reason).toBe('self_trade_only');
  });
  it('all_or_none_unfillable in scenario 2 when the lots cannot fill it whole', () => {
    const r = clearCycle(
      {
        offers: [],
        bids: [bid('c1', 'h1', '5', '0.50', { allOrNone: true })],
        storage: [{ id: 'bat', carrier: 'electricity', quantity: '1', price: '0.44' }],
      },
      {},
      { timestamp: T0 },
    );
    expect(r.bidOutcomes[0]).toMatchObject({
      reason: 'no_compatible_offer',
      poolReason: 'all_or_none_unfillable',
      unfilled: '5',
    });
  });
  it('absorbs nothing from an offer above the pool price unless absorb is all, then says capacity', () => {
    const book = {
      offers: [offer('s1', 'p1', '3', '0.30'), offer('s2', 'p2', '2', '0.50')],
      bids: [],
    };
    const some = clearCycle(book, { poolCapacity: { electricity: '1' } }, { timestamp: T0 });
    const reasons = (r: typeof some) =>
      Object.fromEntries(r.offerOutcomes.map((o) => [o.offerId, [o.absorbed, o.reason]]));
    // s1 (0.30 ≤ 0.43) is cut by the capacity; s2 (0.50) is above the pool price.
    expect(reasons(some)).toEqual({ s1: ['1', 'pool_capacity'], s2: ['0', 'price_above_pool'] });
    const all = clearCycle(
      book,
      { poolCapacity: { electricity: '1' }, absorb: 'all' },
      { timestamp: T0 },
    );
    // Absorbing all, the price does not matter: what is left over is the capacity's doing.
    expect(reasons(all)).toEqual({ s1: ['1', 'pool_capacity'], s2: ['0', 'pool_capacity'] });
  });
});

describe('exact past 2^53 in prices and fees', () => {
  it('a k with many decimals and large prices; fees on amounts past 2^53', () => {
    const D = Decimal.clone({ precision: 100 });
    const k = '0.123456789';
    const r = clearCycle(
      {
        offers: [offer('s1', 'p1', '1000000000', '999.5')],
        bids: [bid('c1', 'h1', '1000000000', '1000.25')],
      },
      { pricing: { k } },
      { timestamp: T0 },
    );
    const price = new D('999.5').plus(new D(k).times(new D('1000.25').minus('999.5')));
    const amount = price.times('1000000000');
    const fee = amount.times('0.005'); // the only bid: rank 0 pays minRate
    const t = r.trades[0]!;
    expect(t.price).toBe(price.toFixed());
    expect(t.amount).toBe(amount.toFixed());
    expect(t.consumerFee).toBe(fee.toFixed());
    expect(t.supplierFee).toBe(fee.toFixed());
    const h1 = r.settlement.participants.find((p) => p.participant === 'h1')!;
    expect(h1.paid).toBe(amount.plus(fee).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed());
    expect(r.settlement.platform.commissions).toBe(fee.times(2).toFixed());
  });
});

describe('accounts at scales below the currency scale', () => {
  it('an amount with fewer decimals than the currency keeps its value in every field', () => {
    // Quantities whole, prices to one decimal: amounts have one decimal, the currency four.
    const r = clearCycle(
      {
        offers: [offer('s1', 'p1', '100', '50')],
        bids: [bid('c1', 'h1', '100', '50')],
      },
      { limits: { quantityScale: 0, priceScale: 1 }, commission: { kind: 'none' } },
      { timestamp: T0 },
    );
    const [h1, p1] = ['h1', 'p1'].map(
      (name) => r.settlement.participants.find((p) => p.participant === name)!,
    );
    expect(h1).toMatchObject({ purchases: '5000', paid: '5000', received: '0', net: '-5000' });
    expect(p1).toMatchObject({ sales: '5000', paid: '0', received: '5000', net: '5000' });
    expect(r.settlement.paidByConsumers).toBe('5000');
  });
});

describe('carrier totals past 2^53 scaled units', () => {
  it('offered, demanded and the volumes are the exact sums', () => {
    // 10^9 at 6 decimals is 10^15 scaled: eleven of them pass 2^53 ≈ 9.007 × 10^15, and their
    // odd sum has no float of its own.
    const q = '999999999.999999';
    const offers = Array.from({ length: 11 }, (_, i) => offer(`s${i}`, `p${i}`, q, '0.1'));
    const bids = Array.from({ length: 11 }, (_, i) => bid(`c${i}`, `h${i}`, q, '0.2'));
    const r = clearCycle({ offers, bids }, {}, { timestamp: T0 });
    const c = r.carriers[0]!;
    const eleven = new Decimal(q).times(11).toFixed();
    expect(c.offered).toBe(eleven);
    expect(c.demanded).toBe(eleven);
    expect(c.p2pVolume).toBe(eleven);
  });
});

describe('clearCycle refuses bad options before any work', () => {
  it('options that are not an object, and a malformed timestamp', () => {
    const book = { offers: [], bids: [] };
    for (const options of [undefined, null, 42]) {
      const err = thrown(() => clearCycle(book, {}, options as never));
      expect(err).toBeInstanceOf(ClearingError);
      expect((err as ClearingError).code).toBe('invalid_option');
      expect((err as Error).message).toMatch(/^clearCycle needs options with a timestamp/);
    }
    const err = thrown(() => clearCycle(book, {}, { timestamp: '2026-01-01' }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      {
        path: 'timestamp',
        code: 'invalid_timestamp',
        message: expect.stringMatching(/2026-01-01/),
      },
    ]);
  });
});

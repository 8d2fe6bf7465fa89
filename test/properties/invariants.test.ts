import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feeCalculator } from '../../src/commission/commission.js';
import { format } from '../../src/decimal/fixed.js';
import {
  type Bid,
  type CycleResult,
  clearCycle,
  parseConfig,
  priorityRate,
} from '../../src/index.js';
import { bookArb, configArb, shuffleBook, withExplicitSeq } from '../helpers/arbitraries.js';
import { deepFreeze, runs, T0 } from '../helpers/books.js';

const D = Decimal.clone({ precision: 200 });
const sum = (xs: readonly string[]) => xs.reduce((a, x) => a.plus(x), new D(0));
const RUNS = runs(1000);

function byId<T extends { id: string }>(xs: readonly T[]): Map<string, T> {
  return new Map(xs.map((x) => [x.id, x]));
}

describe('scenario 1 invariants', () => {
  it('capacity: no offer or bid trades more than its quantity; every trade quantity > 0', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const r = clearCycle(book, config, { timestamp: T0 });
        for (const o of book.offers) {
          const sold = sum(r.trades.filter((t) => t.offerId === o.id).map((t) => t.quantity));
          expect(sold.lte(o.quantity)).toBe(true);
        }
        for (const b of book.bids) {
          const got = sum(
            [...r.trades, ...r.poolTrades].filter((t) => t.bidId === b.id).map((t) => t.quantity),
          );
          expect(got.lte(b.quantity)).toBe(true);
          if (b.allOrNone) expect(got.isZero() || got.eq(b.quantity)).toBe(true);
        }
        for (const t of [...r.trades, ...r.poolTrades]) expect(new D(t.quantity).gt(0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('nobody trades worse than their price, and nobody trades with themselves', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const r = clearCycle(book, config, { timestamp: T0 });
        const offers = byId(book.offers);
        const bids = byId(book.bids);
        for (const t of r.trades) {
          const o = offers.get(t.offerId)!;
          const b = bids.get(t.bidId)!;
          expect(new D(o.price).lte(t.price) && new D(t.price).lte(b.price)).toBe(true);
          expect(o.participant).not.toBe(b.participant);
          expect(o.carrier).toBe(b.carrier);
          expect(new D(t.amount).eq(new D(t.price).times(t.quantity))).toBe(true);
        }
        for (const t of r.poolTrades)
          expect(new D(t.price).lte(bids.get(t.bidId)!.price)).toBe(true);
        const cfg = parseConfig(config);
        if (cfg.absorb === 'compatible') {
          for (const p of r.poolPurchases)
            expect(new D(offers.get(p.offerId)!.price).lte(p.price)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('stability: no compatible bid and offer are both left with quantity, and no pair blocks', () => {
    fc.assert(
      fc.property(bookArb({ allOrNone: false }), configArb, (book, config) => {
        const cfg = parseConfig(config);
        const r = clearCycle(
          book,
          { ...config, absorb: 'compatible', fixedPrice: '0' },
          { timestamp: T0 },
        );
        const offerLeft = new Map(
          r.offerOutcomes.map((o) => [o.offerId, new D(o.quantity).minus(o.p2pSold)]),
        );
        const bidLeft = new Map(
          r.bidOutcomes.map((b) => [b.bidId, new D(b.quantity).minus(b.p2pFilled)]),
        );
        for (const b of book.bids) {
          for (const o of book.offers) {
            const compatible =
              o.carrier === b.carrier &&
              new D(b.price).gte(o.price) &&
              o.participant !== b.participant;
            if (compatible)
              expect(bidLeft.get(b.id)!.gt(0) && offerLeft.get(o.id)!.gt(0)).toBe(false);
          }
        }
        // Blocking pair: b got o' although o ranks before o' (Eq. 2), while o went to a b' ranked after b (Eq. 1).
        const rankOf = (ids: string[]) => new Map(ids.map((id, i) => [id, i]));
        const value = cfg.ranking === 'value';
        const key = (x: { quantity: string; price: string }) =>
          value ? new D(x.quantity).times(x.price) : new D(x.price);
        const bidRank = rankOf(
          book.bids
            .map((b, i) => ({ b, i }))
            .sort(
              (x, y) =>
                key(y.b).comparedTo(key(x.b)) ||
                new D(y.b.price).comparedTo(x.b.price) ||
                (x.b.seq ?? x.i) - (y.b.seq ?? y.i) ||
                (x.b.id < y.b.id ? -1 : 1),
            )
            .map((x) => x.b.id),
        );
        const offerRank = rankOf(
          book.offers
            .map((o, i) => ({ o, i }))
            .sort(
              (x, y) =>
                key(x.o).comparedTo(key(y.o)) ||
                new D(x.o.price).comparedTo(y.o.price) ||
                (x.o.seq ?? x.i) - (y.o.seq ?? y.i) ||
                (x.o.id < y.o.id ? -1 : 1),
            )
            .map((x) => x.o.id),
        );
        const offers = byId(book.offers);
        const bids = byId(book.bids);
        for (const t1 of r.trades) {
          for (const t2 of r.trades) {
            const b = bids.get(t1.bidId)!;
            const o = offers.get(t2.offerId)!;
            const compatible =
              o.carrier === b.carrier &&
              new D(b.price).gte(o.price) &&
              o.participant !== b.participant;
            if (!compatible) continue;
            const bPrefers = offerRank.get(t2.offerId)! < offerRank.get(t1.offerId)!;
            const oPrefers = bidRank.get(t1.bidId)! < bidRank.get(t2.bidId)!;
            expect(bPrefers && oPrefers).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('cycle invariants', () => {
  it('conserves energy per offer and per carrier', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const r = clearCycle(book, config, { timestamp: T0 });
        for (const o of r.offerOutcomes)
          expect(sum([o.p2pSold, o.absorbed, o.unsold]).eq(o.quantity)).toBe(true);
        for (const b of r.bidOutcomes)
          expect(sum([b.p2pFilled, b.poolFilled, b.unfilled]).eq(b.quantity)).toBe(true);
        for (const c of r.carriers) {
          expect(sum([c.p2pVolume, c.absorbed, c.unsold]).eq(c.offered)).toBe(true);
          expect(
            sum([c.p2pVolume, c.poolVolume, c.storageVolume, c.gridVolume, c.unserved]).eq(
              c.demanded,
            ),
          ).toBe(true);
          const offered = sum(
            book.offers.filter((o) => o.carrier === c.carrier).map((o) => o.quantity),
          );
          expect(offered.eq(c.offered)).toBe(true);
        }
        // The pool never sells more than it absorbed.
        for (const c of r.carriers) expect(new D(c.poolVolume).lte(c.absorbed)).toBe(true);
      }),
      RUNS,
    );
  });

  it('conserves money exactly after rounding; fees are ≥ 0', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const r = clearCycle(book, config, { timestamp: T0 });
        const s = r.settlement;
        const p = s.platform;
        expect(new D(s.paidByConsumers).eq(new D(s.receivedBySuppliers).plus(p.income))).toBe(true);
        expect(sum(s.participants.map((a) => a.paid)).eq(s.paidByConsumers)).toBe(true);
        expect(sum(s.participants.map((a) => a.received)).eq(s.receivedBySuppliers)).toBe(true);
        const parts = new D(p.commissions)
          .plus(p.poolSales)
          .plus(p.storageSales)
          .plus(p.gridSales)
          .minus(p.poolPurchases)
          .plus(p.roundingResidue);
        expect(parts.eq(p.income)).toBe(true);
        for (const a of s.participants) {
          expect(new D(a.paid).decimalPlaces()).toBeLessThanOrEqual(s.currencyScale);
          expect(new D(a.net).eq(new D(a.received).minus(a.paid))).toBe(true);
          expect(
            new D(a.paid)
              .minus(new D(a.purchases).plus(a.consumerFees))
              .abs()
              .lte(new D(10).pow(-s.currencyScale).div(2)),
          ).toBe(true);
        }
        const fees = [
          ...r.trades.flatMap((t) => [t.supplierFee, t.consumerFee]),
          ...r.poolTrades.map((t) => t.consumerFee),
        ];
        for (const f of fees) expect(new D(f).gte(0)).toBe(true);
        expect(sum(fees).eq(p.commissions)).toBe(true);
      }),
      RUNS,
    );
  });

  it('priority fees rise with the bid rank: a later-ranked bid never pays a lower rate', () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const r = clearCycle(book, {}, { timestamp: T0 });
        for (const carrier of ['electricity', 'heat'] as const) {
          const rates = r.trades
            .filter((t) => t.carrier === carrier)
            .map((t) => new D(t.consumerFee).div(t.amount === '0' ? 1 : t.amount));
          const withAmount = r.trades
            .filter((t) => t.carrier === carrier)
            .map((t, i) => ({ t, rate: rates[i]! }))
            .filter((x) => x.t.amount !== '0');
          for (let i = 1; i < withAmount.length; i++)
            expect(withAmount[i]!.rate.gte(withAmount[i - 1]!.rate)).toBe(true);
          for (const x of withAmount) expect(x.rate.gte('0.005') && x.rate.lte('0.02')).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('permutation invariance: shuffled input with the same seq gives the same trades and block hash', () => {
    fc.assert(
      fc.property(
        bookArb().map(withExplicitSeq),
        configArb,
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

  it('purity: frozen inputs are accepted, never changed, and give the same result', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const before = JSON.stringify([book, config]);
        const plain: CycleResult = clearCycle(book, config, { timestamp: T0 });
        const frozen = deepFreeze(structuredClone({ book, config }));
        const again = clearCycle(frozen.book, frozen.config, { timestamp: T0 });
        expect(JSON.stringify([book, config])).toBe(before);
        expect(again).toEqual(plain);
      }),
      runs(300),
    );
  });
});

describe('priorityRate', () => {
  it('is minRate for one bid and spans min..max linearly, rounded half-even to 8 places', () => {
    expect(priorityRate('0.005', '0.02', 0, 1)).toBe('0.005');
    expect(priorityRate('0.005', '0.02', 0, 3)).toBe('0.005');
    expect(priorityRate('0.005', '0.02', 1, 3)).toBe('0.0125');
    expect(priorityRate('0.005', '0.02', 2, 3)).toBe('0.02');
    // 0.005 + 0.015 / 7 = 0.00714285714… → 0.00714286
    expect(priorityRate('0.005', '0.02', 1, 8)).toBe('0.00714286');
    // Exact ties at the 9th decimal go to the even neighbour: 0.000000005 → 0, 0.000000015 → 0.00000002.
    expect(priorityRate('0', '0.00000001', 1, 3)).toBe('0');
    expect(priorityRate('0', '0.00000003', 1, 3)).toBe('0.00000002');
  });
  it('is exact for rates given with more than 8 decimals, rounded once', () => {
    expect(priorityRate('0.000000015', '0.02', 0, 3)).toBe('0.00000002');
    expect(priorityRate('0.000000025', '0.02', 0, 1)).toBe('0.00000002');
    expect(priorityRate('0.01', '0.010000001', 1, 2)).toBe('0.01');
    expect(priorityRate('0.01', '0.010000005', 1, 2)).toBe('0.01');
    expect(priorityRate('0.01', '0.010000015', 1, 2)).toBe('0.01000002');
    expect(priorityRate('0', '0.00000003', 1, 2)).toBe('0.00000003');
  });
  it('the engine’s rate a bid (number arithmetic while safe) equals the exact rate and decimal.js', () => {
    // Rates of up to 8 decimals (what a config allows), bid counts up to 10^9 (past 2^53 the
    // number path gives way to the bigint one), and exact ties at the 9th decimal (an odd number
    // of 10^-8 over count − 1 = 2).
    const rateText = fc.oneof(
      fc.integer({ min: 0, max: 10 ** 8 }).map((v) => new D(v).div(10 ** 8).toFixed()),
      fc.integer({ min: 0, max: 4 }).map((k) => new D(2 * k + 1).div(10 ** 8).toFixed()),
      fc.constant('0'),
    );
    const calc = (min: string, max: string) =>
      feeCalculator(parseConfig({ commission: { kind: 'priority', minRate: min, maxRate: max } }));
    fc.assert(
      fc.property(
        rateText,
        rateText,
        fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 10 ** 9 })),
        fc.nat(),
        (x, y, count, pick) => {
          // Validation asks minRate ≤ maxRate.
          const [min, max] = new D(x).lte(y) ? [x, y] : [y, x];
          const rank = pick % count;
          const c = calc(min, max);
          if (c.kind !== 'rate') throw new Error('a built-in rate');
          const got = format(c.rate(rank, count));
          expect(got).toBe(priorityRate(min, max, rank, count));
          const span =
            count <= 1
              ? new D(0)
              : new D(max)
                  .minus(min)
                  .times(rank)
                  .div(count - 1);
          const want = new D(min).plus(span).toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN);
          expect(new D(got).eq(want)).toBe(true);
        },
      ),
      runs(3000),
    );
  });
});

describe('all-or-none', () => {
  it('a bid that compatible supply cannot fill whole takes nothing, and says why', () => {
    const bids: Bid[] = [
      { id: 'big', participant: 'h', carrier: 'heat', quantity: '5', price: '1', allOrNone: true },
    ];
    const r = clearCycle(
      {
        offers: [{ id: 's', participant: 'p', carrier: 'heat', quantity: '4', price: '0.1' }],
        bids,
      },
      {},
      { timestamp: T0 },
    );
    expect(r.trades).toEqual([]);
    expect(r.bidOutcomes[0]).toMatchObject({
      status: 'unfilled',
      reason: 'all_or_none_unfillable',
    });
  });
});

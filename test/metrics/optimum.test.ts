import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocationQuality,
  type CarrierOptimum,
  type ClearingConfig,
  ClearingError,
  clearCycle,
  constrainedOptimum,
  type OrderBook,
} from '../../src/index.js';
import { bookArb, withExplicitSeq } from '../helpers/arbitraries.js';
import { bid, offer, runs, T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { cmp, fromDecimal, maximize, q, referenceOptimum } from '../helpers/lp.js';
import { thrown } from '../helpers/thrown.js';

/** Every scenario 1 rule the configuration allows: both mechanisms, both rankings, every pricing. */
const MECHANISMS: readonly ClearingConfig[] = [
  ...(['value', 'unit-price'] as const).flatMap((ranking) =>
    (['midpoint', 'ask', 'bid', { k: '0.25' }] as const).map(
      (pricing): ClearingConfig => ({ mechanism: 'jin2021', ranking, pricing }),
    ),
  ),
  { mechanism: 'uniform-price' },
];

/** The case: the only offer at or below the uniform price is the bidder's own. */
const SELF_AT_THE_PRICE: OrderBook = {
  offers: [offer('s1', 'p1', '1', '0.1'), offer('s2', 'p2', '1', '0.5')],
  bids: [bid('c1', 'p1', '1', '0.6'), bid('c2', 'p3', '1', '0.2')],
};

/** Checks that `o` is an allocation keeping the rules of its book, and that its totals add up. */
function expectKeepsTheRules(book: OrderBook, o: CarrierOptimum): void {
  const offers = new Map(book.offers.filter((x) => x.carrier === o.carrier).map((x) => [x.id, x]));
  const bids = new Map(book.bids.filter((x) => x.carrier === o.carrier).map((x) => [x.id, x]));
  const sold = new Map<string, Decimal>();
  const filled = new Map<string, Decimal>();
  let gains = new Decimal(0);
  let volume = new Decimal(0);
  for (const p of o.pairs) {
    const s = offers.get(p.offerId)!;
    const b = bids.get(p.bidId)!;
    expect(s, p.offerId).toBeDefined();
    expect(b, p.bidId).toBeDefined();
    expect(s.participant).not.toBe(b.participant);
    expect(new Decimal(b.price).gte(s.price)).toBe(true);
    expect(new Decimal(p.quantity).gt(0)).toBe(true);
    sold.set(s.id, (sold.get(s.id) ?? new Decimal(0)).plus(p.quantity));
    filled.set(b.id, (filled.get(b.id) ?? new Decimal(0)).plus(p.quantity));
    gains = gains.plus(new Decimal(b.price).minus(s.price).times(p.quantity));
    volume = volume.plus(p.quantity);
  }
  for (const [id, v] of sold) expect(v.lte(offers.get(id)!.quantity), id).toBe(true);
  for (const [id, v] of filled) {
    const b = bids.get(id)!;
    if (b.allOrNone === true) expect(v.eq(b.quantity), `${id} is all-or-none`).toBe(true);
    else expect(v.lte(b.quantity), id).toBe(true);
  }
  expect(new Decimal(o.gains).eq(gains)).toBe(true);
  expect(new Decimal(o.volume).eq(volume)).toBe(true);
  expect(new Decimal(o.bound).gte(o.gains)).toBe(true);
  if (o.proven) expect(o.bound).toBe(o.gains);
}

describe('the reference optimiser (exact simplex)', () => {
  it('solves a textbook LP: max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 → 36', () => {
    const z = q(0n);
    const v = maximize(
      [q(3n), q(5n)],
      [
        { a: [q(1n), z], kind: 'le', b: q(4n) },
        { a: [z, q(2n)], kind: 'le', b: q(12n) },
        { a: [q(3n), q(2n)], kind: 'le', b: q(18n) },
      ],
    );
    expect(v).toEqual(q(36n));
  });

  it('reports an infeasible equality and honours a feasible one exactly', () => {
    const one = q(1n);
    expect(
      maximize(
        [one],
        [
          { a: [one], kind: 'le', b: q(1n) },
          { a: [one], kind: 'eq', b: q(2n) },
        ],
      ),
    ).toBe(undefined);
    expect(
      maximize(
        [q(-1n), one],
        [
          { a: [one, one], kind: 'eq', b: q(3n, 2n) },
          { a: [one, z0()], kind: 'le', b: q(5n) },
        ],
      ),
    ).toEqual(q(3n, 2n));
  });

  it('gives the hand-computed optima of the worked example and the issue case', () => {
    expect(referenceOptimum(WORKED_EXAMPLE, 'electricity')).toEqual(fromDecimal('1.65'));
    expect(referenceOptimum(SELF_AT_THE_PRICE, 'electricity')).toEqual(fromDecimal('0.2'));
  });
});

function z0() {
  return q(0n);
}

describe('constrainedOptimum', () => {
  it('the worked example: no self-trade pair or all-or-none bid, so the competitive equilibrium', () => {
    expect(constrainedOptimum(WORKED_EXAMPLE)).toEqual([
      {
        carrier: 'electricity',
        gains: '1.65',
        bound: '1.65',
        proven: true,
        volume: '10',
        nodes: 1,
        pairs: [
          { offerId: 's1', bidId: 'c3', quantity: '3' },
          { offerId: 's1', bidId: 'c1', quantity: '4' },
          { offerId: 's1', bidId: 'c2', quantity: '3' },
        ],
      },
    ]);
  });

  it("the issue's 0-efficiency case: uniform price trades nothing, two other pairs could have traded", () => {
    const uniform = clearCycle(
      SELF_AT_THE_PRICE,
      { mechanism: 'uniform-price' },
      { timestamp: T0 },
    );
    expect(uniform.trades).toEqual([]);
    const [w] = allocationQuality(SELF_AT_THE_PRICE, uniform, { mechanism: 'uniform-price' });
    expect(w).toMatchObject({
      p2pWelfare: '0',
      optimum: '0.5', // c1 with s1: a self-trade
      efficiency: '0',
      constrainedOptimum: '0.2',
      constrainedBound: '0.2',
      constrainedEfficiency: '0',
      constrainedProven: true,
    });
    const [o] = constrainedOptimum(SELF_AT_THE_PRICE);
    expect(o!.pairs).toEqual([
      { offerId: 's2', bidId: 'c1', quantity: '1' },
      { offerId: 's1', bidId: 'c2', quantity: '1' },
    ]);
    // The paper's rule, which skips the bidder's own offer, reaches it.
    const [paper] = allocationQuality(
      SELF_AT_THE_PRICE,
      clearCycle(SELF_AT_THE_PRICE, { ranking: 'unit-price' }, { timestamp: T0 }),
    );
    expect(paper).toMatchObject({ p2pWelfare: '0.2', constrainedEfficiency: '1' });
  });

  it('a self-trade pair is never used even when it is the only profitable one', () => {
    const book = { offers: [offer('s1', 'p1', '5', '0.1')], bids: [bid('c1', 'p1', '5', '0.9')] };
    expect(constrainedOptimum(book)).toMatchObject([
      { gains: '0', bound: '0', proven: true, volume: '0', pairs: [] },
    ]);
  });

  describe('all-or-none bids: branch and bound', () => {
    // One offer of 3 and two all-or-none bids of 2: only one can be filled. The relaxation fills
    // c1 whole and c2 in part (2 × 0.4 + 1 × 0.3 = 1.1); filling c1 alone gains 0.8.
    const book: OrderBook = {
      offers: [offer('s1', 'p1', '3', '0.1')],
      bids: [
        bid('c1', 'h1', '2', '0.5', { allOrNone: true }),
        bid('c2', 'h2', '2', '0.4', { allOrNone: true }),
      ],
    };

    it('proves the optimum: c1 whole, c2 not at all', () => {
      const [o] = constrainedOptimum(book);
      expect(o).toMatchObject({ gains: '0.8', bound: '0.8', proven: true, volume: '2' });
      expect(o!.pairs).toEqual([{ offerId: 's1', bidId: 'c1', quantity: '2' }]);
      expect(o!.nodes).toBeGreaterThan(2);
    });

    it('stops at maxNodes with the best allocation found and a bound above the optimum', () => {
      // Two relaxations: the book (bound 1.1) and the book without its all-or-none bids (0).
      expect(constrainedOptimum(book, {}, { maxNodes: 2 })).toMatchObject([
        { gains: '0', bound: '1.1', proven: false, nodes: 2, pairs: [] },
      ]);
      // A third: the root rounded (c1 in, c2 out) gives 0.8, not yet proven.
      expect(constrainedOptimum(book, {}, { maxNodes: 3 })).toMatchObject([
        { gains: '0.8', bound: '1.1', proven: false, nodes: 3 },
      ]);
      const [w] = allocationQuality(
        book,
        clearCycle(book, {}, { timestamp: T0 }),
        {},
        {
          maxNodes: 2,
        },
      );
      expect(w).toMatchObject({
        constrainedOptimum: '0',
        constrainedBound: '1.1',
        constrainedEfficiency: null,
        constrainedProven: false,
      });
    });

    it('an all-or-none bid that no other participant can fill whole stays out', () => {
      const b: OrderBook = {
        offers: [offer('s1', 'p1', '3', '0.1'), offer('s2', 'h1', '5', '0.1')],
        bids: [bid('c1', 'h1', '4', '0.5', { allOrNone: true }), bid('c2', 'h2', '1', '0.3')],
      };
      const [o] = constrainedOptimum(b);
      // c1 could take 3 of s1 only (s2 is its own): it stays out; c2 takes 1 from s1 or s2.
      expect(o).toMatchObject({ gains: '0.2', proven: true, volume: '1' });
      expectKeepsTheRules(b, o!);
    });
  });

  it('refuses a maxNodes that is not a whole number ≥ 1', () => {
    for (const maxNodes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const err = thrown(() => constrainedOptimum(WORKED_EXAMPLE, {}, { maxNodes }));
      expect(err).toBeInstanceOf(ClearingError);
      expect((err as ClearingError).code).toBe('invalid_option');
    }
    const err = thrown(() =>
      allocationQuality(
        WORKED_EXAMPLE,
        clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }),
        {},
        { maxNodes: '10' as unknown as number },
      ),
    );
    expect((err as ClearingError).code).toBe('invalid_option');
  });

  it('equals the exact simplex reference on random small books (self-trade pairs, all-or-none bids)', () => {
    fc.assert(
      fc.property(bookArb({ max: 6, storage: false }), (book) => {
        for (const o of constrainedOptimum(book)) {
          expect(o.proven).toBe(true);
          const ref = referenceOptimum(book, o.carrier);
          expect(cmp(fromDecimal(o.gains), ref), `${o.gains} vs ${ref.n}/${ref.d}`).toBe(0);
          expectKeepsTheRules(book, o);
        }
      }),
      runs(400),
    );
  });

  it('equals the reference when one participant owns most of both sides', () => {
    // Self-trade binds hardest when one participant dominates: most orders are p's.
    const side = (prefix: string) =>
      fc
        .array(
          fc.record({
            participant: fc.constantFrom('p', 'p', 'p', 'q', 'r'),
            quantity: fc.constantFrom('1', '2', '3.5', '0.25'),
            price: fc.constantFrom('0.1', '0.2', '0.3', '0.4'),
            allOrNone: fc.boolean(),
          }),
          { maxLength: 5 },
        )
        .map((xs) =>
          xs.map((x, i) => ({
            id: `${prefix}${i}`,
            carrier: 'heat' as const,
            participant: x.participant,
            quantity: x.quantity,
            price: x.price,
            ...(prefix === 'c' ? { allOrNone: x.allOrNone } : {}),
          })),
        );
    fc.assert(
      fc.property(side('s'), side('c'), (offers, bids) => {
        const book = { offers, bids } as OrderBook;
        for (const o of constrainedOptimum(book)) {
          expect(cmp(fromDecimal(o.gains), referenceOptimum(book, o.carrier))).toBe(0);
          expectKeepsTheRules(book, o);
        }
      }),
      runs(300),
    );
  });

  it('lies between every mechanism’s P2P gains and the competitive-equilibrium optimum', () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        for (const config of MECHANISMS) {
          const result = clearCycle(book, config, { timestamp: T0 });
          for (const w of allocationQuality(book, result, config)) {
            expect(w.constrainedProven).toBe(true);
            expect(
              new Decimal(w.p2pWelfare).lte(w.constrainedOptimum),
              JSON.stringify(config),
            ).toBe(true);
            expect(new Decimal(w.constrainedOptimum).lte(w.optimum)).toBe(true);
            if (w.constrainedEfficiency !== null)
              expect(new Decimal(w.constrainedEfficiency).lte(1)).toBe(true);
          }
        }
      }),
      runs(300),
    );
  });

  it('equals the competitive-equilibrium optimum on divisible books without self-trade pairs', () => {
    fc.assert(
      fc.property(bookArb({ allOrNone: false }), (raw) => {
        const book: OrderBook = {
          offers: raw.offers.map((o) => ({ ...o, participant: `seller-${o.participant}` })),
          bids: raw.bids.map((b) => ({ ...b, participant: `buyer-${b.participant}` })),
        };
        const result = clearCycle(book, {}, { timestamp: T0 });
        for (const w of allocationQuality(book, result)) {
          expect(w.constrainedOptimum).toBe(w.optimum);
          expect(w.constrainedBound).toBe(w.optimum);
        }
      }),
      runs(500),
    );
  });

  it('does not depend on the order of the book: same gains; same pairs when seq is given', () => {
    fc.assert(
      fc.property(bookArb(), fc.infiniteStream(fc.nat()), (raw, rand) => {
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const a = xs.slice();
          for (let i = a.length - 1; i > 0; i--) {
            const j = rand.next().value % (i + 1);
            [a[i], a[j]] = [a[j]!, a[i]!];
          }
          return a;
        };
        const shuffled = (b: OrderBook): OrderBook => ({
          offers: shuffle(b.offers),
          bids: shuffle(b.bids),
        });
        const strip = (os: CarrierOptimum[]) =>
          os.map(({ carrier, gains, bound, proven }) => ({ carrier, gains, bound, proven }));
        expect(strip(constrainedOptimum(shuffled(raw)))).toEqual(strip(constrainedOptimum(raw)));
        const book = withExplicitSeq(raw);
        expect(constrainedOptimum(shuffled(book))).toEqual(constrainedOptimum(book));
      }),
      runs(300),
    );
  });

  it('keeps the rules on a large book where every bid meets every offer', () => {
    // 3,000 orders a side, 40 participants on both sides, every bid priced above every offer.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const book: OrderBook = {
      offers: Array.from({ length: 3000 }, (_, i) =>
        offer(`s${i}`, `p${next() % 40}`, String(1 + (next() % 500)), `0.${100 + (next() % 300)}`),
      ),
      bids: Array.from({ length: 3000 }, (_, i) =>
        bid(`c${i}`, `p${next() % 40}`, String(1 + (next() % 500)), `0.${500 + (next() % 400)}`),
      ),
    };
    const [o] = constrainedOptimum(book);
    expect(o!.proven).toBe(true);
    expectKeepsTheRules(book, o!);
    const [w] = allocationQuality(
      book,
      clearCycle(book, { ranking: 'unit-price' }, { timestamp: T0 }),
    );
    expect(w!.constrainedOptimum).toBe(o!.gains);
    expect(new Decimal(w!.p2pWelfare).lte(o!.gains)).toBe(true);
    expect(new Decimal(o!.gains).lte(w!.optimum)).toBe(true);
    // Every unit of the smaller side can trade with someone else here: the volume is the
    // smaller side's total, and the gains are the competitive equilibrium's.
    expect(o!.gains).toBe(w!.optimum);
  });
});

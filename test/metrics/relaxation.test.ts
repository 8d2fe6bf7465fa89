import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bid, Offer, OrderBook } from '../../src/index.js';
import { carrierOrders } from '../../src/metrics/optimum.js';
import { EXCLUDED, FORCED, FREE, relax } from '../../src/metrics/relaxation.js';
import { validateBook } from '../../src/validate/book.js';
import { DEFAULT_LIMITS } from '../../src/validate/defaults.js';
import { bid, offer, runs } from '../helpers/books.js';
import { cmp, q, referenceTransport } from '../helpers/lp.js';

const SCALE = 10n ** BigInt(DEFAULT_LIMITS.priceScale + DEFAULT_LIMITS.quantityScale);

/** Solves one electricity book with each bid FREE, FORCED or EXCLUDED as `decide` says (by id). */
function solve(book: OrderBook, decide: (id: string) => number) {
  const parsed = validateBook(book, DEFAULT_LIMITS);
  const prepared = carrierOrders(parsed, 'electricity')!;
  const ids = prepared.bids.map((i) => parsed.bids.id[i]!);
  const decision = Uint8Array.from(ids, decide);
  return { prepared, ids, decision, relaxation: relax(prepared.orders, decision) };
}

/** Small books of one carrier where few participants trade with each other: self-trade binds. */
const smallBook = (parties: readonly string[]) => {
  const order = fc.record({
    participant: fc.constantFrom(...parties),
    quantity: fc.constantFrom('1', '2', '3', '0.5', '4.25'),
    price: fc.constantFrom('0.1', '0.2', '0.3', '0.4', '0.5'),
  });
  return fc.tuple(fc.array(order, { maxLength: 6 }), fc.array(order, { maxLength: 6 })).map(
    ([os, bs]): OrderBook => ({
      offers: os.map((o, i): Offer => ({ id: `s${i}`, carrier: 'electricity', ...o })),
      bids: bs.map((b, i): Bid => ({ id: `c${i}`, carrier: 'electricity', ...b })),
    }),
  );
};

describe('relax: the divisible optimum with bids forced whole or left out', () => {
  it('equals the exact simplex on random books and decisions, and says when forced bids cannot fill', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e'])
          .chain((parties) => smallBook(parties)),
        fc.array(fc.constantFrom(FREE, FORCED, EXCLUDED), { minLength: 6, maxLength: 6 }),
        (book, choices) => {
          if (book.offers.length + book.bids.length === 0) return;
          const choice = (id: string) => choices[Number(id.slice(1))]!;
          const { prepared, ids, decision, relaxation } = solve(book, choice);
          const forced = new Set(book.bids.filter((b) => choice(b.id) === FORCED).map((b) => b.id));
          const out = new Set(book.bids.filter((b) => choice(b.id) === EXCLUDED).map((b) => b.id));
          const ref = referenceTransport(book, 'electricity', forced, out);
          if (ref === undefined) {
            expect(relaxation).toBeUndefined();
            return;
          }
          expect(relaxation).toBeDefined();
          const r = relaxation!;
          expect(cmp(q(r.gains, SCALE), ref)).toBe(0);
          const { bidQty, offerQty } = prepared.orders;
          let filled = 0;
          let sold = 0;
          ids.forEach((_, k) => {
            if (decision[k] === FORCED) expect(r.fill[k]).toBe(bidQty[k]);
            if (decision[k] === EXCLUDED) expect(r.fill[k]).toBe(0);
            expect(r.fill[k]! >= 0 && r.fill[k]! <= bidQty[k]!).toBe(true);
            filled += r.fill[k]!;
          });
          r.sold.forEach((s, j) => {
            expect(s >= 0 && s <= offerQty[j]!).toBe(true);
            sold += s;
          });
          expect(filled).toBe(sold);
        },
      ),
      runs(3000),
    );
  });

  it('a forced bid short of cheap enough supply fails, even when dearer supply would cover it', () => {
    const book = {
      offers: [offer('s1', 'a', '1', '0.1'), offer('s2', 'b', '1', '0.5')],
      bids: [bid('c1', 'c', '2', '0.1')],
    };
    expect(solve(book, () => FORCED).relaxation).toBeUndefined();
    const free = solve(book, () => FREE).relaxation!;
    expect(Array.from(free.fill)).toEqual([1_000_000]); // one unit, at no gain
    expect(free.gains).toBe(0n);
  });

  it("two forced bids that need the same participant's supply cannot both fill", () => {
    // c1 (b) can only use s2 (c); so can c2 (a): s1 at 0.4 is a's own.
    const book = {
      offers: [offer('s1', 'a', '2', '0.4'), offer('s2', 'c', '2', '0.1')],
      bids: [bid('c1', 'b', '2', '0.3'), bid('c2', 'a', '1', '0.4')],
    };
    expect(solve(book, () => FORCED).relaxation).toBeUndefined();
    // c1 forced: it takes s2 whole (2 × 0.2); c2 forced: c2 takes 1 of s2 and c1 the other.
    expect(solve(book, (id) => (id === 'c1' ? FORCED : FREE)).relaxation!.gains).toBe(
      400_000_000_000n,
    );
    expect(solve(book, (id) => (id === 'c2' ? FORCED : FREE)).relaxation!.gains).toBe(
      500_000_000_000n,
    );
  });
});

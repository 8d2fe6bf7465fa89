import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bid, constrainedOptimum, type Offer, type OrderBook } from '../../src/index.js';
import { carrierOrders } from '../../src/metrics/optimum.js';
import { pairUp } from '../../src/metrics/pairing.js';
import { EXCLUDED, FORCED, FREE, relax } from '../../src/metrics/relaxation.js';
import { validateBook } from '../../src/validate/book.js';
import { DEFAULT_LIMITS } from '../../src/validate/defaults.js';
import { bid, offer, runs } from '../helpers/books.js';

describe('pairUp: the flow behind the fills and sales', () => {
  it('takes from two participants at once when each would otherwise strand a later bid', () => {
    // a's bid (2) must take 1 from b and 1 from c: if it took both from one of them, b's bid (1)
    // or c's bid (3) would be left with only its own supply.
    const book: OrderBook = {
      offers: [offer('s1', 'b', '4', '0.1'), offer('s2', 'c', '2', '0.1')],
      bids: [bid('c1', 'a', '2', '0.1'), bid('c2', 'b', '1', '0.2'), bid('c3', 'c', '3', '0.3')],
    };
    expect(constrainedOptimum(book)).toMatchObject([
      {
        gains: '0.7',
        volume: '6',
        pairs: [
          { offerId: 's1', bidId: 'c3', quantity: '3' },
          { offerId: 's2', bidId: 'c2', quantity: '1' },
          { offerId: 's1', bidId: 'c1', quantity: '1' },
          { offerId: 's2', bidId: 'c1', quantity: '1' },
        ],
      },
    ]);
  });

  it('realises exactly the fills and sales of any relaxation, with compatible pairs only', () => {
    const order = fc.record({
      participant: fc.constantFrom('a', 'b', 'c', 'c', 'd'),
      quantity: fc.constantFrom('1', '2', '3', '5', '0.5'),
      price: fc.constantFrom('0.1', '0.2', '0.3', '0.4'),
    });
    fc.assert(
      fc.property(
        fc.array(order, { minLength: 1, maxLength: 8 }),
        fc.array(order, { maxLength: 8 }),
        fc.array(fc.constantFrom(FREE, FREE, FORCED, EXCLUDED), { minLength: 8, maxLength: 8 }),
        (os, bs, choices) => {
          const book: OrderBook = {
            offers: os.map((o, i): Offer => ({ id: `s${i}`, carrier: 'electricity', ...o })),
            bids: bs.map((b, i): Bid => ({ id: `c${i}`, carrier: 'electricity', ...b })),
          };
          const parsed = validateBook(book, DEFAULT_LIMITS);
          const { orders, bids, offers } = carrierOrders(parsed, 'electricity')!;
          const decision = Uint8Array.from(bids, (i) => choices[i]!);
          const r = relax(orders, decision);
          if (r === undefined) return;
          const pairs = pairUp(orders, r);
          const filled = new Float64Array(bids.length);
          const sold = new Float64Array(offers.length);
          let gains = 0n;
          pairs.qty.forEach((qty, k) => {
            const i = pairs.bid[k]!;
            const j = pairs.offer[k]!;
            expect(qty).toBeGreaterThan(0);
            expect(orders.bidParty[i]).not.toBe(orders.offerParty[j]);
            expect(orders.bidPrice[i]! >= orders.offerPrice[j]!).toBe(true);
            filled[i]! += qty;
            sold[j]! += qty;
            gains += BigInt(orders.bidPrice[i]! - orders.offerPrice[j]!) * BigInt(qty);
          });
          expect(Array.from(filled)).toEqual(Array.from(r.fill));
          expect(Array.from(sold)).toEqual(Array.from(r.sold));
          expect(gains).toBe(r.gains);
        },
      ),
      runs(3000),
    );
  });

  it('is deterministic and never splits a bid more than needed on a large book', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const book: OrderBook = {
      offers: Array.from({ length: 2000 }, (_, i) =>
        offer(`s${i}`, `p${next() % 5}`, String(1 + (next() % 50)), `0.${100 + (next() % 500)}`),
      ),
      bids: Array.from({ length: 2000 }, (_, i) =>
        bid(`c${i}`, `p${next() % 5}`, String(1 + (next() % 50)), `0.${300 + (next() % 500)}`),
      ),
    };
    const [a] = constrainedOptimum(book);
    const [b] = constrainedOptimum(book);
    expect(b).toEqual(a);
    const total = a!.pairs.reduce((s, p) => s.plus(p.quantity), new Decimal(0));
    expect(total.eq(a!.volume)).toBe(true);
    // A basic optimal solution has at most (orders that trade − 1) pairs; the sweep stays within it here.
    const trading = new Set([
      ...a!.pairs.map((p) => p.offerId),
      ...a!.pairs.map((p) => `b:${p.bidId}`),
    ]);
    expect(a!.pairs.length).toBeLessThanOrEqual(trading.size - 1);
  });
});

import { describe, expect, it } from 'vitest';
import { match } from '../../src/matching/match.js';

/** One all-or-none bid (participant 0, price 5, quantity 10) against the given asks. */
function aon(asks: readonly { price: number; qty: number; party: number }[]) {
  return match({
    bidPrice: Float64Array.of(5),
    bidQty: Float64Array.of(10),
    bidParty: Int32Array.of(0),
    bidAllOrNone: Uint8Array.of(1),
    askPrice: Float64Array.from(asks, (a) => a.price),
    askQty: Float64Array.from(asks, (a) => a.qty),
    askParty: Int32Array.from(asks, (a) => a.party),
  });
}

describe('match: all-or-none bids', () => {
  it('fills in full from several compatible offers of others', () => {
    const out = aon([
      { price: 4, qty: 6, party: 1 },
      { price: 5, qty: 4, party: 2 },
    ]);
    expect(out.fillCount).toBe(2);
    expect(Array.from(out.fillQty.subarray(0, 2))).toEqual([6, 4]);
    expect(out.bidLeft[0]).toBe(0);
    expect(out.allOrNoneRefused[0]).toBe(0);
  });
  it('is refused (reason all_or_none_unfillable) only when some, not enough, compatible supply exists', () => {
    const some = aon([
      { price: 4, qty: 6, party: 1 },
      { price: 6, qty: 100, party: 2 }, // too dear
    ]);
    expect(some.fillCount).toBe(0);
    expect(some.bidLeft[0]).toBe(10);
    expect(some.askLeft[0]).toBe(6);
    expect(some.allOrNoneRefused[0]).toBe(1);
    // No compatible supply at all: not a refusal, another reason applies.
    const none = aon([{ price: 6, qty: 100, party: 2 }]);
    expect(none.allOrNoneRefused[0]).toBe(0);
    expect(none.bidLeft[0]).toBe(10);
    // Its own offers do not count.
    const own = aon([{ price: 1, qty: 100, party: 0 }]);
    expect(own.allOrNoneRefused[0]).toBe(0);
    expect(own.fillCount).toBe(0);
    // No offers at all.
    expect(aon([]).allOrNoneRefused[0]).toBe(0);
  });
});

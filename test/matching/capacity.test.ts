import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompatibleCapacity } from '../../src/matching/capacity.js';
import { runs } from '../helpers/books.js';

interface Entry {
  ask: number;
  party: number;
  qty: number;
}

/** Σ left of finite entries with ask ≤ price of other participants, by brute force in bigint. */
function available(
  entries: readonly Entry[],
  left: readonly bigint[],
  price: number,
  party: number,
) {
  let sum = 0n;
  entries.forEach((e, i) => {
    if (e.qty !== Number.POSITIVE_INFINITY && e.ask <= price && e.party !== party) sum += left[i]!;
  });
  return sum;
}

/** The capacity over `entries`, and each entry's quantity left (0 for the unlimited grid). */
function capacityOf(entries: readonly Entry[]) {
  const cap = new CompatibleCapacity(
    Float64Array.from(entries, (e) => e.ask),
    Int32Array.from(entries, (e) => e.party),
    Float64Array.from(entries, (e) => e.qty),
  );
  const left = entries.map((e) => (e.qty === Number.POSITIVE_INFINITY ? 0n : BigInt(e.qty)));
  return { cap, left };
}

describe('CompatibleCapacity (all-or-none supply) = brute force', () => {
  // Few ask levels and participants, so equal asks and a participant's many entries are common;
  // quantities near 2^52 push totals past 2^53 (the bigint cells); the grid is unlimited.
  const entry = fc.record({
    ask: fc.integer({ min: 0, max: 6 }),
    party: fc.integer({ min: -1, max: 4 }),
    qty: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 50 }) },
      { weight: 2, arbitrary: fc.integer({ min: 2 ** 52 - 5, max: 2 ** 52 }) },
      { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) },
    ),
  });
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('take' as const),
      i: fc.nat(),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('ask' as const),
      price: fc.integer({ min: -1, max: 7 }),
      party: fc.integer({ min: -1, max: 6 }),
      need: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constant(2 ** 53)),
    }),
  );
  it('available and canFill agree with a brute-force sum after any takes', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 24 }),
        fc.array(op, { maxLength: 40 }),
        (entries, ops) => {
          const { cap, left } = capacityOf(entries);
          for (const o of ops) {
            if (o.kind === 'take') {
              if (entries.length === 0) continue;
              const i = o.i % entries.length;
              if (entries[i]!.qty === Number.POSITIVE_INFINITY) {
                cap.take(i, 1); // the grid never runs out
                continue;
              }
              const taken = Math.floor(Number(left[i]!) * o.share);
              cap.take(i, taken);
              left[i]! -= BigInt(taken);
              continue;
            }
            const expected = available(entries, left, o.price, o.party);
            expect(BigInt(cap.available(o.price, o.party))).toBe(expected);
            const unlimited = entries.some(
              (e) => e.qty === Number.POSITIVE_INFINITY && e.ask <= o.price,
            );
            expect(cap.canFill(o.price, o.party, o.need)).toBe(
              unlimited || expected >= BigInt(o.need),
            );
          }
        },
      ),
      runs(1500),
    );
  });
  it('agrees with the brute force on hundreds of entries (ordered by the radix argsort)', () => {
    const wide = fc.record({
      ask: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-0)),
      party: fc.integer({ min: -1, max: 30 }),
      qty: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 1000 }) },
        { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(wide, { minLength: 256, maxLength: 700 }),
        fc.array(
          fc.record({
            price: fc.integer({ min: -1, max: 41 }),
            party: fc.integer({ min: -1, max: 31 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (entries, asks) => {
          const { cap, left } = capacityOf(entries);
          for (const a of asks)
            expect(BigInt(cap.available(a.price, a.party))).toBe(
              available(entries, left, a.price, a.party),
            );
        },
      ),
      runs(60),
    );
  });
  it('takes reach every tree cell above an entry, for the platform too, in number and bigint cells', () => {
    for (const big of [false, true]) {
      // Eight entries at asks 0…7 of parties -1, 0, 1, 2 in turn; quantities 10, or 2^52 + 10.
      const base = big ? 2 ** 52 : 0;
      const qty = Float64Array.from({ length: 8 }, () => base + 10);
      const parties = Int32Array.from({ length: 8 }, (_, i) => (i % 4) - 1);
      const cap = new CompatibleCapacity(
        Float64Array.from({ length: 8 }, (_, i) => i),
        parties,
        qty,
      );
      const left = Array.from(qty, (q) => BigInt(q));
      // Index 2 (Fenwick position 3) and the platform's entries 0 and 4.
      for (const [i, taken] of [
        [2, 3],
        [0, 4],
        [4, 5],
      ] as const) {
        cap.take(i, taken);
        left[i]! -= BigInt(taken);
      }
      for (let price = 0; price < 8; price++)
        for (let party = -1; party <= 3; party++) {
          let expected = 0n;
          for (let i = 0; i <= price; i++) if (parties[i] !== party) expected += left[i]!;
          expect(BigInt(cap.available(price, party))).toBe(expected);
        }
    }
  });

  it('an unlimited entry at exactly the price can always fill', () => {
    const cap = new CompatibleCapacity(
      Float64Array.of(3, 5),
      Int32Array.of(0, -1),
      Float64Array.of(1, Number.POSITIVE_INFINITY),
    );
    expect(cap.canFill(5, 1, 1000)).toBe(true);
    expect(cap.canFill(4, 1, 2)).toBe(false);
  });

  it('available is a number when the totals are safe integers, a bigint past 2^53', () => {
    const small = new CompatibleCapacity(
      Float64Array.of(1, 2),
      Int32Array.of(0, 1),
      Float64Array.of(5, 7),
    );
    expect(small.available(2, 5)).toBe(12);
    const big = new CompatibleCapacity(
      Float64Array.of(1, 2),
      Int32Array.of(0, 1),
      Float64Array.of(2 ** 52, 2 ** 52 + 1),
    );
    expect(big.available(2, 5)).toBe(2n ** 53n + 1n);
    expect(big.available(2, 1)).toBe(2n ** 52n);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, format, LIMB, roundHalfEven, sub } from '../../src/decimal/fixed.js';
import { ByteWriter, COLLECT } from '../../src/internal/byte-writer.js';
import { Accounts } from '../../src/settlement/settlement.js';
import { SumColumn } from '../../src/settlement/sum-column.js';
import { runs } from '../helpers/books.js';

const TOP = 24;
const at = (v: bigint, s: number) => v * 10n ** BigInt(TOP - s);

describe('settlement columns', () => {
  // Terms at the column's usual scale, at other scales, as bigints, with high limbs, and near 2^53
  // so the number parts spill.
  const term = fc.record({
    party: fc.integer({ min: 0, max: 2 }),
    kind: fc.constantFrom('number', 'number', 'bigint', 'limbs'),
    v: fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.maxSafeInteger(),
      fc.integer({ min: 2 ** 52, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: -(2 ** 52) }),
    ),
    hi: fc.oneof(
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 2 ** 52, max: Number.MAX_SAFE_INTEGER }),
    ),
    s: fc.oneof({ weight: 4, arbitrary: fc.constant(13) }, fc.integer({ min: 0, max: 22 })),
  });
  it('SumColumn holds each participant’s exact sum, whatever the terms', () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 60 }), (terms) => {
        const col = new SumColumn(3);
        const ref = new Array<bigint>(3).fill(0n);
        for (const t of terms) {
          if (t.kind === 'limbs') {
            const lo = Math.abs(t.v) % LIMB;
            col.add(t.party, lo, t.s, t.hi);
            ref[t.party]! += at(BigInt(t.hi) * BigInt(LIMB) + BigInt(lo), t.s);
          } else {
            const v = t.kind === 'bigint' ? BigInt(t.v) * 10n ** 10n : t.v;
            col.add(t.party, v, t.s, 0);
            ref[t.party]! += at(BigInt(v), t.s);
          }
        }
        for (let p = 0; p < 3; p++) {
          const f = col.value(p);
          expect(at(f.v, f.s)).toBe(ref[p]);
          // What the participants list writes as bytes spells the same text.
          const w = new ByteWriter(COLLECT, 8);
          col.write(w, p);
          expect(new TextDecoder().decode(w.digest())).toBe(format(f));
        }
      }),
      runs(1500),
    );
  });
  it('SumColumn.roundedWith rounds a payment half-even as the exact path does, or gives way', () => {
    // An amounts column (numbers, now and then a bigint or a term at another scale) and a fees
    // column (high limbs as mulLimbs makes them), summed or subtracted and rounded to 0–6 places.
    const amount = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 10 ** 12 }) },
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.constant(0),
    );
    const fee = fc.record({
      lo: fc.integer({ min: 0, max: LIMB - 1 }),
      hi: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 10 ** 7 }),
        // Real fees: rate 0.01 × an amount of 100 at 20 places is a high limb of 10^12.
        fc.integer({ min: 0, max: 10 ** 13 }),
        fc.maxSafeInteger(),
      ),
    });
    const side = fc.record({
      amounts: fc.array(amount, { maxLength: 4 }),
      fees: fc.array(fee, { maxLength: 4 }),
      odd: fc.boolean(),
    });
    let covered = 0;
    fc.assert(
      fc.property(
        side,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 8, max: 22 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(1, -1),
        ({ amounts, fees, odd }, sA, sB, places, sign) => {
          const a = new SumColumn(1);
          const b = new SumColumn(1);
          for (const v of amounts) a.add(0, v, sA, 0);
          // A term at another scale or as a bigint goes to the column's Sum: the number path gives way.
          if (odd) a.add(0, 5n, sA + 1, 0);
          for (const f of fees) b.add(0, f.hi === 0 ? f.lo : f.lo, sB, f.hi);
          const sum = sign === 1 ? add(a.value(0), b.value(0)) : sub(a.value(0), b.value(0));
          const want = roundHalfEven(sum, places);
          const got = a.roundedWith(b, sign as 1 | -1, 0, places);
          if (Number.isNaN(got)) return;
          covered++;
          expect(at(BigInt(got), places)).toBe(at(want.v, want.s));
        },
      ),
      runs(3000),
    );
    // The number path took most cases (it is not a test of the fallback alone).
    expect(covered).toBeGreaterThan(400);
  });
  it('SumColumn.roundedWith breaks ties to the even neighbour, both signs', () => {
    const col = (v: number, s: number, hi = 0) => {
      const c = new SumColumn(1);
      c.add(0, v, s, hi);
      return c;
    };
    // 0.5 → 0, 1.5 → 2, 2.5 → 2; 0.25 + 0.25 = 0.5 → 0; 3 − 0.5 = 2.5 → 2; 0 − 1.5 = −1.5 → −2.
    expect(col(5, 1).roundedWith(col(0, 1), 1, 0, 0)).toBe(0);
    expect(col(15, 1).roundedWith(col(0, 1), 1, 0, 0)).toBe(2);
    expect(col(25, 1).roundedWith(col(0, 1), 1, 0, 0)).toBe(2);
    expect(col(25, 2).roundedWith(col(25, 2), 1, 0, 0)).toBe(0);
    expect(col(3, 0).roundedWith(col(5, 1), -1, 0, 0)).toBe(2);
    expect(col(0, 0).roundedWith(col(15, 1), -1, 0, 0)).toBe(-2);
    // A fee of 5 × 10^-21 over 0.0049…: (10^8·5 + 0) at scale 29 is past the 23-place fraction.
    expect(col(0, 2).roundedWith(col(0, 29, 5), 1, 0, 0)).toBeNaN();
    // 1 + (2 × 10^8 + 50,000,000) / 10^18 = 1.00000000025 → 1.0000000002 at 10 places.
    expect(col(10 ** 10, 10).roundedWith(col(50_000_000, 18, 2), 1, 0, 10)).toBe(10_000_000_002);
    // Both at 20 places: the low limbs' last five digits (below 10^-15) carry into the half:
    // (5 × 10^19 − 60,000) + 60,001 = 5 × 10^19 + 1 units of 10^-20, just past 0.5 → 1.
    expect(col(99_940_000, 20, 499_999_999_999).roundedWith(col(60_001, 20), 1, 0, 0)).toBe(1);
    // The real path (amounts at 12 places, fees at 20, currency at 2: d = 18), exact ties: a fee
    // of 0.125 is 125 × 10^17 units = 125 × 10^9 high limb; 1.00 + 0.125 = 1.125 → 112.5 → 112;
    // 1.01 + 0.125 = 1.135 → 113.5 → 114; 0 − 0.125 → −12.5 → −12; one unit more or less moves it.
    const fee = (hi: number, lo = 0) => col(lo, 20, hi);
    expect(col(10 ** 12, 12).roundedWith(fee(125 * 10 ** 9), 1, 0, 2)).toBe(112);
    expect(col(101 * 10 ** 10, 12).roundedWith(fee(125 * 10 ** 9), 1, 0, 2)).toBe(114);
    expect(col(0, 12).roundedWith(fee(125 * 10 ** 9), -1, 0, 2)).toBe(-12);
    expect(col(0, 12).roundedWith(fee(125 * 10 ** 9, 1), -1, 0, 2)).toBe(-13);
    expect(col(10 ** 12, 12).roundedWith(fee(125 * 10 ** 9 - 1, 99_999_999), 1, 0, 2)).toBe(112);
    expect(col(10 ** 12, 12).roundedWith(fee(125 * 10 ** 9, 1), 1, 0, 2)).toBe(113);
    // d = 23 is the last the fraction holds (k = 0); d = 24 gives way.
    expect(col(0, 0).roundedWith(col(0, 23, 5 * 10 ** 14), 1, 0, 0)).toBe(0);
    expect(col(0, 0).roundedWith(col(5, 23, 5 * 10 ** 14), 1, 0, 0)).toBe(1);
    expect(col(0, 0).roundedWith(col(1, 24), 1, 0, 0)).toBeNaN();
    // An amount at fewer places than the currency's: the exact path.
    expect(col(1, 0).roundedWith(col(0, 18), 1, 0, 2)).toBeNaN();
  });
  it('SumColumn spills past 2^53 both ways, in the number part and the high limb', () => {
    const col = new SumColumn(1);
    const M = Number.MAX_SAFE_INTEGER;
    col.add(0, M, 13, 0);
    col.add(0, 2, 13, 0); // M + 2 = 2^53 + 1: no double holds it
    col.add(0, -M, 13, 0);
    col.add(0, -M, 13, 0);
    col.add(0, -M, 13, 0);
    col.add(0, -2, 13, 0); // the same past −2^53
    col.add(0, 3, 13, M);
    col.add(0, 4, 13, 2); // M + 2 again, in the high limb
    const want = -2n * BigInt(M) + 7n + (BigInt(M) + 2n) * BigInt(LIMB);
    expect(col.value(0)).toEqual({ v: want, s: 13 });
    const neg = new SumColumn(1);
    neg.add(0, 1, 2, -M);
    neg.add(0, 1, 2, -2);
    expect(neg.value(0)).toEqual({ v: 2n - (BigInt(M) + 2n) * BigInt(LIMB), s: 2 });
  });
  it('Accounts keeps energy exact past 2^53 and reports only carriers that moved', () => {
    // Party 1 never trades: it has no account.
    const ledger = new Accounts(['a', 'unused', 'b']);
    const big = Number.MAX_SAFE_INTEGER - 10;
    ledger.buy(2, 1, big, 5, 0, 0, 0);
    ledger.buy(2, 1, big, 5, 0, 0, 0);
    ledger.buy(2, 1, 3, 0, 0, 0, 0);
    ledger.sell(0, 3, 7, 5, 0, 1, 2);
    const s = ledger.settle(2, 0);
    expect(s.participants.map((p) => p.participant)).toEqual(['a', 'b']);
    expect(s.participants[1]!.energy).toEqual({
      // 2^54 − 19 is odd: a float sum could not hold it.
      heat: { bought: (2n * BigInt(big) + 3n).toString(), sold: '0' },
    });
    expect(s.participants[0]!.energy).toEqual({ gas: { bought: '0', sold: '7' } });
    expect(s.participants[0]!.supplierFees).toBe('0.01');
    expect(s.platform.commissions).toBe('0.01');
    expect(s.participants[1]!.paid).toBe('10');
  });
  it('a settlement read late lists what it was settled with, not a later settle', () => {
    const ledger = new Accounts(['a', 'b']);
    ledger.buy(1, 0, 1, 12345, 4, 0, 0);
    ledger.sell(0, 0, 1, 12345, 4, 0, 0);
    const first = ledger.settle(2, 0);
    const second = ledger.settle(4, 0);
    expect(second.participants[1]!.paid).toBe('1.2345');
    expect(first.participants[1]!.paid).toBe('1.23');
  });
  it('Accounts.data() round-trips through structured clone to the same participants list', () => {
    // What a worker thread sends (ClearingPool.clear): any mix of buys and sells, amounts and
    // fees as numbers, bigints and high limbs, energy past 2^53, accounts that never open.
    const names = ['zed', 'a', 'unused', 'Ä', 'b'];
    const M = Number.MAX_SAFE_INTEGER;
    const trade = fc.record({
      sell: fc.boolean(),
      party: fc.constantFrom(0, 1, 3, 4),
      carrier: fc.integer({ min: 0, max: 3 }),
      q: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constant(M - 10)),
      amount: fc.oneof(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.bigInt({ min: BigInt(M), max: 10n ** 20n }),
      ),
      fee: fc.integer({ min: 0, max: 10 ** 6 }),
      feeHigh: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
    });
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 30 }), fc.integer({ min: 0, max: 4 }), (ts, cs) => {
        const ledger = new Accounts(names);
        for (const t of ts) {
          const fee = t.feeHigh === 0 ? t.fee : t.fee % LIMB;
          if (t.sell) ledger.sell(t.party, t.carrier, t.q, t.amount, 6, fee, 8, t.feeHigh);
          else ledger.buy(t.party, t.carrier, t.q, t.amount, 6, fee, 8, t.feeHigh);
        }
        const settled = ledger.settle(cs, 3);
        const data = ledger.data();
        const copy = structuredClone(data);
        expect(copy.names).toEqual([...settled.participants.map((p) => p.participant)]);
        const list = Accounts.participantsOf(copy);
        expect(list).toEqual(settled.participants);
        expect(Object.isFrozen(list)).toBe(Object.isFrozen(settled.participants));
        for (const [k, p] of list.entries())
          expect(Object.isFrozen(p)).toBe(Object.isFrozen(settled.participants[k]));
      }),
      runs(300),
    );
  });
});

import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  compare,
  format,
  mul,
  mulScaled,
  parse,
  roundHalfEven,
  Sum,
  sub,
} from '../../src/decimal/fixed.js';
import { runs } from '../helpers/books.js';

const D = Decimal.clone({ precision: 500, rounding: Decimal.ROUND_HALF_EVEN });
const canon = (d: InstanceType<typeof D>) => (d.isZero() ? '0' : d.toFixed());
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }))
  .map(([neg, v, s]) => {
    const t = v.toString().padStart(s + 1, '0');
    const text = s === 0 ? t : `${t.slice(0, t.length - s)}.${t.slice(t.length - s)}`;
    return neg && v !== 0n ? `-${text}` : text;
  });

describe('Fixed = decimal.js', () => {
  it('add, sub, mul and compare agree exactly', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(format(add(parse(a), parse(b)))).toBe(canon(new D(a).plus(b)));
        expect(format(sub(parse(a), parse(b)))).toBe(canon(new D(a).minus(b)));
        expect(format(mul(parse(a), parse(b)))).toBe(canon(new D(a).times(b)));
        expect(compare(parse(a), parse(b))).toBe(new D(a).comparedTo(b));
      }),
      runs(3000),
    );
  });
  it('rounds half-even like decimal.js, ties included', () => {
    const ties = fc.constantFrom(
      '2.15975',
      '1.08625',
      '-2.5',
      '-3.5',
      '0.5',
      '1.5',
      '0.000005',
      '-0.000015',
    );
    fc.assert(
      fc.property(fc.oneof(decimalText, ties), fc.integer({ min: 0, max: 12 }), (a, places) => {
        expect(format(roundHalfEven(parse(a), places))).toBe(
          canon(new D(a).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN)),
        );
      }),
      runs(3000),
    );
  });
});

describe('safe-integer fast paths = bigint', () => {
  // Integers near 2^53 and 2^26 make products and sums cross the safe range often.
  const safe = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.maxSafeInteger(),
    fc.integer({ min: 2 ** 26 - 1000, max: 2 ** 27 }),
    fc.constantFrom(0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52, 94906265),
  );
  it('mulScaled is the exact product, a number only when that is a safe integer', () => {
    fc.assert(
      fc.property(safe, safe, (a, b) => {
        const p = mulScaled(a, b);
        const exact = BigInt(a) * BigInt(b);
        expect(BigInt(p)).toBe(exact);
        const fits =
          exact <= BigInt(Number.MAX_SAFE_INTEGER) && -exact <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(typeof p).toBe(fits ? 'number' : 'bigint');
      }),
      runs(3000),
    );
  });
  it('Sum adds numbers, bigints and mixed scales exactly', () => {
    const term = fc.tuple(
      fc.oneof(safe, fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n })),
      fc.integer({ min: 0, max: 20 }),
    );
    fc.assert(
      fc.property(fc.array(term, { maxLength: 40 }), (terms) => {
        const sum = new Sum();
        let ref = new D(0);
        for (const [v, s] of terms) {
          sum.addScaled(v, s);
          ref = ref.plus(new D(v.toString()).div(new D(10).pow(s)));
        }
        expect(format(sum.value)).toBe(canon(ref));
      }),
      runs(2000),
    );
  });
});

import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLimbs, formatScaled } from '../../src/decimal/decimal.js';
import {
  add,
  compare,
  divide,
  format,
  highLimb,
  LIMB,
  mul,
  mulLimbs,
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
  it('compare says 0 for equal values at different scales, and the sign otherwise', () => {
    expect(compare(parse('1.50'), parse('1.5'))).toBe(0);
    expect(compare(parse('1.5'), parse('1.5'))).toBe(0);
    expect(compare(parse('-0.001'), parse('0'))).toBe(-1);
    expect(compare(parse('0.001'), parse('0'))).toBe(1);
  });
  it('divide rounds a / b half-even to the places asked, at any scales', () => {
    const positive = decimalText.filter((t) => !t.startsWith('-') && !/^[0.]+$/.test(t));
    fc.assert(
      fc.property(decimalText, positive, fc.integer({ min: 0, max: 12 }), (a, b, places) => {
        const D2 = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
        const want = new D2(a).div(b).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
        expect(format(divide(parse(a), parse(b), places))).toBe(canon(want));
      }),
      runs(2000),
    );
  });
  it('parse refuses what is not a decimal', () => {
    expect(() => parse('1e5')).toThrow(RangeError);
    expect(() => parse('abc')).toThrow(/^"decimal" /);
  });
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
  const nonNegative = fc.oneof(
    fc.integer({ min: 0, max: 2 ** 31 }),
    fc.maxSafeNat(),
    fc.integer({ min: LIMB - 1000, max: LIMB + 1000 }),
    fc.constantFrom(0, 1, LIMB, Number.MAX_SAFE_INTEGER, 2 ** 52, 99_999_999),
  );
  it('highLimb is ⌊v / 10^8⌋ and v − highLimb × 10^8 is v mod 10^8, exactly, on every safe integer (bigint reference)', () => {
    // Near multiples of 10^8, where a float quotient's floor would be one off if it ever rounded up.
    const nearMultiple = fc
      .tuple(
        fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / LIMB) }),
        fc.integer({ min: -3, max: 3 }),
      )
      .map(([k, d]) => k * LIMB + d)
      .filter((v) => v >= 0 && v <= Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.oneof(nonNegative, nearMultiple), (v) => {
        const hi = highLimb(v);
        expect(BigInt(hi)).toBe(BigInt(v) / BigInt(LIMB));
        expect(BigInt(v - hi * LIMB)).toBe(BigInt(v) % BigInt(LIMB));
      }),
      runs(2000),
    );
  });
  it('mulLimbs is the exact product as hi × 10^8 + lo, or -1 when a limb would not be safe', () => {
    const out = new Float64Array(1);
    let limbs = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.oneof(nonNegative, fc.integer({ min: -1000, max: -1 })),
        nonNegative,
        (a, b) => {
          out[0] = Number.NaN;
          const lo = mulLimbs(a, b, out);
          // Refused exactly when a factor is negative or a partial product or the high limb is unsafe.
          const big = BigInt(Number.MAX_SAFE_INTEGER);
          const unsafe =
            a < 0 ||
            b < 0 ||
            BigInt(a) * BigInt(b % LIMB) > big ||
            BigInt(a) * (BigInt(b) / BigInt(LIMB)) > big ||
            (BigInt(a) * BigInt(b)) / BigInt(LIMB) > big;
          expect(lo === -1).toBe(unsafe);
          if (lo === -1) {
            refused++;
            expect(out[0]).toBeNaN();
            return;
          }
          limbs++;
          const hi = out[0]!;
          expect(Number.isSafeInteger(hi) && hi >= 0).toBe(true);
          expect(Number.isSafeInteger(lo) && lo >= 0 && lo < LIMB).toBe(true);
          expect(BigInt(hi) * BigInt(LIMB) + BigInt(lo)).toBe(BigInt(a) * BigInt(b));
          for (const scale of [0, 3, 8, 15, 21, 30]) {
            expect(formatLimbs(hi, lo, scale)).toBe(formatScaled(BigInt(a) * BigInt(b), scale));
          }
        },
      ),
      runs(3000),
    );
    // Both outcomes were exercised.
    expect(limbs).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    // Both partial products safe, but the carry pushes the high limb past 2^53.
    expect(mulLimbs(100_000_001, 9_007_199_190_000_000, out)).toBe(-1);
    expect(mulLimbs(100_000_001, 9_007_199_100_000_000, out)).not.toBe(-1);
  });
  it('Sum adds limbs, numbers and bigints at mixed scales exactly', () => {
    const term = fc.oneof(
      fc
        .tuple(
          fc.constant('limbs' as const),
          fc.oneof(fc.maxSafeNat(), fc.integer({ min: 0, max: 1000 })),
          fc.integer({ min: 0, max: LIMB - 1 }),
          fc.integer({ min: 0, max: 22 }),
        )
        .map(([, hi, lo, s]) => ({ hi, lo, s })),
      fc.tuple(safe, fc.integer({ min: 0, max: 22 })).map(([v, s]) => ({ hi: -1, lo: v, s })),
    );
    fc.assert(
      fc.property(fc.array(term, { maxLength: 40 }), (terms) => {
        const sum = new Sum();
        let ref = 0n;
        const top = 22;
        for (const { hi, lo, s } of terms) {
          if (hi >= 0) {
            sum.addLimbs(hi, lo, s);
            ref += (BigInt(hi) * BigInt(LIMB) + BigInt(lo)) * 10n ** BigInt(top - s);
          } else {
            sum.addScaled(lo, s);
            ref += BigInt(lo) * 10n ** BigInt(top - s);
          }
        }
        const v = sum.value;
        expect(v.v * 10n ** BigInt(top - v.s)).toBe(ref);
      }),
      runs(2000),
    );
    // Number parts past 2^53 both ways, and terms at a lower scale than the sum's.
    const M = Number.MAX_SAFE_INTEGER;
    const spill = new Sum();
    spill.addScaled(M, 2);
    spill.addScaled(2, 2); // M + 2 = 2^53 + 1: no double holds it
    spill.addScaled(-M, 2);
    spill.addScaled(-M, 2);
    spill.addScaled(-M, 2);
    spill.addScaled(7, 0);
    spill.addScaled(3, 5);
    expect(spill.value).toEqual({ v: (2n - 2n * BigInt(M)) * 1000n + 700000n + 3n, s: 5 });
    // Many large high limbs at one scale: the high accumulator passes 2^53 and spills exactly.
    const sum = new Sum();
    for (let i = 0; i < 4; i++) sum.addLimbs(Number.MAX_SAFE_INTEGER, LIMB - 1, 5);
    expect(sum.value).toEqual({
      v: 4n * (BigInt(Number.MAX_SAFE_INTEGER) * BigInt(LIMB) + BigInt(LIMB - 1)),
      s: 5,
    });
  });
});

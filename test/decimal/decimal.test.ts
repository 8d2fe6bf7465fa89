import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareProducts,
  formatScaled,
  readDecimal,
  scaledBigInt,
} from '../../src/decimal/decimal.js';
import { runs } from '../helpers/books.js';

const D = Decimal.clone({ precision: 100 });

describe('readDecimal', () => {
  it.each(['0', '12.5', '0.43', '-3', '100.000', '0.000001'])('accepts %s', (s) => {
    expect(readDecimal(s).ok).toBe(true);
  });
  it.each([
    '',
    ' 1',
    '1 ',
    '1,5',
    '1e',
    '1e5',
    '0x10',
    '1_000',
    '+1',
    '.5',
    '5.',
    'NaN',
    'Infinity',
    '-0',
    '-0.0',
    '01',
    '1.2.3',
    '١',
  ])('refuses %j', (s) => {
    expect(readDecimal(s).ok).toBe(false);
  });
  it('refuses absurdly long input before any work', () => {
    expect(readDecimal(`1${'0'.repeat(1_000_000)}`).ok).toBe(false);
  });
});

describe('formatScaled', () => {
  it('is the canonical decimal of value / 10^scale, exactly as decimal.js says', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 20 }),
        (v, scale) => {
          const expected = new D(v.toString()).div(new D(10).pow(scale));
          expect(formatScaled(v, scale)).toBe(expected.isZero() ? '0' : expected.toFixed());
        },
      ),
    );
  });
  it('gives a safe integer the same text as its bigint, at every scale (number fast path)', () => {
    const safe = fc.oneof(
      fc.maxSafeInteger(),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      // Trailing zeros, powers of ten and the edges of the safe range.
      fc
        .tuple(fc.integer({ min: -9_999_999, max: 9_999_999 }), fc.integer({ min: 0, max: 9 }))
        .map(([m, e]) => m * 10 ** e),
      fc.constantFrom(
        0,
        1,
        -1,
        Number.MAX_SAFE_INTEGER,
        -Number.MAX_SAFE_INTEGER,
        1e15,
        999_999_999_999_999,
      ),
    );
    fc.assert(
      fc.property(safe, fc.integer({ min: 0, max: 30 }), (v, scale) => {
        const expected = new D(v.toString()).div(new D(10).pow(scale));
        expect(formatScaled(v, scale)).toBe(expected.isZero() ? '0' : expected.toFixed());
        expect(formatScaled(v, scale)).toBe(formatScaled(BigInt(v), scale));
      }),
      { numRuns: 2000 },
    );
    expect(formatScaled(-0, 3)).toBe('0');
    expect(formatScaled(-5, 2)).toBe('-0.05');
    expect(formatScaled(120, 1)).toBe('12');
    expect(formatScaled(1_000_001, 6)).toBe('1.000001');
    // Past 15 decimals (the number path's table of powers of ten ends at 10^15): all fraction.
    expect(formatScaled(4_989_325_983_650, 16)).toBe('0.000498932598365');
    expect(formatScaled(-Number.MAX_SAFE_INTEGER, 16)).toBe('-0.9007199254740991');
    expect(formatScaled(7, 30)).toBe('0.000000000000000000000000000007');
  });
  it('round-trips with scaledBigInt', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 25n }),
        fc.integer({ min: 0, max: 12 }),
        (v, scale) => {
          expect(scaledBigInt(formatScaled(v, scale), scale)).toBe(v);
        },
      ),
    );
  });
});

describe('compareProducts', () => {
  it('orders a1×a2 against b1×b2 exactly, also past 2^53 and on near-ties', () => {
    const big = fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.maxSafeNat(),
      fc.integer({ min: 2 ** 40, max: 2 ** 45 }),
    );
    fc.assert(
      fc.property(big, big, big, big, (a1, a2, b1, b2) => {
        const x = BigInt(a1) * BigInt(a2);
        const y = BigInt(b1) * BigInt(b2);
        expect(Math.sign(compareProducts(a1, a2, b1, b2))).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      runs(5000),
    );
  });
  it('separates products that floats cannot tell apart', () => {
    // (2^53 − 1) × 3 and (2^53 − 2) × 3 + 3 … differ by one unit but round to the same double.
    const a = Number.MAX_SAFE_INTEGER;
    expect(compareProducts(a, 1_000_001, a - 1, 1_000_001)).toBe(1);
    expect(compareProducts(a - 1, 1_000_001, a, 1_000_001)).toBe(-1);
    expect(compareProducts(3, a, a, 3)).toBe(0);
  });
});

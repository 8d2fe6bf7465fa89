import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDecimal, scaledFromParts } from '../../src/decimal/decimal.js';
import { plainScaled } from '../../src/validate/common.js';
import { runs } from '../helpers/books.js';

/** The full path's answer: the scaled integer when readDecimal accepts within the scale, else -1. */
function full(text: string, scale: number): number {
  const r = readDecimal(text);
  if (!r.ok || r.negative || r.frac.length > scale || r.int.length + scale > 16) return -1;
  const v = scaledFromParts(r.int, r.frac, scale);
  return Number.isSafeInteger(v) ? v : -1;
}

describe('plainScaled (the validation fast path) never disagrees with the full decimal check', () => {
  const chars = fc.constantFrom('0', '1', '5', '9', '.', '-', 'e', ' ', '+', '_', ',');
  const text = fc.oneof(
    fc.array(chars, { maxLength: 18 }).map((a) => a.join('')),
    fc
      .tuple(
        fc.nat({ max: 10 ** 9 }),
        fc.stringMatching(/^[0-9]{0,9}$/),
        fc.constantFrom('', '0', '00', '000'),
      )
      .map(([i, f, z]) => (f === '' && z === '' ? String(i) : `${i}.${f}${z}`)),
    fc.constantFrom('0', '0.0', '01', '1.', '.5', '1.50', '999999999999999', '0.000000', '1e5'),
  );
  it('is -1 or exactly the full path’s scaled integer', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 12 }), (t, scale) => {
        const fast = plainScaled(t, scale);
        if (fast !== -1) expect(fast).toBe(full(t, scale));
      }),
      runs(20_000),
    );
  });
  it('takes the common shapes itself', () => {
    expect(plainScaled('0.43', 6)).toBe(430_000);
    expect(plainScaled('12', 6)).toBe(12_000_000);
    expect(plainScaled('1.5000000', 6)).toBe(1_500_000);
    expect(plainScaled('0', 6)).toBe(0);
    for (const bad of ['', '01', '1.', '.5', '-1', '1e5', ' 1', '1.0000005', '1234567890123456'])
      expect(plainScaled(bad, 6)).toBe(-1);
  });
});

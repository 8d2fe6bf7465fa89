import { describe, expect, it } from 'vitest';
import { clearCycle, clearCycleReference } from '../../src/index.js';
import { exactSum } from '../../src/internal/column.js';

const T = '2026-01-01T00:00:30Z';

describe('carrier summaries past 2^53 in quantity units', () => {
  it('exactSum carries into a bigint where a double would round', () => {
    const unsafe = Number.MAX_SAFE_INTEGER;
    // 2^53 + 1 has no double: a sum in doubles gives 2^53.
    expect(exactSum(Float64Array.of(unsafe, 2))).toBe(BigInt(unsafe) + 2n);
    expect(exactSum(Float64Array.of(unsafe, 2, unsafe, 1, 7))).toBe(2n * BigInt(unsafe) + 10n);
    expect(exactSum(new Float64Array(0))).toBe(0n);
  });

  it('offered, demanded and the P2P volume are exact (and equal to the reference engine)', () => {
    // Ten orders a side at six places, nine of 999,999,999,999,999 units and one of …998:
    // 9,999,999,999,999,989 units in all, past 2^53 and odd (no double holds it).
    const side = (prefix: string, party: string) =>
      Array.from({ length: 10 }, (_, k) => ({
        id: `${prefix}${k}`,
        participant: party,
        carrier: 'electricity' as const,
        quantity: k === 9 ? '999999999.999998' : '999999999.999999',
        price: '1',
      }));
    const book = { offers: side('o', 'pv'), bids: side('b', 'home') };
    const config = {
      limits: { maxQuantity: '1000000000', maxPrice: '1000000', quantityScale: 6, priceScale: 3 },
    };
    const result = clearCycle(book, config, { timestamp: T });
    const [summary] = result.carriers;
    expect(summary?.offered).toBe('9999999999.999989');
    expect(summary?.demanded).toBe('9999999999.999989');
    expect(summary?.p2pVolume).toBe('9999999999.999989');
    expect(result.carriers).toEqual(clearCycleReference(book, config, { timestamp: T }).carriers);
  });
});

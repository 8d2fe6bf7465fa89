import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Columns,
  type CommissionPolicy,
  type CycleResult,
  clearCycle,
  resultColumns,
} from '../../src/index.js';
import { bookArb, everyConfigArb } from '../helpers/arbitraries.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';

/** Every field of every record of `columns`, read in `order`, as objects. */
function readAll<T extends object>(
  columns: Columns<T>,
  keys: readonly (keyof T)[],
  order: number[],
) {
  const out: Record<string, unknown>[] = new Array(columns.length);
  for (const i of order) {
    const row: Record<string, unknown> = {};
    for (const k of keys) row[k as string] = (columns[k] as (i: number) => unknown)(i);
    out[i] = row;
  }
  return out;
}

const keysOf = <T extends object>(list: readonly T[]) =>
  (list.length === 0 ? [] : Object.keys(list[0]!)) as (keyof T)[];

/** The columns of `result` hold, field by field, what its lists hold. */
function expectSameAsLists(result: CycleResult, order: (n: number) => number[]) {
  const columns = resultColumns(result);
  for (const name of ['trades', 'poolPurchases', 'poolTrades'] as const) {
    const list = result[name] as readonly object[];
    const cols = columns[name] as unknown as Columns<object>;
    expect(cols.length).toBe(list.length);
    expect(readAll(cols, keysOf(list), order(list.length))).toEqual(list);
    for (let i = 0; i < list.length; i++) expect(cols.at(i)).toEqual(list[i]);
  }
}

const inOrder = (n: number) => Array.from({ length: n }, (_, i) => i);
const backwards = (n: number) => inOrder(n).reverse();

describe('resultColumns', () => {
  it('reads the worked example field by field as result.trades holds it', () => {
    const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    const trades = resultColumns(result).trades;
    expect(trades.length).toBe(result.trades.length);
    expect(trades.length).toBeGreaterThan(0);
    expect([trades.bidId(0), trades.seller(0), trades.price(0), trades.amount(0)]).toEqual([
      result.trades[0]!.bidId,
      result.trades[0]!.seller,
      result.trades[0]!.price,
      result.trades[0]!.amount,
    ]);
    expectSameAsLists(result, inOrder);
  });

  it('holds on any book and config, read in any order, before or after the lists', () => {
    fc.assert(
      fc.property(
        bookArb({ allCarriers: true }),
        everyConfigArb,
        fc.boolean(),
        (book, config, first) => {
          const a = clearCycle(book, config, { timestamp: T0 });
          // Columns read first, then the lists; and the other way round on a second result.
          if (first) expectSameAsLists(a, backwards);
          const json = JSON.stringify(a);
          if (!first) expectSameAsLists(a, backwards);
          expect(JSON.stringify(a)).toBe(json);
          expect(JSON.stringify(clearCycle(book, config, { timestamp: T0 }))).toBe(json);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a custom policy’s own supplier and consumer fees', () => {
    const policy: CommissionPolicy = {
      id: 'two-fees/v1',
      fees: (_t, ctx) => ({ supplierFee: '0.001', consumerFee: `0.00${ctx.bidRank + 2}` }),
    };
    const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, commission: policy });
    const trades = resultColumns(result).trades;
    expect(trades.length).toBeGreaterThan(1);
    expect(trades.supplierFee(0)).toBe('0.001');
    expect(trades.consumerFee(0)).toBe('0.002');
    expectSameAsLists(result, backwards);
  });

  it('reads any other result (a parsed RESULT file) through its lists', () => {
    const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    const parsed = JSON.parse(JSON.stringify(result)) as CycleResult;
    expectSameAsLists(parsed, inOrder);
    expect(resultColumns(parsed).trades.at(0)).toBe(parsed.trades[0]);
  });

  it('throws a RangeError for an index outside the list, on either kind of result', () => {
    const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    const parsed = JSON.parse(JSON.stringify(result)) as CycleResult;
    for (const r of [result, parsed]) {
      const { trades, poolPurchases, poolTrades } = resultColumns(r);
      for (const i of [-1, trades.length, 0.5, Number.NaN])
        expect(() => trades.price(i)).toThrow(RangeError);
      expect(() => trades.at(trades.length)).toThrow(/out of range/);
      expect(() => poolPurchases.amount(poolPurchases.length)).toThrow(RangeError);
      expect(() => poolTrades.lotId(-1)).toThrow(RangeError);
    }
  });

  it('is the same object on every call for a result of clearCycle', () => {
    const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    expect(resultColumns(result)).toBe(resultColumns(result));
    expect(Object.keys(result)).not.toContain('columns');
  });
});

import { describe, expect, it } from 'vitest';
import { benchBookOptions } from '../../src/cli/bench.js';
import { generateBook } from '../../src/cli/generators.js';
import { TRADE_KEYS } from '../../src/engine/records/generated-columns.js';
import { type CommissionPolicy, clearCycle, resultColumns, type Trade } from '../../src/index.js';
import { T0 } from '../helpers/books.js';

// `result.trades` cuts its money texts from strings decoded for runs of 16,384 trades
// (src/engine/records/trade-texts.ts); `resultColumns` formats each number on its own. The two
// must agree on every field of every trade, across runs.

function sameAsColumns(
  trades: readonly Trade[],
  columns: ReturnType<typeof resultColumns>['trades'],
) {
  expect(trades.length).toBe(columns.length);
  let mismatches = 0;
  for (let i = 0; i < trades.length; i++) {
    for (const f of TRADE_KEYS) if (trades[i]![f] !== columns[f](i)) mismatches++;
  }
  expect(mismatches).toBe(0);
}

describe('result.trades, its texts made in runs', () => {
  it('equals the columns field by field on a book of more than one run (fees equal)', () => {
    const r = clearCycle(generateBook(benchBookOptions('random', 12_000)), {}, { timestamp: T0 });
    expect(r.trades.length).toBeGreaterThan(16_384);
    sameAsColumns(r.trades, resultColumns(r).trades);
    // A built-in rate's two fees are one string.
    expect(r.trades.every((t) => t.supplierFee === t.consumerFee)).toBe(true);
  });

  it('equals the columns when the two fees differ', () => {
    const policy: CommissionPolicy = {
      id: 'by-rank/v1',
      fees: (_t, ctx) =>
        ctx.scenario === 'p2p'
          ? { supplierFee: '0.001', consumerFee: `0.00${ctx.bidRank % 7}` }
          : { supplierFee: '0', consumerFee: '0' },
    };
    const book = generateBook(benchBookOptions('random', 12_000));
    const r = clearCycle(book, {}, { timestamp: T0, commission: policy });
    expect(r.trades.some((t) => t.supplierFee !== t.consumerFee)).toBe(true);
    sameAsColumns(r.trades, resultColumns(r).trades);
  });
});

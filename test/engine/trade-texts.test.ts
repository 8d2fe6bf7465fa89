import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { benchBookOptions } from '../../src/cli/bench.js';
import { generateBook } from '../../src/cli/generators.js';
import { TRADE_KEYS } from '../../src/engine/records/generated-columns.js';
import { type CommissionPolicy, clearCycle, resultColumns, type Trade } from '../../src/index.js';
import { T0 } from '../helpers/books.js';

// `result.trades` makes its money texts from bytes written for runs of 16,384 trades
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

  it('holds no more memory than the same trades with each text a string of its own', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    /** Heap bytes that what `make` returns keeps alive. */
    const retained = (make: () => unknown) => {
      gc();
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = make();
      gc();
      gc();
      const bytes = process.memoryUsage().heapUsed - before;
      expect(kept).toBeDefined();
      return bytes;
    };
    const r = clearCycle(generateBook(benchBookOptions('random', 12_000)), {}, { timestamp: T0 });
    const list = retained(() => r.trades);
    // The same objects, their ids and names shared as the engine shares them, and each money
    // text copied into a flat string of its own (no slice of a longer text to keep alive).
    const own = (s: string) =>
      String.fromCharCode.apply(
        null,
        Array.from(s, (c) => c.charCodeAt(0)),
      );
    const reference = retained(() =>
      r.trades.map((t) => {
        const fee = own(t.consumerFee);
        return Object.freeze({
          bidId: t.bidId,
          offerId: t.offerId,
          buyer: t.buyer,
          seller: t.seller,
          carrier: t.carrier,
          quantity: own(t.quantity),
          price: own(t.price),
          amount: own(t.amount),
          supplierFee: fee,
          consumerFee: fee,
        });
      }),
    );
    // Cut from one decoded text a run, the amounts and fees (13 characters and more) were
    // slices keeping that text alive: ~1.2 times the reference.
    expect(list / reference).toBeLessThan(1.08);
  });
});

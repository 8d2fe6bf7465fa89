/**
 * A polluted `Object.prototype` (or `Array.prototype`) must not inject anything: every input is
 * read by its own properties only. Each test pollutes, runs, and cleans up in a `finally` block
 * before it asserts, so a failure never leaves the prototype dirty for the next test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClearingError,
  type CommissionPolicy,
  clearCycle,
  Market,
  parseBook,
  parseConfig,
  safeParseBook,
  verifyCycle,
} from '../../src/index.js';
import { bid, offer, T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { thrown } from '../helpers/thrown.js';

const PROTOS = [Object.prototype, Array.prototype] as const;

/** Runs `run` with `props` set (enumerable, as `Object.prototype.x = v` does) on `proto`. */
function polluted<T>(
  props: Record<string, unknown>,
  run: () => T,
  proto: object = Object.prototype,
): T {
  for (const [k, v] of Object.entries(props)) (proto as Record<string, unknown>)[k] = v;
  try {
    return run();
  } finally {
    for (const k of Object.keys(props)) delete (proto as Record<string, unknown>)[k];
  }
}

afterEach(() => {
  // A test that failed half-way must not leave the next one polluted.
  for (const p of PROTOS) expect(Object.keys(p)).toEqual([]);
});

const EVIL_LOT = { id: 'evil', carrier: 'electricity', quantity: '100', price: '0' };
const SHORT_BOOK = {
  offers: [offer('s1', 'pv-1', '1', '0.30')],
  bids: [bid('c1', 'home-1', '5', '0.60')],
};

describe('a polluted prototype', () => {
  it('injects no storage lot into a book without one (object or text)', () => {
    const viaObject = polluted({ storage: [EVIL_LOT] }, () =>
      clearCycle(SHORT_BOOK, {}, { timestamp: T0 }),
    );
    const viaText = polluted({ storage: [EVIL_LOT] }, () =>
      // Not plain (an escape): read by JSON.parse and the general path.
      clearCycle(
        JSON.stringify(SHORT_BOOK).replace('"pv-1"', '"pv\\u002d1"'),
        {},
        {
          timestamp: T0,
        },
      ),
    );
    const clean = clearCycle(SHORT_BOOK, {}, { timestamp: T0 });
    for (const r of [viaObject, viaText]) {
      expect(r.poolTrades.some((t) => t.lotId === 'evil')).toBe(false);
      expect(r.block.hash).toBe(clean.block.hash);
    }
  });

  it('changes no order field: an absent field stays absent, an absent option stays default', () => {
    const r = polluted({ price: '0', allOrNone: true, seq: 7, participant: 'ghost' }, () => ({
      missing: safeParseBook({
        offers: [{ id: 's', participant: 'p', carrier: 'heat', quantity: '1' }],
        bids: [],
      }),
      book: parseBook({ offers: [], bids: [bid('c1', 'h1', '1', '0.5')], storage: [EVIL_LOT] }),
    }));
    expect(r.missing.success === false && r.missing.issues.map((i) => [i.path, i.code])).toEqual([
      ['offers[0].price', 'required'],
    ]);
    expect(r.book.bids[0]).toMatchObject({ allOrNone: false, seq: 0 });
    expect(r.book.storage?.[0]?.seq).toBe(0);
  });

  it('reads no order from a hole in a side (an index on a prototype)', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const sparse = { offers: [, offer('s2', 'p', '1', '0.1')], bids: [] };
    for (const proto of PROTOS) {
      const r = polluted({ 0: offer('s1', 'p', '1', '0.1') }, () => safeParseBook(sparse), proto);
      expect(r.success === false && r.issues.map((i) => [i.path, i.code])).toEqual([
        ['offers[0]', 'invalid_type'],
      ]);
    }
  });

  it('changes no config field: pricingK, commission, limits', () => {
    const clean = parseConfig({});
    const cfg = polluted(
      {
        pricingK: '1',
        commission: { kind: 'none' },
        limits: { maxOrders: 1 },
        k: '0.9',
        kind: 'flat',
        rate: '0.5',
      },
      () => [
        parseConfig({}),
        parseConfig({ pricing: { k: '0.25' } }),
        parseConfig('{"commission":{"kind":"priority"}}'),
      ],
    );
    expect(cfg[0]).toEqual(clean);
    expect(cfg[1]?.pricingK).toBe('0.25');
    expect(cfg[2]?.commission).toEqual(clean.commission);
  });

  it('changes no trade price: the worked example clears the same', () => {
    const clean = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    const dirty = polluted({ pricingK: '1' }, () =>
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }),
    );
    expect(dirty.trades).toEqual(clean.trades);
    expect(dirty.block.hash).toBe(clean.block.hash);
  });

  it('adds no option to a cycle: no previous block, no custom commission', () => {
    const policy: CommissionPolicy = {
      id: 'evil/v1',
      fees: () => ({ supplierFee: '0', consumerFee: '0' }),
    };
    const previous = { height: 41, hash: 'ab'.repeat(32), timestamp: T0 };
    const clean = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    const dirty = polluted({ previous, commission: policy }, () =>
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }),
    );
    expect(dirty.block.height).toBe(0);
    expect(dirty.block.hash).toBe(clean.block.hash);
    const verdict = polluted({ commission: policy }, () =>
      verifyCycle(WORKED_EXAMPLE, {}, clean.block),
    );
    expect(verdict).toEqual({ ok: true });
  });

  it('does not complete the fees a custom policy returns', () => {
    const policy: CommissionPolicy = {
      id: 'half/v1',
      fees: () => ({ consumerFee: '0' }) as never,
    };
    const err = polluted({ supplierFee: '0' }, () =>
      thrown(() => clearCycle(SHORT_BOOK, {}, { timestamp: T0, commission: policy })),
    );
    expect(err).toBeInstanceOf(ClearingError);
    expect((err as ClearingError).code).toBe('invalid_fee');
  });

  it('gives a market no option and no resolved-config reading of a plain config', () => {
    const policy: CommissionPolicy = {
      id: 'evil/v1',
      fees: () => ({ supplierFee: '0', consumerFee: '0' }),
    };
    const tip = { height: 41, hash: 'ab'.repeat(32), timestamp: T0 };
    const clean = new Market();
    for (const o of [...SHORT_BOOK.offers.map((x) => ({ side: 'offer' as const, ...x }))])
      clean.submit(o);
    const cleanCycle = clean.runCycle(T0);
    const [chainTip, cycle] = polluted({ tip, commission: policy, pricingK: '1' }, () => {
      const m = new Market();
      for (const o of SHORT_BOOK.offers) m.submit({ side: 'offer', ...o });
      return [m.chainTip(), m.runCycle(T0)] as const;
    });
    expect(chainTip).toBeUndefined();
    expect(cycle.result.block.height).toBe(0);
    expect(cycle.result.block.hash).toBe(cleanCycle.result.block.hash);
  });
});

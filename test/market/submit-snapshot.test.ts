/**
 * `Market.submit` reads an order once: the snapshot it checks is the one it stores, so an order
 * whose getter answers one thing to the check and another later cannot rest in the book invalid.
 */
import { describe, expect, it } from 'vitest';
import { Market, type MarketOrder } from '../../src/index.js';

const T0 = '2026-03-01T12:00:00Z';
const T1 = '2026-03-01T12:00:30Z';

/** A bid whose `price` getter gives `"0.30"` the first time and `"cheap"` after; counts reads. */
function shiftyBid(): { order: MarketOrder; reads: () => number } {
  let reads = 0;
  const order = { side: 'bid', id: 'c1', participant: 'h1', carrier: 'electricity', quantity: '4' };
  Object.defineProperty(order, 'price', {
    enumerable: true,
    get: () => (reads++ === 0 ? '0.30' : 'cheap'),
  });
  return { order: order as unknown as MarketOrder, reads: () => reads };
}

describe('Market.submit snapshots the order', () => {
  it('checks and stores the same reading of a getter, read once', () => {
    const m = new Market();
    const { order, reads } = shiftyBid();
    expect(m.submit(order)).toEqual({ accepted: true, seq: 0 });
    expect(reads()).toBe(1);
    expect(m.orders()[0]?.price).toBe('0.30');
    expect(m.journal()[0]).toMatchObject({ type: 'submit', order: { price: '0.30' } });
    // The market keeps working: every cycle, a restore and a replay.
    const cycle = m.runCycle(T0);
    expect(cycle.book.bids[0]?.price).toBe('0.30');
    const copy = Market.restore(JSON.stringify(m.exportState()));
    expect(copy.runCycle(T1).result.block.hash).toBe(m.runCycle(T1).result.block.hash);
    expect(Market.replay({}, m.journal()).cycles).toHaveLength(2);
    expect(reads()).toBe(1);
  });

  it('stores own enumerable data only: later changes to the input change nothing', () => {
    const m = new Market();
    const order = {
      side: 'offer',
      id: 's1',
      participant: 'p1',
      carrier: 'heat',
      quantity: '2',
      price: '0.1',
    } as { -readonly [K in keyof MarketOrder]: MarketOrder[K] } & Record<symbol, unknown>;
    order[Symbol('tag')] = 1;
    expect(m.submit(order as MarketOrder).accepted).toBe(true);
    order.quantity = '999';
    const stored = m.orders()[0]!;
    expect(stored.quantity).toBe('2');
    expect(Object.getOwnPropertySymbols((m.journal()[0] as { order: object }).order)).toEqual([]);
    expect(Object.isFrozen((m.journal()[0] as { order: object }).order)).toBe(true);
  });

  it('reads no field from a prototype: an inherited expiresAt does not expire the order', () => {
    const m = new Market();
    const proto = Object.prototype as Record<string, unknown>;
    let expired: readonly unknown[];
    proto['expiresAt'] = '2000-01-01T00:00:00Z';
    try {
      m.submit({
        side: 'offer',
        id: 's1',
        participant: 'p1',
        carrier: 'heat',
        quantity: '2',
        price: '0.9',
      });
      expired = m.runCycle(T0).expired;
    } finally {
      delete proto['expiresAt'];
    }
    expect(expired).toEqual([]);
    expect(m.orders().map((o) => o.id)).toEqual(['s1']);
  });

  it('refuses an order whose side is only inherited', () => {
    const m = new Market();
    const proto = Object.prototype as Record<string, unknown>;
    let accepted: boolean;
    proto['side'] = 'bid';
    try {
      accepted = m.submit({
        id: 'c1',
        participant: 'h1',
        carrier: 'heat',
        quantity: '1',
        price: '0.5',
      } as never).accepted;
    } finally {
      delete proto['side'];
    }
    expect(accepted).toBe(false);
  });
});

describe('a side that is not a string', () => {
  it('is refused as an invalid side, not thrown as a TypeError (found by the fuzzer)', () => {
    const market = new Market();
    const order = {
      side: { toString: [] },
      id: 'c',
      participant: 'h',
      carrier: 'heat',
      quantity: '1',
      price: '0.5',
    } as unknown as MarketOrder;
    const r = market.submit(order);
    expect(r.accepted).toBe(false);
    if (!r.accepted)
      expect(r.issues.map((i) => [i.path, i.code])).toEqual([['side', 'invalid_value']]);
    expect(market.cancel({ toString: [] } as unknown as 'bid', 'c')).toBe(false);
    expect(market.cancel('bid', { toString: [] } as unknown as string)).toBe(false);
  });
});

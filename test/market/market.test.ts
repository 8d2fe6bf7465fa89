import { describe, expect, it } from 'vitest';
import { FAST_JSON } from '../../src/engine/views.js';
import {
  ClearingError,
  Market,
  type MarketOrder,
  ValidationError,
  verifyChain,
  verifyCycle,
} from '../../src/index.js';

const offer = (
  id: string,
  participant: string,
  quantity: string,
  price: string,
  extra = {},
): MarketOrder => ({
  side: 'offer',
  id,
  participant,
  carrier: 'electricity',
  quantity,
  price,
  ...extra,
});
const bid = (
  id: string,
  participant: string,
  quantity: string,
  price: string,
  extra = {},
): MarketOrder => ({
  side: 'bid',
  id,
  participant,
  carrier: 'electricity',
  quantity,
  price,
  ...extra,
});
const ts = (s: number) =>
  `2026-03-01T12:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`;

describe('Market.submit', () => {
  it('refuses a bad order alone, with paths relative to the order, and changes nothing', () => {
    const m = new Market();
    expect(m.submit(offer('s1', 'p1', '10', '0.30')).accepted).toBe(true);
    const before = JSON.stringify(m.exportState());
    const r = m.submit(bid('c1', 'h1', '0', '0.5x', { expiresAt: 'soon' }));
    expect(r).toMatchObject({ accepted: false });
    if (!r.accepted) {
      expect(r.issues.map((i) => [i.path, i.code])).toEqual([
        ['expiresAt', 'invalid_timestamp'],
        ['quantity', 'not_positive'],
        ['price', 'invalid_decimal'],
      ]);
    }
    expect(m.submit(offer('s1', 'p9', '1', '0.1'))).toMatchObject({
      accepted: false,
      issues: [{ path: 'id', code: 'duplicate_id' }],
    });
    expect(m.submit({ side: 'swap' } as unknown as MarketOrder)).toMatchObject({
      accepted: false,
      issues: [{ path: 'side' }],
    });
    expect(JSON.stringify(m.exportState())).toBe(before);
    // The good order still clears.
    expect(m.submit(bid('c1', 'h1', '4', '0.45')).accepted).toBe(true);
    expect(m.runCycle(ts(0)).result.trades).toHaveLength(1);
  });

  it('enforces the order cap', () => {
    const m = new Market({ limits: { maxOrders: 1 } });
    expect(m.submit(offer('s1', 'p1', '1', '0.1')).accepted).toBe(true);
    expect(m.submit(offer('s2', 'p1', '1', '0.1'))).toMatchObject({
      accepted: false,
      issues: [{ code: 'too_many_orders' }],
    });
  });
});

describe('Market cycles', () => {
  it('keeps what is left of bids and offers, and drops what is filled', () => {
    const m = new Market({ idleCyclesBeforePool: 3 });
    m.submit(offer('s1', 'p1', '10', '0.30'));
    m.submit(bid('c1', 'h1', '4', '0.45'));
    m.submit(bid('c2', 'h2', '9', '0.20'));
    const c = m.runCycle(ts(0));
    expect(c.result.trades.map((t) => [t.bidId, t.quantity])).toEqual([['c1', '4']]);
    expect(m.orders().map((o) => [o.id, o.quantity, o.idleCycles])).toEqual([
      ['s1', '6', 1],
      ['c2', '9', 0],
    ]);
  });

  it('rests an idle offer for idleCyclesBeforePool − 1 cycles, then sends it to the pool', () => {
    const m = new Market({ idleCyclesBeforePool: 2 });
    m.submit(offer('s1', 'p1', '5', '0.30'));
    const first = m.runCycle(ts(0));
    expect(first.resting).toEqual(['s1']);
    expect(first.result.poolPurchases).toEqual([]);
    expect(first.result.unsold).toEqual([
      { offerId: 's1', carrier: 'electricity', quantity: '5', reason: 'resting' },
    ]);
    // The resting reason in the outcomes, and in the fast JSON worker threads send.
    expect(first.result.offerOutcomes[0]?.reason).toBe('resting');
    const fast = (first.result as unknown as Record<symbol, { offerOutcomes(): string }>)[
      FAST_JSON
    ]!;
    expect(fast.offerOutcomes()).toBe(JSON.stringify(first.result.offerOutcomes));
    m.submit(bid('c1', 'h1', '2', '0.40'));
    const second = m.runCycle(ts(30));
    expect(second.result.trades.map((t) => [t.offerId, t.quantity])).toEqual([['s1', '2']]);
    expect(second.result.poolPurchases.map((p) => [p.offerId, p.quantity])).toEqual([['s1', '3']]);
    expect(m.orders()).toEqual([]);
  });

  it('with the default (1) behaves like clearCycle: idle supply goes to the pool at once', () => {
    const m = new Market();
    m.submit(offer('s1', 'p1', '5', '0.30'));
    expect(m.runCycle(ts(0)).result.supplyIdPool).toEqual(['s1']);
  });

  it('keeps an offer the pool refused (priced above it) for later cycles', () => {
    const m = new Market();
    m.submit(offer('s1', 'p1', '5', '0.90'));
    expect(m.runCycle(ts(0)).result.unsold[0]).toMatchObject({ reason: 'price_above_pool' });
    m.submit(bid('c1', 'h1', '1', '1'));
    expect(m.runCycle(ts(30)).result.trades).toHaveLength(1);
  });

  it('expires orders at their time, and lets storage lots rest until sold', () => {
    const m = new Market();
    m.submit(bid('c1', 'h1', '2', '0.50', { expiresAt: ts(30) }));
    m.submit({ side: 'storage', id: 'bat', carrier: 'electricity', quantity: '5', price: '0.44' });
    const first = m.runCycle(ts(0));
    expect(first.result.poolTrades.map((t) => [t.lotId, t.quantity])).toEqual([['bat', '2']]);
    m.submit(bid('c2', 'h2', '2', '0.50', { expiresAt: ts(30) }));
    const second = m.runCycle(ts(30));
    expect(second.expired).toEqual([{ side: 'bid', id: 'c2' }]);
    expect(m.orders().map((o) => [o.id, o.quantity])).toEqual([['bat', '3']]);
  });

  it('cancels', () => {
    const m = new Market();
    m.submit(bid('c1', 'h1', '2', '0.50'));
    expect(m.cancel('offer', 'c1')).toBe(false);
    expect(m.cancel('bid', 'c1')).toBe(true);
    expect(m.orders()).toEqual([]);
  });

  it('refuses a timestamp earlier than the tip and stays as it was', () => {
    const m = new Market();
    m.submit(bid('c1', 'h1', '2', '0.50'));
    m.runCycle(ts(30));
    const before = JSON.stringify(m.exportState());
    expect(() => m.runCycle(ts(0))).toThrow(ClearingError);
    expect(() => m.runCycle('now')).toThrow(ValidationError);
    expect(JSON.stringify(m.exportState())).toBe(before);
  });

  it('chains blocks that verify, and each cycle re-executes from its published book', () => {
    const m = new Market({ idleCyclesBeforePool: 2 });
    const blocks = [];
    for (let i = 0; i < 4; i++) {
      m.submit(offer(`s${i}`, `p${i % 2}`, `${3 + i}`, '0.30'));
      m.submit(bid(`c${i}`, `h${i}`, '2', '0.40'));
      const c = m.runCycle(ts(30 * i));
      expect(
        verifyCycle(c.book, m.exportState().config, c.result.block, { resting: c.resting }),
      ).toEqual({ ok: true });
      blocks.push(c.result.block);
    }
    expect(verifyChain(blocks)).toEqual({ ok: true });
  });
});

describe('Market state', () => {
  function busyMarket(): Market {
    const m = new Market({ idleCyclesBeforePool: 2, pricing: 'ask' });
    m.submit(offer('s1', 'p1', '10', '0.30'));
    m.submit(bid('c1', 'h1', '4', '0.45', { expiresAt: ts(90) }));
    m.runCycle(ts(0));
    m.submit(bid('c2', 'h2', '1', '0.35'));
    m.submit(offer('s2', 'p2', '3', '0.20'));
    m.cancel('bid', 'c2');
    m.runCycle(ts(30));
    m.submit(bid('c3', 'h3', '20', '0.50', { allOrNone: true }));
    return m;
  }

  it('replaying the journal reproduces every block hash', () => {
    const m = busyMarket();
    const original = [m.runCycle(ts(60)), m.runCycle(ts(90))].map((c) => c.result.block.hash);
    const { cycles } = Market.replay({ idleCyclesBeforePool: 2, pricing: 'ask' }, m.journal());
    expect(cycles.map((c) => c.result.block.hash).slice(-2)).toEqual(original);
    expect(cycles).toHaveLength(4);
  });

  it('export and restore round-trip, and the restored market clears the same', () => {
    const m = busyMarket();
    const json = JSON.stringify(m.exportState());
    const copy = Market.restore(json);
    expect(JSON.stringify(copy.exportState())).toBe(json);
    expect(copy.runCycle(ts(60)).result.block.hash).toBe(m.runCycle(ts(60)).result.block.hash);
  });

  it('refuses a malformed state', () => {
    expect(() => Market.restore('{"version":2}')).toThrow(ValidationError);
    const state = JSON.parse(JSON.stringify(busyMarket().exportState()));
    state.orders[0].price = 'cheap';
    expect(() => Market.restore(state)).toThrow(/orders\[0\]\.price/);
  });
});

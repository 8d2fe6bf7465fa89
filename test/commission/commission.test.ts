import { describe, expect, it } from 'vitest';
import {
  type Block,
  ClearingError,
  type CommissionPolicy,
  canonicalJson,
  clearCycle,
  sha256Hasher,
  toHex,
  verifyCycle,
} from '../../src/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { once } from '../helpers/once.js';
import { thrown } from '../helpers/thrown.js';

const withPool = {
  ...WORKED_EXAMPLE,
  storage: [{ id: 'bat', carrier: 'electricity' as const, quantity: '5', price: '0.25' }],
};

describe('commission policies', () => {
  it('flat charges one rate on every P2P trade, nothing on pool trades', () => {
    const r = clearCycle(
      WORKED_EXAMPLE,
      { commission: { kind: 'flat', rate: '0.01' } },
      { timestamp: T0 },
    );
    expect(r.trades.map((t) => t.consumerFee)).toEqual(['0.026', '0.011', '0.005', '0.017']);
    expect(r.trades.every((t) => t.supplierFee === t.consumerFee)).toBe(true);
  });

  it('flat charges nothing on a pool trade', () => {
    const book = {
      offers: [],
      bids: [
        { id: 'c', participant: 'h', carrier: 'electricity' as const, quantity: '1', price: '1' },
      ],
      storage: withPool.storage,
    };
    const r = clearCycle(book, { commission: { kind: 'flat', rate: '0.01' } }, { timestamp: T0 });
    expect(r.poolTrades.length).toBeGreaterThan(0);
    expect(r.poolTrades.every((t) => t.consumerFee === '0')).toBe(true);
    expect(r.settlement.platform.commissions).toBe('0');
  });

  it('priority rates follow each carrier’s own bid count, also at the same rank', () => {
    // Electricity: 3 bids, the one of rank 1 trades (rank 0 only meets its own participant's
    // offer, rank 2 bids too low). Heat: 2 bids, likewise only rank 1 trades. Same rank, other
    // count: 0.005 + 0.015 × 1/2 = 0.0125 for electricity, 0.02 for heat.
    const side = (carrier: 'electricity' | 'heat', n: number) => ({
      offers: [{ id: `${carrier}-s`, participant: 'seller', carrier, quantity: '1', price: '0.5' }],
      bids: [
        { id: `${carrier}-0`, participant: 'seller', carrier, quantity: '10', price: '0.99' },
        { id: `${carrier}-1`, participant: 'buyer', carrier, quantity: '1', price: '0.9' },
        ...(n === 3
          ? [{ id: `${carrier}-2`, participant: 'late', carrier, quantity: '0.001', price: '0.1' }]
          : []),
      ],
    });
    const e = side('electricity', 3);
    const h = side('heat', 2);
    const r = clearCycle(
      { offers: [...e.offers, ...h.offers], bids: [...e.bids, ...h.bids] },
      { commission: { kind: 'priority', minRate: '0.005', maxRate: '0.02' }, pricing: 'ask' },
      { timestamp: T0 },
    );
    expect(r.trades.map((t) => [t.bidId, t.amount, t.consumerFee])).toEqual([
      ['electricity-1', '0.5', '0.00625'],
      ['heat-1', '0.5', '0.01'],
    ]);
  });

  it('none charges nothing', () => {
    const r = clearCycle(WORKED_EXAMPLE, { commission: { kind: 'none' } }, { timestamp: T0 });
    expect(r.settlement.platform.commissions).toBe('0');
  });

  it('a custom policy sees the trade and its ranks, and its id is committed to by inputsHash', () => {
    const seen: string[] = [];
    const policy: CommissionPolicy = {
      id: 'by-rank/v1',
      fees: (t, ctx) => {
        seen.push(
          `${ctx.scenario} ${t.bidId} r${ctx.bidRank}/${ctx.bidCount} ${t.supplyId} r${ctx.supplyRank}/${ctx.supplyCount} ${t.amount}`,
        );
        return ctx.scenario === 'p2p'
          ? { supplierFee: '0.001', consumerFee: `0.00${ctx.bidRank}` }
          : { supplierFee: '0', consumerFee: '0.5' };
      },
    };
    const book = {
      ...withPool,
      bids: [
        ...withPool.bids,
        {
          id: 'c9',
          participant: 'h9',
          carrier: 'electricity' as const,
          quantity: '1',
          price: '0.29',
        },
      ],
    };
    const r = clearCycle(book, {}, { timestamp: T0, commission: policy });
    expect(seen[0]).toBe('p2p c2 r0/4 s1 r2/3 2.6');
    expect(seen.some((s) => s.startsWith('pool c9'))).toBe(true);
    expect(r.poolTrades.find((t) => t.bidId === 'c9')?.consumerFee).toBe('0.5');
    // The policy's fees are what the trades show (rebuilt after the cycle) and what is settled.
    const p2p = seen.filter((s) => s.startsWith('p2p'));
    expect(r.trades).toHaveLength(p2p.length);
    r.trades.forEach((t, i) => {
      const rank = /r(\d+)\//.exec(p2p[i]!)![1]!;
      expect([t.bidId, t.supplierFee, t.consumerFee]).toEqual([
        p2p[i]!.split(' ')[1],
        '0.001',
        rank === '0' ? '0' : `0.00${rank}`,
      ]);
    });
    const consumerFees = r.trades.reduce((sum, t) => sum + Number(t.consumerFee) * 1000, 0);
    const expectedCommissions = (p2p.length + consumerFees + 500 * r.poolTrades.length) / 1000; // exact in thousandths
    expect(Number(r.settlement.platform.commissions)).toBeCloseTo(expectedCommissions, 12);
    const h9 = r.settlement.participants.find((p) => p.participant === 'h9')!;
    expect(h9.consumerFees).toBe('0.5');
    const plain = clearCycle(book, {}, { timestamp: T0 });
    expect(r.block.inputsHash).not.toBe(plain.block.inputsHash);
    expect(verifyCycle(book, {}, r.block, { commission: policy })).toEqual({ ok: true });
    expect(verifyCycle(book, {}, r.block).ok).toBe(false);
  });

  it.each([
    ['a negative fee', { supplierFee: '-1', consumerFee: '0' }],
    ['a number', { supplierFee: 0.1, consumerFee: '0' }],
    ['a missing fee', { supplierFee: '0' }],
    ['an exponent', { supplierFee: '1e-3', consumerFee: '0' }],
  ])('refuses %s with a ClearingError', (_what, fees) => {
    const policy = { id: 'bad/v1', fees: () => fees } as unknown as CommissionPolicy;
    expect(() => clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, commission: policy })).toThrow(
      ClearingError,
    );
  });

  it('refuses a supplier fee on a pool trade: the platform is the supplier there', () => {
    const policy: CommissionPolicy = {
      id: 'x/v1',
      fees: () => ({ supplierFee: '0.1', consumerFee: '0' }),
    };
    const book = {
      offers: [],
      bids: [
        { id: 'c', participant: 'h', carrier: 'electricity' as const, quantity: '1', price: '1' },
      ],
      storage: withPool.storage,
    };
    expect(() => clearCycle(book, {}, { timestamp: T0, commission: policy })).toThrow(/pool trade/);
  });

  it('refuses a custom policy that returns nothing or a bad fee, naming the field', () => {
    const run = (fees: CommissionPolicy['fees']) =>
      thrown(() =>
        clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, commission: { id: 'bad/v1', fees } }),
      );
    const none = run(() => undefined as never);
    expect(none).toBeInstanceOf(ClearingError);
    expect((none as ClearingError).code).toBe('invalid_fee');
    expect((none as Error).message).toMatch(
      /"bad\/v1" returned supplierFee undefined; expected a decimal/,
    );
    const negative = run(() => ({ supplierFee: '0', consumerFee: '-1' }));
    expect((negative as ClearingError).code).toBe('invalid_fee');
    expect((negative as Error).message).toMatch(/returned consumerFee "-1"/);
  });

  it('refuses a custom policy without an id', () => {
    const policy = { id: '', fees: () => ({ supplierFee: '0', consumerFee: '0' }) };
    expect(() => clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, commission: policy })).toThrow(
      ClearingError,
    );
  });
});

describe('verifyCycle refuses', () => {
  const cleared = once(() => clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }));
  it('a block of another hasher, a forged header, inputs that do not clear', () => {
    const r = cleared();
    expect(verifyCycle(WORKED_EXAMPLE, {}, { ...r.block, hasher: 'blake3' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/blake3/),
    });
    expect(
      verifyCycle(
        WORKED_EXAMPLE,
        {},
        { ...r.block, counters: { ...r.block.counters, poolTrades: 9 } },
      ),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/header/) });
    expect(verifyCycle({ offers: 'x' } as never, {}, r.block)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/do not clear/),
    });
    // A self-consistent block for another book is caught by its inputs hash.
    const other = { ...r.block, inputsHash: 'f'.repeat(64) };
    expect(verifyCycle(WORKED_EXAMPLE, {}, { ...other, hash: headerHashOf(other) })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inputsHash/),
    });
  });
});

/** A header hash computed the way blocks are, to forge a self-consistent block at another height. */
function headerHashOf(block: Omit<Block, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...header } = block;
  return toHex(sha256Hasher.digest(new TextEncoder().encode(canonicalJson(header))));
}

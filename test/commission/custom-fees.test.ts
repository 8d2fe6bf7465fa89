/**
 * A custom policy's supplier fee is taken out of what the supplier receives: above the trade's
 * amount it would make `received` negative, so it is refused with a typed error.
 */
import { describe, expect, it } from 'vitest';
import { ClearingError, type CommissionPolicy, clearCycle } from '../../src/index.js';
import { bid, offer, T0 } from '../helpers/books.js';
import { thrown } from '../helpers/thrown.js';

// One trade of 2 at 0.4 (midpoint of 0.3 and 0.5): amount 0.8.
const BOOK = { offers: [offer('s1', 'pv-1', '2', '0.3')], bids: [bid('c1', 'home-1', '2', '0.5')] };

const policy = (supplierFee: string, consumerFee = '0'): CommissionPolicy => ({
  id: 'fees/v1',
  fees: (_t, ctx) =>
    ctx.scenario === 'p2p' ? { supplierFee, consumerFee } : { supplierFee: '0', consumerFee: '0' },
});

describe('a custom policy fee against the trade amount', () => {
  it('refuses a supplier fee above the amount with a ClearingError (invalid_fee)', () => {
    const err = thrown(() =>
      clearCycle(BOOK, {}, { timestamp: T0, commission: policy('0.8000001') }),
    );
    expect(err).toBeInstanceOf(ClearingError);
    expect((err as ClearingError).code).toBe('invalid_fee');
    expect((err as Error).message).toMatch(
      /supplierFee "0.8000001" is above the trade's amount 0.8/,
    );
  });

  it('takes a supplier fee of the whole amount: the supplier receives nothing, never less', () => {
    const r = clearCycle(BOOK, {}, { timestamp: T0, commission: policy('0.80') });
    expect(r.trades[0]?.amount).toBe('0.8');
    const pv = r.settlement.participants.find((p) => p.participant === 'pv-1')!;
    expect(pv.received).toBe('0');
    expect(pv.net).toBe('0');
  });

  it('leaves the consumer fee free: the consumer pays it on top of the amount', () => {
    const r = clearCycle(BOOK, {}, { timestamp: T0, commission: policy('0', '2') });
    const home = r.settlement.participants.find((p) => p.participant === 'home-1')!;
    expect(home.paid).toBe('2.8');
  });
});

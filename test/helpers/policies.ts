import { Decimal } from 'decimal.js';
import type { CommissionContext, CommissionPolicy, CommissionTrade } from '../../src/index.js';

/**
 * Custom commission policies for differential tests: fees that depend on the trade's amount, on
 * both ranks and on the scenario; answers with trailing zeros (which the result canonicalises);
 * and fees at their bounds (a supplier fee equal to the amount).
 */
export const POLICIES: readonly CommissionPolicy[] = [
  {
    id: 'rank-weighted/v1',
    fees: (t: CommissionTrade, c: CommissionContext) => {
      const amount = new Decimal(t.amount);
      if (c.scenario === 'pool')
        return { supplierFee: '0', consumerFee: amount.times('0.02').toFixed(8) };
      return {
        supplierFee: amount
          .times(c.supplyRank + 1)
          .div(c.supplyCount)
          .times('0.01')
          .toDecimalPlaces(9, Decimal.ROUND_DOWN)
          .toFixed(),
        consumerFee: new Decimal('0.001').times(c.bidRank + 1).toFixed(),
      };
    },
  },
  {
    id: 'trailing-zeros/v1',
    fees: (_t: CommissionTrade, c: CommissionContext) =>
      c.scenario === 'pool'
        ? { supplierFee: '0.0', consumerFee: '0.010' }
        : { supplierFee: '0', consumerFee: '0.0500' },
  },
  {
    id: 'whole-amount/v1',
    fees: (t: CommissionTrade, c: CommissionContext) =>
      c.scenario === 'pool'
        ? { supplierFee: '0', consumerFee: t.amount }
        : { supplierFee: t.amount, consumerFee: '0' },
  },
];

/**
 * A policy that records every call (the trade and its context, as JSON) in `calls`, charging a
 * fee from the record count: what it returns depends on the order of the calls too.
 */
export function recordingPolicy(calls: string[]): CommissionPolicy {
  return {
    id: 'recording/v1',
    fees: (t: CommissionTrade, c: CommissionContext) => {
      calls.push(JSON.stringify([t, c]));
      const fee = new Decimal(calls.length % 7).div(1000).toFixed();
      return { supplierFee: '0', consumerFee: fee };
    },
  };
}

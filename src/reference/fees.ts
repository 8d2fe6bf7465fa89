/**
 * Commission, docs/rules.md §8: the built-in policies (priority, flat, none) and a custom
 * `CommissionPolicy`, each giving a trade's two fees, exact and unrounded.
 *
 * Only the policy's types come from `src/commission/`: the reference computes every fee itself.
 *
 * @module
 * @internal
 */
import type {
  CommissionContext,
  CommissionPolicy,
  CommissionTrade,
} from '../commission/commission.js';
import { ClearingError } from '../errors.js';
import type { ResolvedConfig } from '../model/types.js';
import { canonical, Dec, dec, isDecimalAtLeastZero, ZERO } from './decimal.js';

/** A trade's fees, exact. */
export interface TradeFees {
  /** What the seller pays. */
  readonly supplierFee: Dec;
  /** What the buyer pays. */
  readonly consumerFee: Dec;
}

/** A commission policy as the reference applies it: the fees of one trade in its context. */
export type Commission = (trade: CommissionTrade, context: CommissionContext) => TradeFees;

/** Priority rates are rounded to this many decimals (docs/rules.md §8). */
const RATE_DECIMALS = 8;

/**
 * The priority rate of the bid of rank r (0-based, Eq. 1 order) among the carrier's n bids,
 * docs/rules.md §8: `minRate + (maxRate − minRate) × r / (n − 1)` (just `minRate` when n = 1),
 * rounded half-even to 8 decimals.
 *
 * The division rounds at 1000 significant digits before the 8-decimal rounding, which cannot move
 * a result across a tie: with n − 1 below 2^32 the exact quotient is either a tie itself (and then
 * a short decimal, computed exactly) or further from one than 10^-990.
 */
export function priorityRate(minRate: Dec, maxRate: Dec, rank: number, count: number): Dec {
  const rate =
    count <= 1
      ? minRate
      : minRate.plus(
          maxRate
            .minus(minRate)
            .times(rank)
            .div(count - 1),
        );
  return rate.toDecimalPlaces(RATE_DECIMALS, Dec.ROUND_HALF_EVEN);
}

/**
 * The commission of a cycle, docs/rules.md §8: a custom policy when the options give one, else
 * the config's built-in one. Built-in policies charge both sides of a P2P trade `rate × amount`
 * and nothing on a scenario 2 trade.
 */
export function commissionOf(cfg: ResolvedConfig, custom?: CommissionPolicy): Commission {
  if (custom !== undefined) return customCommission(custom);
  const c = cfg.commission;
  const rateOf = (context: CommissionContext): Dec => {
    switch (c.kind) {
      case 'priority':
        return priorityRate(dec(c.minRate), dec(c.maxRate), context.bidRank, context.bidCount);
      case 'flat':
        return dec(c.rate);
      // 'custom' names a policy the options must give; without it nothing is charged.
      case 'none':
      case 'custom':
        return ZERO;
    }
  };
  return (trade, context) => {
    if (context.scenario === 'pool') return { supplierFee: ZERO, consumerFee: ZERO };
    const fee = rateOf(context).times(dec(trade.amount));
    return { supplierFee: fee, consumerFee: fee };
  };
}

/**
 * A user's policy, docs/rules.md §8: called once a trade; its fees must be decimal strings ≥ 0
 * (own fields of its answer), the supplier's at most the trade's amount, and zero on a pool trade
 * (the platform is the supplier there). Anything else is `ClearingError` `invalid_fee`.
 */
function customCommission(policy: CommissionPolicy): Commission {
  return (trade, context) => {
    const answer: unknown = policy.fees(trade, context);
    const supplierFee = feeValue(ownField(answer, 'supplierFee'), 'supplierFee', policy.id);
    const consumerFee = feeValue(ownField(answer, 'consumerFee'), 'consumerFee', policy.id);
    if (supplierFee.gt(dec(trade.amount))) {
      throw new ClearingError(
        'invalid_fee',
        `commission policy "${policy.id}" returned supplierFee ${JSON.stringify(canonical(supplierFee))} is above the trade's amount ${trade.amount}; a supplier fee is at most the amount`,
      );
    }
    if (context.scenario === 'pool' && !supplierFee.isZero()) {
      throw new ClearingError(
        'invalid_fee',
        `commission policy "${policy.id}" returned a supplierFee on a pool trade; the platform is the supplier there, so it must be "0"`,
      );
    }
    return { supplierFee, consumerFee };
  };
}

/** A field the answer holds itself: a polluted prototype fills in no fee (docs/rules.md §2). */
function ownField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function feeValue(value: unknown, name: string, id: string): Dec {
  if (isDecimalAtLeastZero(value)) return dec(value);
  throw new ClearingError(
    'invalid_fee',
    `commission policy "${id}" returned ${name} ${JSON.stringify(value)}; expected a decimal string ≥ 0`,
  );
}

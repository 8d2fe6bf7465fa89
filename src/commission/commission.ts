/**
 * Commission policies (docs/rules.md §8): `(trade, context) → { supplierFee, consumerFee }`, both ≥ 0.
 *
 * @module
 */

import { readDecimal } from '../decimal/decimal.js';
import { compare, divHalfEven, type Fixed, format, parse, pow10, ZERO } from '../decimal/fixed.js';
import { ClearingError } from '../errors.js';
import type { Carrier, ResolvedConfig } from '../model/types.js';

/**
 * What a commission policy sees of a trade. Decimals are canonical strings.
 *
 * @example
 * ```ts
 * const t: CommissionTrade = { bidId: 'c3', supplyId: 's3', carrier: 'electricity', quantity: '2', price: '0.55', amount: '1.1' };
 * ```
 */
export interface CommissionTrade {
  /** The bid's id. */
  readonly bidId: string;
  /** The offer's id (scenario 1) or the lot's id (scenario 2). */
  readonly supplyId: string;
  /** The market. */
  readonly carrier: Carrier;
  /** Energy traded. */
  readonly quantity: string;
  /** Unit price. */
  readonly price: string;
  /** price × quantity, exact. */
  readonly amount: string;
}

/**
 * Where a trade stands: the bid's rank r (0-based, Eq. 1 order among the `bidCount` bids of its
 * carrier), the supply side's rank, and the scenario (`p2p` = scenario 1, `pool` = scenario 2).
 *
 * @example
 * ```ts
 * const ctx: CommissionContext = { scenario: 'p2p', carrier: 'electricity', bidRank: 1, bidCount: 3, supplyRank: 0, supplyCount: 3 };
 * ```
 */
export interface CommissionContext {
  /** `p2p` (scenario 1) or `pool` (scenario 2). */
  readonly scenario: 'p2p' | 'pool';
  /** The market. */
  readonly carrier: Carrier;
  /** 0-based Eq. 1 rank of the bid among its carrier's bids. */
  readonly bidRank: number;
  /** How many bids the carrier has. */
  readonly bidCount: number;
  /** Eq. 2 rank of the offer (scenario 1) or Eq. 3 rank of the lot (scenario 2). */
  readonly supplyRank: number;
  /** How many offers (scenario 1) or lots (scenario 2) the carrier has. */
  readonly supplyCount: number;
}

/**
 * Fees on one trade, decimal strings ≥ 0. The supplier receives the trade's amount less
 * `supplierFee`, so `supplierFee` is at most the amount; the consumer pays `consumerFee` on top of
 * the amount. In scenario 2 the platform is the supplier, so a pool trade's `supplierFee` must be
 * `"0"`.
 *
 * @example
 * ```ts
 * const f: Fees = { supplierFee: '0.01375', consumerFee: '0.01375' };
 * ```
 */
export interface Fees {
  /** What the seller pays, a decimal string ≥ 0 and at most the trade's `amount`. */
  readonly supplierFee: string;
  /** What the buyer pays, a decimal string ≥ 0. */
  readonly consumerFee: string;
}

/**
 * A pluggable commission policy. `id` names it in the block's `inputsHash`, so a verifier can
 * tell which policy cleared the cycle; keep it stable and versioned (`acme-fees/v2`).
 *
 * @example
 * ```ts
 * import { clearCycle, type CommissionPolicy } from 'microgrid-clearing';
 * const fixedFee: CommissionPolicy = {
 *   id: 'fixed-0.01/v1',
 *   fees: (_trade, ctx) => (ctx.scenario === 'p2p' ? { supplierFee: '0.01', consumerFee: '0.01' } : { supplierFee: '0', consumerFee: '0' }),
 * };
 * clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z', commission: fixedFee });
 * ```
 */
export interface CommissionPolicy {
  /** A stable, non-empty id. */
  readonly id: string;
  /**
   * The fees of one trade. Must be pure: same inputs, same fees.
   *
   * @param trade - the trade, its decimals as canonical strings.
   * @param context - its ranks and scenario.
   * @returns the two fees, own fields of a plain object (inherited ones are not read).
   * @throws the engine raises {@link ClearingError} `invalid_fee` for the cycle (which then
   *   clears nothing) when a fee is not a decimal string ≥ 0, when `supplierFee` is above
   *   `trade.amount` (the supplier would receive less than nothing), or when a pool trade's
   *   `supplierFee` is not `"0"`.
   */
  fees(trade: CommissionTrade, context: CommissionContext): Fees;
}

/**
 * @internal Exact fees for the engine. A built-in policy is a rate both sides pay on a P2P trade
 * (fee = rate × amount, computed by the engine on its own representation) and nothing on a pool
 * trade (docs/rules.md §8); a custom policy is called with a view of any trade, built only then.
 */
export type FeeCalculator =
  | {
      readonly kind: 'rate';
      /** The P2P rate for the bid of rank `bidRank` among `bidCount`. */
      rate(bidRank: number, bidCount: number): Fixed;
    }
  | {
      readonly kind: 'custom';
      fees(
        trade: CommissionTrade,
        context: CommissionContext,
      ): { supplier: Fixed; consumer: Fixed };
    };

/**
 * The priority rate of docs/rules.md §8 for the bid of rank `r` among `n`:
 * `minRate + (maxRate − minRate) × r / (n − 1)` (just `minRate` when n = 1), rounded half-even
 * to 8 decimal places.
 *
 * @param minRate - rate of the first-ranked bid, a decimal string.
 * @param maxRate - rate of the last-ranked bid, a decimal string.
 * @param rank - 0-based Eq. 1 rank.
 * @param count - bids of the carrier.
 * @returns the rate, a canonical decimal string.
 * @example
 * ```ts
 * import { priorityRate } from 'microgrid-clearing';
 * priorityRate('0.005', '0.02', 1, 3); // '0.0125'
 * ```
 */
export function priorityRate(
  minRate: string,
  maxRate: string,
  rank: number,
  count: number,
): string {
  return format(priorityRateFixed(parse(minRate), parse(maxRate), rank, count));
}

const RATE_SCALE = 8;

/**
 * The priority rate at 8 decimals: round-half-even of (min·(n−1) + (max − min)·r) / (n − 1),
 * exactly, whatever the decimals of `min` and `max` (`min` itself, rounded, when n ≤ 1).
 */
function priorityRateFixed(min: Fixed, max: Fixed, rank: number, count: number): Fixed {
  const s = Math.max(RATE_SCALE, min.s, max.s);
  const lo = min.v * pow10(s - min.s);
  if (count <= 1) return { v: divHalfEven(lo, pow10(s - RATE_SCALE)), s: RATE_SCALE };
  const hi = max.v * pow10(s - max.s);
  const den = BigInt(count - 1);
  return {
    v: divHalfEven(lo * den + (hi - lo) * BigInt(rank), den * pow10(s - RATE_SCALE)),
    s: RATE_SCALE,
  };
}

/**
 * {@link priorityRateFixed} in number arithmetic, for the engine's lookup a bid (a bid a trade on
 * some books: the bigint path's allocations were a tenth of making the trades): `undefined` when
 * `count ≤ 1` or a step would pass 2^53, where the caller takes the bigint path. Exact: every
 * product and sum is checked safe (a product past 2^53 − 1 rounds to 2^53 or more, never below),
 * and the floor of a float quotient of safe integers is their integer quotient (see below).
 */
function priorityRateNumber(
  min: Fixed,
  max: Fixed,
): (rank: number, count: number) => Fixed | undefined {
  const s = Math.max(RATE_SCALE, min.s, max.s);
  const lo = Number(min.v * pow10(s - min.s));
  const hi = Number(max.v * pow10(s - max.s));
  const unit = Number(pow10(s - RATE_SCALE));
  const safe = Number.isSafeInteger;
  const usable = safe(lo) && safe(hi) && safe(unit) && lo >= 0 && hi >= 0;
  return (rank, count) => {
    if (!usable || count <= 1) return undefined;
    const den = (count - 1) * unit;
    const a = lo * (count - 1);
    const b = (hi - lo) * rank;
    const num = a + b;
    if (!safe(den) || !safe(a) || !safe(b) || !safe(num) || num < 0) return undefined;
    // The floor of the rounded quotient is the integer quotient: were num / den = q + f (0 < f <
    // 1) to round up to q + 1, 1 − f ≥ 1/den would be at most half a unit in the last place,
    // ≤ (num / den)·2^-53, i.e. den·(1 − f) < 1 for num < 2^53 — but den·(1 − f) is an integer ≥ 1.
    let q = Math.floor(num / den);
    const r = num - q * den;
    // Half-even, as divHalfEven: a remainder of exactly half rounds to the even quotient.
    const twice = 2 * r;
    if (twice > den || (twice === den && q % 2 === 1)) q += 1;
    return { v: BigInt(q), s: RATE_SCALE };
  };
}

/** @internal The engine's fee calculator for a resolved config or a custom policy. */
export function feeCalculator(config: ResolvedConfig, custom?: CommissionPolicy): FeeCalculator {
  if (custom !== undefined) return customCalculator(custom);
  const c = config.commission;
  switch (c.kind) {
    case 'none':
    // A custom kind comes with its policy (handled above); a resolved config naming one without
    // it is refused by validation. Listed so the switch stays exhaustive.
    // Stryker disable next-line StringLiteral: unreachable, see above
    case 'custom':
      return { kind: 'rate', rate: () => ZERO };
    case 'flat': {
      const rate = parse(c.rate);
      return { kind: 'rate', rate: () => rate };
    }
    case 'priority': {
      const min = parse(c.minRate);
      const max = parse(c.maxRate);
      const fast = priorityRateNumber(min, max);
      return {
        kind: 'rate',
        rate: (bidRank, bidCount) =>
          fast(bidRank, bidCount) ?? priorityRateFixed(min, max, bidRank, bidCount),
      };
    }
  }
}

function customCalculator(policy: CommissionPolicy): FeeCalculator {
  return {
    kind: 'custom',
    fees: (trade, ctx) => {
      const out: unknown = policy.fees(trade, ctx);
      const supplier = feeValue(ownField(out, 'supplierFee'), 'supplierFee', policy.id);
      const consumer = feeValue(ownField(out, 'consumerFee'), 'consumerFee', policy.id);
      // The supplier receives the amount less its fee: a larger fee would make that negative.
      if (compare(supplier, parse(trade.amount)) > 0) {
        throw new ClearingError(
          'invalid_fee',
          `commission policy "${policy.id}" returned supplierFee ${JSON.stringify(format(supplier))} is above the trade's amount ${trade.amount}; a supplier fee is at most the amount`,
        );
      }
      if (ctx.scenario === 'pool' && supplier.v !== 0n) {
        throw new ClearingError(
          'invalid_fee',
          `commission policy "${policy.id}" returned a supplierFee on a pool trade; the platform is the supplier there, so it must be "0"`,
        );
      }
      return { supplier, consumer };
    },
  };
}

/** A field the policy's answer holds itself (a polluted prototype fills in no fee). */
function ownField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function feeValue(value: unknown, name: string, id: string): Fixed {
  if (typeof value === 'string') {
    const r = readDecimal(value);
    if (r.ok && !r.negative) return parse(value);
  }
  throw new ClearingError(
    'invalid_fee',
    `commission policy "${id}" returned ${name} ${JSON.stringify(value)}; expected a decimal string ≥ 0`,
  );
}

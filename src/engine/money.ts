/**
 * The money of a trade, worked out once when the trade is made (docs/rules.md §4, §8): its price by
 * the carrier's pricing rule, its amount, and its fees by the cycle's fee rule. Everything is a
 * scaled integer (a number while safe, a bigint past 2^53): no string and no object a trade.
 *
 * @module
 * @internal
 */
import type { FeeCalculator } from '../commission/commission.js';
import { formatScaled } from '../decimal/decimal.js';
import { type Fixed, mulLimbs, pow10 } from '../decimal/fixed.js';
import { exact, times } from '../internal/column.js';
import { keepShape } from '../internal/shapes.js';
import type { ParsedBook } from '../model/columns.js';
import type { Carrier } from '../model/types.js';

/** @internal A trade's money, reused from trade to trade. */
export class TradeMoney {
  price: number | bigint = 0;
  priceScale = 0;
  amount: number | bigint = 0;
  amountScale = 0;
  /** The consumer's fee: `consumerHigh × 10^8 + consumerFee` when `consumerFee` is a number. */
  consumerFee: number | bigint = 0;
  consumerHigh = 0;
  consumerScale = 0;
  /** The supplier's fee, as the consumer's; written only by a custom policy (else it is the consumer's). */
  supplierFee: number | bigint = 0;
  supplierHigh = 0;
  supplierScale = 0;

  constructor() {
    keepShape(this);
  }
}

/** @internal How a carrier's P2P trades are priced (docs/rules.md §4; the uniform price: docs/configuration.md). */
export interface PriceRule {
  /** The scale of the prices this rule makes. */
  readonly scale: number;
  /** The exact scaled price of a trade between a bid and an ask of these scaled prices. */
  price(bidP: number, askP: number): number | bigint;
}

/** @internal `ask + k × (bid − ask)`, at the book's price scale plus k's decimals. */
export function splitRule(k: Fixed, priceScale: number): PriceRule {
  const kUnit = pow10(k.s);
  const kN = Number(k.v);
  const kUnitN = Number(kUnit);
  return {
    scale: priceScale + k.s,
    price(bidP, askP) {
      const x = askP * kUnitN;
      const y = kN * (bidP - askP);
      const v = x + y;
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y) && Number.isSafeInteger(v)) return v;
      return BigInt(askP) * kUnit + k.v * BigInt(bidP - askP);
    },
  };
}

/** @internal Every trade at the carrier's uniform clearing price. */
export function uniformRule(clearing: Fixed): PriceRule {
  const v = exact(clearing.v);
  return { scale: clearing.s, price: () => v };
}

/** @internal The trade being priced: which orders, how much, and their ranks. Reused. */
export class TradeRef {
  carrier: Carrier = 'electricity';
  /** Input indices of the bid and the offer (or the lot's rank for a pool trade). */
  bid = 0;
  offer = 0;
  /** The scaled quantity. */
  q = 0;
  bidRank = 0;
  bidCount = 0;
  supplyRank = 0;
  supplyCount = 0;
  /** A pool trade's lot id. */
  lotId = '';

  constructor() {
    keepShape(this);
  }
}

/**
 * @internal The fee rule of a cycle (docs/rules.md §8): fills in a P2P trade's fees, and gives a
 * pool trade's consumer fee.
 */
export interface FeeRule {
  /**
   * True for a user's policy (called once a trade, its two fees may differ); false for a built-in
   * rate, whose one fee both sides pay: then only the consumer's fee fields are set.
   */
  readonly custom: boolean;
  /** Sets `m`'s fees for the P2P trade `t`, whose price and amount `m` holds. */
  p2p(m: TradeMoney, t: TradeRef): void;
  /** Sets `m`'s consumer fee for the pool trade `t` (built-in rates charge nothing there). */
  pool(m: TradeMoney, t: TradeRef): void;
}

/** @internal The fee rule for a fee calculator. */
export function feeRule(fees: FeeCalculator, parsed: ParsedBook): FeeRule {
  return fees.kind === 'rate' ? new RateFees(fees) : new PolicyFees(fees, parsed);
}

/** Both sides pay `rate × amount` on a P2P trade, nothing on a pool trade. */
class RateFees implements FeeRule {
  readonly custom = false;
  /** The rate of the last (bid rank, bid count) asked for: a bid's trades come together. */
  // Stryker disable next-line UnaryOperator: either sentinel alone forces the first lookup (bid counts are ≥ 1)
  private rank = -1;
  // Stryker disable next-line UnaryOperator: either sentinel alone forces the first lookup (bid ranks are ≥ 0)
  private count = -1;
  private rateV: number | bigint = 0;
  private rateS = 0;
  /** The high limb written by `mulLimbs`. */
  private readonly limbHigh = new Float64Array(1);

  constructor(private readonly fees: Extract<FeeCalculator, { kind: 'rate' }>) {
    keepShape(this);
  }

  p2p(m: TradeMoney, t: TradeRef): void {
    if (t.bidRank !== this.rank || t.bidCount !== this.count) {
      const rate = this.fees.rate(t.bidRank, t.bidCount);
      this.rank = t.bidRank;
      this.count = t.bidCount;
      this.rateV = exact(rate.v);
      this.rateS = rate.s;
    }
    let fee: number | bigint = 0;
    let high = 0;
    let scale = 0;
    // biome-ignore lint/suspicious/noDoubleEquals: 0 and 0n alike
    if (this.rateV != 0) {
      scale = this.rateS + m.amountScale;
      const lo =
        typeof m.amount === 'number' && typeof this.rateV === 'number'
          ? mulLimbs(this.rateV, m.amount, this.limbHigh)
          : -1;
      if (lo >= 0) {
        fee = lo;
        high = this.limbHigh[0]!;
      } else fee = times(this.rateV, m.amount);
    }
    // Both sides pay this fee: the supplier's fields are not written (a rule with `custom` false
    // is read through the consumer's), one boxed number a trade fewer.
    m.consumerFee = fee;
    m.consumerHigh = high;
    m.consumerScale = scale;
  }

  pool(m: TradeMoney): void {
    m.consumerFee = 0;
    m.consumerHigh = 0;
    m.consumerScale = 0;
  }
}

/** A user's policy, called once a trade with the trade's decimals as canonical strings. */
class PolicyFees implements FeeRule {
  readonly custom = true;

  constructor(
    private readonly fees: Extract<FeeCalculator, { kind: 'custom' }>,
    private readonly parsed: ParsedBook,
  ) {
    keepShape(this);
  }

  p2p(m: TradeMoney, t: TradeRef): void {
    const { supplier, consumer } = this.ask(m, t, 'p2p', this.parsed.offers.id[t.offer]!);
    m.consumerFee = exact(consumer.v);
    m.consumerHigh = 0;
    m.consumerScale = consumer.s;
    m.supplierFee = exact(supplier.v);
    m.supplierHigh = 0;
    m.supplierScale = supplier.s;
  }

  pool(m: TradeMoney, t: TradeRef): void {
    const { consumer } = this.ask(m, t, 'pool', t.lotId);
    m.consumerFee = exact(consumer.v);
    m.consumerHigh = 0;
    m.consumerScale = consumer.s;
  }

  private ask(m: TradeMoney, t: TradeRef, scenario: 'p2p' | 'pool', supplyId: string) {
    const carrier = t.carrier;
    return this.fees.fees(
      {
        bidId: this.parsed.bids.id[t.bid]!,
        supplyId,
        carrier,
        quantity: formatScaled(t.q, this.parsed.limits.quantityScale),
        price: formatScaled(m.price, m.priceScale),
        amount: formatScaled(m.amount, m.amountScale),
      },
      {
        scenario,
        carrier,
        bidRank: t.bidRank,
        bidCount: t.bidCount,
        supplyRank: t.supplyRank,
        supplyCount: t.supplyCount,
      },
    );
  }
}

/** @internal Sets `m`'s price and amount for `q` (scaled) traded at `rule` between these prices. */
export function priceTrade(
  m: TradeMoney,
  rule: PriceRule,
  bidP: number,
  askP: number,
  q: number,
  quantityScale: number,
): void {
  m.priceScale = rule.scale;
  m.price = rule.price(bidP, askP);
  m.amount = times(m.price, q);
  m.amountScale = rule.scale + quantityScale;
}

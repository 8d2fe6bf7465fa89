/**
 * The cycle log: everything a cycle decides, appended to by its phases in order and read by the
 * result's views. Orders' fates live in typed arrays by input index; trades, pool purchases and
 * pool trades in columns, their money stored once when they are made (no object a trade).
 *
 * @module
 * @internal
 */

import { type Allocator, HEAP } from '../internal/arena.js';
import {
  byteColumn,
  type Column,
  intColumn,
  numberColumn,
  ScaledColumn,
} from '../internal/column.js';
import { keepShape } from '../internal/shapes.js';
import type {
  BidReason,
  CarrierSummary,
  LotSource,
  UnsoldOffer,
  UnsoldReason,
} from '../model/result.js';
import type { LotRow } from '../ranking/ranking.js';
import type { TradeMoney } from './money.js';

/** @internal Bid reason codes stored in a byte: index into this list (0 = none). */
export const BID_REASONS: readonly (BidReason | undefined)[] = [
  undefined,
  'no_compatible_offer',
  'self_trade_only',
  'outranked',
  'insufficient_supply',
  'all_or_none_unfillable',
  'pool_price_above_bid',
  'pool_exhausted',
  'no_pool_supply',
  'below_clearing_price',
  'optimum_elsewhere',
];
/** @internal Unsold reason codes, as {@link BID_REASONS}. */
export const UNSOLD_REASONS: readonly (UnsoldReason | undefined)[] = [
  undefined,
  'price_above_pool',
  'pool_capacity',
  'resting',
];
/** @internal Lot sources by lot kind (0 pool, 1 storage, 2 grid). */
export const LOT_SOURCES: readonly LotSource[] = ['pool', 'storage', 'grid'];
/** @internal The code of a bid reason. */
export const bidCode = (r: BidReason): number => BID_REASONS.indexOf(r);
/** @internal The code of an unsold reason. */
export const unsoldCode = (r: UnsoldReason): number => UNSOLD_REASONS.indexOf(r);

/** @internal The fates of a cycle's orders as plain arrays by input index (what a worker sends). */
export interface OrderFates {
  readonly bidP2pLeft: Float64Array;
  readonly bidFinalLeft: Float64Array;
  readonly bidReason: Uint8Array;
  readonly bidPoolReason: Uint8Array;
  readonly offerP2pLeft: Float64Array;
  readonly offerAbsorbed: Float64Array;
  readonly offerReason: Uint8Array;
}

/** @internal What happened to every order, by input index: no object per order. */
export class OrderState implements OrderFates {
  /** What each bid still wanted after scenario 1, and after scenario 2 (scaled). */
  readonly bidP2pLeft: Float64Array;
  readonly bidFinalLeft: Float64Array;
  /** Why scenario 1 and scenario 2 left a bid short (codes of {@link BID_REASONS}). */
  readonly bidReason: Uint8Array;
  readonly bidPoolReason: Uint8Array;
  /** What each offer had left after scenario 1 (scaled). */
  readonly offerP2pLeft: Float64Array;
  /** Why an offer's rest went unsold (codes of {@link UNSOLD_REASONS}). */
  readonly offerReason: Uint8Array;

  private absorbed: Float64Array | undefined;

  constructor(
    bids: number,
    private readonly offers: number,
    memory: Allocator,
    private readonly purchases: PurchaseLog,
  ) {
    keepShape(this);
    // Every entry of bidP2pLeft, bidFinalLeft and offerP2pLeft is written by recordP2PLeft as its
    // carrier clears; scenario 2 writes bidFinalLeft again only for bids scenario 1 left short.
    // The reason codes stay 0 where no reason is set.
    this.bidP2pLeft = memory.f64(bids);
    this.bidFinalLeft = memory.f64(bids);
    this.bidReason = memory.u8(bids);
    this.bidPoolReason = memory.u8(bids);
    this.offerP2pLeft = memory.f64(offers);
    this.offerReason = memory.u8(offers);
  }

  /**
   * How much of each offer the pool took (scaled), by input index: read off the purchases when
   * first asked for. Not written by the pool as it buys: a few thousand writes scattered over an
   * array of millions touch a fresh page of memory each, and the page faults cost the pool phase
   * more than all its other work (measured at 10^6 a side). Read once every carrier's pool
   * has bought (the result's views and the worker transfer are made after the cycle).
   */
  get offerAbsorbed(): Float64Array {
    if (this.absorbed === undefined) {
      const absorbed = new Float64Array(this.offers);
      const { offer, qty } = this.purchases;
      for (let i = 0; i < offer.length; i++) {
        const o = offer.get(i);
        absorbed[o] = absorbed[o]! + qty.get(i);
      }
      this.absorbed = absorbed;
    }
    return this.absorbed;
  }
}

/**
 * @internal A column of pool-trade fees: the scaled values and their scales (a pool fee is 0 or a
 * policy's exact decimal, never split in limbs).
 */
export class FeeColumn {
  readonly value: ScaledColumn;
  readonly scale: Column<Uint8Array>;

  constructor(memory: Allocator) {
    keepShape(this);
    this.value = new ScaledColumn(memory);
    this.scale = byteColumn(memory);
  }

  reserve(total: number): void {
    this.value.reserve(total);
    this.scale.reserve(total);
  }

  push(v: number | bigint, scale: number): void {
    this.value.push(v);
    this.scale.push(scale);
  }
}

/** @internal A fee's value `hi × 10^8 + lo` (a bigint `lo` is the whole fee) and its scale. */
export interface FeeValue {
  lo: number | bigint;
  hi: number;
  scale: number;
}

/**
 * @internal The P2P trades in sealing order: the bid's and offer's input index, the scaled
 * quantity, and the money (price, amount, fees) as it was worked out when the trade was made.
 * One typed array per field, grown together, so a trade is stored with one capacity check;
 * a value past 2^53 (a bigint, rarely made) is kept aside by trade index.
 */
export class TradeLog {
  bid: Int32Array;
  offer: Int32Array;
  qty: Float64Array;
  private price_: Float64Array;
  private amount_: Float64Array;
  private feeLo: Float64Array;
  private feeHi: Float64Array;
  private feeScale: Uint8Array;
  /** The supplier's fees when a policy can make them differ from the consumer's. */
  private supplierLo: Float64Array | undefined;
  private supplierScale: Uint8Array | undefined;
  private readonly big = new Map<string, bigint>();
  /** Each carrier's price scale (by carrier number); an amount's scale adds the quantity scale. */
  readonly priceScale = new Uint8Array(4);
  length = 0;

  constructor(
    private readonly memory: Allocator,
    private readonly twoFees: boolean,
  ) {
    keepShape(this);
    this.bid = memory.i32(64);
    this.offer = memory.i32(64);
    this.qty = memory.f64(64);
    this.price_ = memory.f64(64);
    this.amount_ = memory.f64(64);
    this.feeLo = memory.f64(64);
    this.feeHi = memory.f64(64);
    this.feeScale = memory.u8(64);
    if (twoFees) {
      this.supplierLo = memory.f64(64);
      this.supplierScale = memory.u8(64);
    }
  }

  /** Room for `total` trades, made in one step when the count is known. */
  reserve(total: number): void {
    if (total <= this.bid.length) return;
    const m = this.memory;
    const n = this.length;
    const grow = <A extends Int32Array | Float64Array | Uint8Array>(old: A, next: A): A => {
      next.set(old.subarray(0, n));
      return next;
    };
    this.bid = grow(this.bid, m.i32(total));
    this.offer = grow(this.offer, m.i32(total));
    this.qty = grow(this.qty, m.f64(total));
    this.price_ = grow(this.price_, m.f64(total));
    this.amount_ = grow(this.amount_, m.f64(total));
    this.feeLo = grow(this.feeLo, m.f64(total));
    this.feeHi = grow(this.feeHi, m.f64(total));
    this.feeScale = grow(this.feeScale, m.u8(total));
    if (this.twoFees) {
      this.supplierLo = grow(this.supplierLo!, m.f64(total));
      this.supplierScale = grow(this.supplierScale!, m.u8(total));
    }
  }

  push(bid: number, offer: number, q: number, m: TradeMoney): void {
    const i = this.length;
    if (i === this.bid.length) this.reserve(2 * i);
    this.bid[i] = bid;
    this.offer[i] = offer;
    this.qty[i] = q;
    this.price_[i] = this.small('p', i, m.price);
    this.amount_[i] = this.small('a', i, m.amount);
    this.feeLo[i] = this.small('c', i, m.consumerFee);
    this.feeHi[i] = m.consumerHigh;
    this.feeScale[i] = m.consumerScale;
    if (this.twoFees) {
      // A policy's fees are exact decimals (never split in limbs).
      this.supplierLo![i] = this.small('s', i, m.supplierFee);
      this.supplierScale![i] = m.supplierScale;
    }
    this.length = i + 1;
  }

  /**
   * The trades as plain data for another thread: copies of the columns' used parts (their buffers
   * are the transfer list: the arena's memory is never handed over) and the bigints kept aside.
   */
  data(): TradeLogData {
    const n = this.length;
    return {
      length: n,
      bid: this.bid.slice(0, n),
      offer: this.offer.slice(0, n),
      qty: this.qty.slice(0, n),
      price: this.price_.slice(0, n),
      amount: this.amount_.slice(0, n),
      feeLo: this.feeLo.slice(0, n),
      feeHi: this.feeHi.slice(0, n),
      feeScale: this.feeScale.slice(0, n),
      supplierLo: this.supplierLo?.slice(0, n),
      supplierScale: this.supplierScale?.slice(0, n),
      big: new Map(this.big),
      priceScale: this.priceScale.slice(),
    };
  }

  /** A log holding `data` (from {@link data}, on any thread): read as the log it was copied from. */
  static from(data: TradeLogData): TradeLog {
    const log = new TradeLog(HEAP, data.supplierLo !== undefined);
    log.bid = data.bid;
    log.offer = data.offer;
    log.qty = data.qty;
    log.price_ = data.price;
    log.amount_ = data.amount;
    log.feeLo = data.feeLo;
    log.feeHi = data.feeHi;
    log.feeScale = data.feeScale;
    log.supplierLo = data.supplierLo;
    log.supplierScale = data.supplierScale;
    for (const [key, v] of data.big) log.big.set(key, v);
    log.priceScale.set(data.priceScale);
    log.length = data.length;
    return log;
  }

  /** `v` as a number to store: itself, or NaN with the bigint kept aside. */
  private small(kind: string, i: number, v: number | bigint): number {
    if (typeof v === 'number') return v;
    this.big.set(`${kind}${i}`, v);
    return Number.NaN;
  }

  private value(kind: string, i: number, v: number): number | bigint {
    return Number.isNaN(v) ? this.big.get(`${kind}${i}`)! : v;
  }

  /** Trade `i`'s scaled price (its carrier's {@link priceScale}). */
  price(i: number): number | bigint {
    return this.value('p', i, this.price_[i]!);
  }

  /** Trade `i`'s scaled amount (price scale + quantity scale). */
  amount(i: number): number | bigint {
    return this.value('a', i, this.amount_[i]!);
  }

  /** Trade `i`'s consumer fee, into `out`. */
  consumerFee(i: number, out: FeeValue): void {
    out.lo = this.value('c', i, this.feeLo[i]!);
    out.hi = this.feeHi[i]!;
    out.scale = this.feeScale[i]!;
  }

  /** Trade `i`'s supplier fee, into `out` (the consumer's under a built-in rate). */
  supplierFee(i: number, out: FeeValue): void {
    if (!this.twoFees) {
      this.consumerFee(i, out);
      return;
    }
    out.lo = this.value('s', i, this.supplierLo![i]!);
    out.hi = 0;
    out.scale = this.supplierScale![i]!;
  }
}

/**
 * @internal A {@link TradeLog} as plain data (typed arrays, a map of bigints): what a worker
 * thread sends back, its arrays' buffers transferred, not copied.
 */
export interface TradeLogData {
  readonly length: number;
  readonly bid: Int32Array;
  readonly offer: Int32Array;
  readonly qty: Float64Array;
  readonly price: Float64Array;
  readonly amount: Float64Array;
  readonly feeLo: Float64Array;
  readonly feeHi: Float64Array;
  readonly feeScale: Uint8Array;
  readonly supplierLo: Float64Array | undefined;
  readonly supplierScale: Uint8Array | undefined;
  readonly big: ReadonlyMap<string, bigint>;
  readonly priceScale: Uint8Array;
}

/** @internal The pool's purchases: the offer's input index and the scaled quantity taken. */
export class PurchaseLog {
  readonly offer: Column<Int32Array>;
  readonly qty: Column<Float64Array>;
  readonly amount: ScaledColumn;
  /** Each carrier's amount scale: its pool price's decimals plus the quantity scale. */
  readonly amountScale = new Uint8Array(4);

  constructor(memory: Allocator) {
    keepShape(this);
    this.offer = intColumn(memory);
    this.qty = numberColumn(memory);
    this.amount = new ScaledColumn(memory);
  }

  get length(): number {
    return this.offer.length;
  }

  push(offer: number, q: number, amount: number | bigint): void {
    this.offer.push(offer);
    this.qty.push(q);
    this.amount.push(amount);
  }
}

/** @internal Scenario 2's trades: the bid's input index, the lot, the scaled quantity, the money. */
export class PoolTradeLog {
  readonly bid: Column<Int32Array>;
  readonly lot: LotRow[] = [];
  readonly qty: Column<Float64Array>;
  readonly amount: ScaledColumn;
  readonly consumerFee: FeeColumn;

  constructor(memory: Allocator) {
    keepShape(this);
    this.bid = intColumn(memory);
    this.qty = numberColumn(memory);
    this.amount = new ScaledColumn(memory);
    this.consumerFee = new FeeColumn(memory);
  }

  get length(): number {
    return this.bid.length;
  }

  push(bid: number, lot: LotRow, q: number, m: TradeMoney): void {
    this.bid.push(bid);
    this.lot.push(lot);
    this.qty.push(q);
    this.amount.push(m.amount);
    this.consumerFee.push(m.consumerFee, m.consumerScale);
  }
}

/** @internal Everything a cycle decides, in the order its phases decide it. */
export class CycleLog {
  readonly orders: OrderState;
  readonly trades: TradeLog;
  readonly purchases: PurchaseLog;
  readonly poolTrades: PoolTradeLog;
  readonly unsold: UnsoldOffer[] = [];
  readonly supplyIdPool: string[] = [];
  readonly consumerIdRest: string[] = [];
  readonly summaries: CarrierSummary[] = [];

  constructor(bids: number, offers: number, memory: Allocator, twoFees: boolean) {
    keepShape(this);
    this.purchases = new PurchaseLog(memory);
    this.orders = new OrderState(bids, offers, memory, this.purchases);
    this.trades = new TradeLog(memory, twoFees);
    this.poolTrades = new PoolTradeLog(memory);
  }
}

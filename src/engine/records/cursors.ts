/**
 * Cursors over the cycle log: one trade, pool purchase or pool trade at a time, read field by
 * field by the generated writers (`generated.ts`) — for the JSON text and the object view (and the
 * pool records' sealed bytes), so all read the same stored values. (The P2P trade's sealed record
 * reads the trade being made: `seal.ts`.)
 *
 * @module
 * @internal
 */
import { formatLimbs, formatScaled } from '../../decimal/decimal.js';
import type { ByteWriter } from '../../internal/byte-writer.js';
import { keepShape } from '../../internal/shapes.js';
import type { BookTables } from '../../ledger/records.js';
import type { ParsedBook } from '../../model/columns.js';
import type { LotSource } from '../../model/result.js';
import { CARRIERS, type Carrier, type ResolvedConfig } from '../../model/types.js';
import { type CycleLog, type FeeValue, LOT_SOURCES, type TradeLog } from '../log.js';
import type {
  PoolPurchaseFields,
  PoolPurchaseTexts,
  PoolTradeFields,
  PoolTradeTexts,
  TradeFields,
  TradeTexts,
} from './generated.js';
import { TradeIndices } from './seal.js';

/** A fee `hi × 10^8 + lo` (a bigint `lo` is the whole fee) at `scale`, as text. */
function feeText(lo: number | bigint, hi: number, scale: number): string {
  return typeof lo === 'number' ? formatLimbs(hi, lo, scale) : formatScaled(lo, scale);
}

/**
 * @internal What a trade's fields read of the book: ids, participants and carriers by input index.
 * A {@link ParsedBook} is one; a result sent from a worker thread holds just these, for its trades.
 */
export interface TradeBook {
  readonly bids: {
    readonly id: ArrayLike<string>;
    readonly party: ArrayLike<number>;
    readonly carrier: ArrayLike<number>;
  };
  readonly offers: { readonly id: ArrayLike<string>; readonly party: ArrayLike<number> };
  readonly parties: { readonly names: ArrayLike<string> };
  readonly limits: { readonly quantityScale: number };
}

/**
 * The parties and quantity of one P2P trade — bid `b` and offer `o` (input indices), carrier `ci`,
 * scaled quantity `q` — as the writers read them; the subclasses say where the money comes from.
 */
abstract class TradeParties extends TradeIndices {
  protected readonly qs: number;

  constructor(
    protected readonly book: TradeBook,
    /** The JSON literal bytes the writers copy; absent where only texts are read. */
    private readonly tables_: BookTables | undefined,
  ) {
    super();
    this.qs = book.limits.quantityScale;
  }

  private get tables(): BookTables {
    if (this.tables_ === undefined) throw new Error('internal: this trade cursor reads texts only');
    return this.tables_;
  }

  bidId(w: ByteWriter): void {
    w.entry(this.tables.bids, this.b);
  }
  offerId(w: ByteWriter): void {
    w.entry(this.tables.offers, this.o);
  }
  buyer(w: ByteWriter): void {
    w.entry(this.tables.parties, this.buyerParty);
  }
  seller(w: ByteWriter): void {
    w.entry(this.tables.parties, this.sellerParty);
  }
  carrier(): number {
    return this.ci;
  }
  quantity(w: ByteWriter): void {
    w.decimal(this.q, this.qs);
  }
}

/**
 * @internal P2P trade `i` of the log, for the JSON text and the object view: its values loaded once
 * by {@link at}.
 */
export class TradeCursor extends TradeParties implements TradeFields, TradeTexts {
  private price_: number | bigint = 0;
  private priceScale = 0;
  private amount_: number | bigint = 0;
  private amountScale = 0;
  private readonly consumerFee_: FeeValue = { lo: 0, hi: 0, scale: 0 };
  private readonly supplierFee_: FeeValue = { lo: 0, hi: 0, scale: 0 };
  /** The consumer's fee as text, once made for this trade (a built-in rate's two fees are one). */
  private consumerFeeText_: string | undefined;

  constructor(
    book: TradeBook,
    tables: BookTables | undefined,
    private readonly trades: TradeLog,
  ) {
    super(book, tables);
  }

  /** Points at trade `i` of the log. */
  at(i: number): this {
    const t = this.trades;
    this.locate(i);
    this.price_ = t.price(i);
    this.priceScale = t.priceScale[this.ci]!;
    this.amount_ = t.amount(i);
    this.amountScale = this.priceScale + this.qs;
    t.consumerFee(i, this.consumerFee_);
    t.supplierFee(i, this.supplierFee_);
    this.consumerFeeText_ = undefined;
    return this;
  }

  /**
   * Points at trade `i`'s orders, parties, carrier and quantity only: what the id and party texts
   * read (its money stays that of the last {@link at}).
   */
  locate(i: number): void {
    const t = this.trades;
    this.b = t.bid[i]!;
    this.o = t.offer[i]!;
    this.buyerParty = this.book.bids.party[this.b]!;
    this.sellerParty = this.book.offers.party[this.o]!;
    this.ci = this.book.bids.carrier[this.b]!;
    this.q = t.qty[i]!;
  }

  price(w: ByteWriter): void {
    w.decimal(this.price_, this.priceScale);
  }
  amount(w: ByteWriter): void {
    w.decimal(this.amount_, this.amountScale);
  }
  supplierFee(w: ByteWriter): void {
    const f = this.supplierFee_;
    w.limbsOrWhole(f.lo, f.hi, f.scale);
  }
  consumerFee(w: ByteWriter): void {
    const f = this.consumerFee_;
    w.limbsOrWhole(f.lo, f.hi, f.scale);
  }

  bidIdText(): string {
    return this.book.bids.id[this.b]!;
  }
  offerIdText(): string {
    return this.book.offers.id[this.o]!;
  }
  buyerText(): string {
    return this.book.parties.names[this.buyerParty]!;
  }
  sellerText(): string {
    return this.book.parties.names[this.sellerParty]!;
  }
  carrierText(): Carrier {
    return CARRIERS[this.ci]!;
  }
  quantityText(): string {
    return formatScaled(this.q, this.qs);
  }
  priceText(): string {
    return formatScaled(this.price_, this.priceScale);
  }
  amountText(): string {
    return formatScaled(this.amount_, this.amountScale);
  }
  /** Whether the two fees are equal (a built-in rate's): their texts are then one string. */
  feesEqual(): boolean {
    const f = this.supplierFee_;
    const c = this.consumerFee_;
    return f.lo === c.lo && f.hi === c.hi && f.scale === c.scale;
  }
  supplierFeeText(): string {
    if (this.feesEqual()) return this.consumerFeeText();
    const f = this.supplierFee_;
    return feeText(f.lo, f.hi, f.scale);
  }
  consumerFeeText(): string {
    const f = this.consumerFee_;
    this.consumerFeeText_ ??= feeText(f.lo, f.hi, f.scale);
    return this.consumerFeeText_;
  }
}

/** @internal Pool purchase `i` of the log. */
export class PurchaseCursor implements PoolPurchaseFields, PoolPurchaseTexts {
  private i = 0;
  private o = 0;
  private party = 0;
  private readonly qs: number;

  constructor(
    private readonly book: ParsedBook,
    private readonly tables: BookTables,
    private readonly log: CycleLog,
    private readonly cfg: ResolvedConfig,
  ) {
    keepShape(this);
    this.qs = book.limits.quantityScale;
  }

  /** Points at purchase `i`; `seller`, the offer's party number, when the caller holds it. */
  at(i: number, seller = -1): this {
    this.i = i;
    this.o = this.log.purchases.offer.get(i);
    this.party = seller >= 0 ? seller : this.book.offers.party[this.o]!;
    return this;
  }

  private amountScale(): number {
    return this.log.purchases.amountScale[this.carrier()]!;
  }

  offerId(w: ByteWriter): void {
    w.entry(this.tables.offers, this.o);
  }
  seller(w: ByteWriter): void {
    w.entry(this.tables.parties, this.party);
  }
  carrier(): number {
    return this.book.offers.carrier[this.o]!;
  }
  quantity(w: ByteWriter): void {
    w.decimal(this.log.purchases.qty.get(this.i), this.qs);
  }
  price(w: ByteWriter): void {
    w.text(this.priceText());
  }
  amount(w: ByteWriter): void {
    w.decimal(this.log.purchases.amount.get(this.i), this.amountScale());
  }

  offerIdText(): string {
    return this.book.offers.id[this.o]!;
  }
  sellerText(): string {
    return this.book.parties.names[this.party]!;
  }
  carrierText(): Carrier {
    return CARRIERS[this.carrier()]!;
  }
  quantityText(): string {
    return formatScaled(this.log.purchases.qty.get(this.i), this.qs);
  }
  priceText(): string {
    return this.cfg.poolBuyPrice[this.carrierText()];
  }
  amountText(): string {
    return formatScaled(this.log.purchases.amount.get(this.i), this.amountScale());
  }
}

/** @internal Pool trade `i` of the log. */
export class PoolTradeCursor implements PoolTradeFields, PoolTradeTexts {
  private i = 0;
  private b = 0;
  private party = 0;
  private readonly qs: number;
  private readonly ps: number;

  constructor(
    private readonly book: ParsedBook,
    private readonly tables: BookTables,
    private readonly log: CycleLog,
  ) {
    keepShape(this);
    this.qs = book.limits.quantityScale;
    this.ps = book.limits.priceScale;
  }

  /** Points at pool trade `i`; `buyer`, the bid's party number, when the caller holds it. */
  at(i: number, buyer = -1): this {
    this.i = i;
    this.b = this.log.poolTrades.bid.get(i);
    this.party = buyer >= 0 ? buyer : this.book.bids.party[this.b]!;
    return this;
  }

  bidId(w: ByteWriter): void {
    w.entry(this.tables.bids, this.b);
  }
  buyer(w: ByteWriter): void {
    w.entry(this.tables.parties, this.party);
  }
  lotId(w: ByteWriter): void {
    w.json(this.log.poolTrades.lot[this.i]!.id);
  }
  source(): number {
    return this.log.poolTrades.lot[this.i]!.kind;
  }
  carrier(): number {
    return this.book.bids.carrier[this.b]!;
  }
  quantity(w: ByteWriter): void {
    w.decimal(this.log.poolTrades.qty.get(this.i), this.qs);
  }
  price(w: ByteWriter): void {
    w.decimal(this.log.poolTrades.lot[this.i]!.p, this.ps);
  }
  amount(w: ByteWriter): void {
    w.decimal(this.log.poolTrades.amount.get(this.i), this.ps + this.qs);
  }
  consumerFee(w: ByteWriter): void {
    const fees = this.log.poolTrades.consumerFee;
    w.limbsOrWhole(fees.value.get(this.i), 0, fees.scale.get(this.i));
  }

  bidIdText(): string {
    return this.book.bids.id[this.b]!;
  }
  buyerText(): string {
    return this.book.parties.names[this.party]!;
  }
  lotIdText(): string {
    return this.log.poolTrades.lot[this.i]!.id;
  }
  sourceText(): LotSource {
    return LOT_SOURCES[this.source()]!;
  }
  carrierText(): Carrier {
    return CARRIERS[this.carrier()]!;
  }
  quantityText(): string {
    return formatScaled(this.log.poolTrades.qty.get(this.i), this.qs);
  }
  priceText(): string {
    return formatScaled(this.log.poolTrades.lot[this.i]!.p, this.ps);
  }
  amountText(): string {
    return formatScaled(this.log.poolTrades.amount.get(this.i), this.ps + this.qs);
  }
  consumerFeeText(): string {
    const fees = this.log.poolTrades.consumerFee;
    return feeText(fees.value.get(this.i), 0, fees.scale.get(this.i));
  }
}

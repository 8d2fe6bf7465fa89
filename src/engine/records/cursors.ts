/**
 * Cursors over the cycle log: one trade, pool purchase or pool trade at a time, read field by
 * field by the generated writers (`generated.ts`) — for the sealed bytes, the JSON text and the
 * object view alike, so all three read the same stored values.
 *
 * @module
 * @internal
 */
import { formatLimbs, formatScaled } from '../../decimal/decimal.js';
import type { ByteWriter } from '../../internal/byte-writer.js';
import type { BookTables } from '../../ledger/records.js';
import type { ParsedBook } from '../../model/columns.js';
import type { LotSource } from '../../model/result.js';
import { CARRIERS, type Carrier, type ResolvedConfig } from '../../model/types.js';
import { type CycleLog, type FeeColumn, LOT_SOURCES } from '../log.js';
import type {
  PoolPurchaseFields,
  PoolPurchaseTexts,
  PoolTradeFields,
  PoolTradeTexts,
  TradeFields,
  TradeTexts,
} from './generated.js';

function writeFee(w: ByteWriter, fees: FeeColumn, i: number): void {
  const lo = fees.value.lo(i);
  const s = fees.scale.get(i);
  if (typeof lo === 'number') w.limbs(fees.value.hi(i), lo, s);
  else w.decimal(lo, s);
}

function feeText(fees: FeeColumn, i: number): string {
  const lo = fees.value.lo(i);
  const s = fees.scale.get(i);
  return typeof lo === 'number' ? formatLimbs(fees.value.hi(i), lo, s) : formatScaled(lo, s);
}

/** @internal P2P trade `i` of the log. */
export class TradeCursor implements TradeFields, TradeTexts {
  private i = 0;
  private b = 0;
  private o = 0;
  private readonly qs: number;

  constructor(
    private readonly book: ParsedBook,
    private readonly tables: BookTables,
    private readonly log: CycleLog,
  ) {
    this.qs = book.limits.quantityScale;
  }

  /** Points at trade `i`. */
  at(i: number): this {
    const t = this.log.trades;
    this.i = i;
    this.b = t.bid.get(i);
    this.o = t.offer.get(i);
    return this;
  }

  private priceScale(): number {
    return this.log.trades.priceScale[this.book.bids.carrier[this.b]!]!;
  }

  private supplierFees(): FeeColumn {
    return this.log.trades.supplierFee ?? this.log.trades.consumerFee;
  }

  bidId(w: ByteWriter): void {
    w.entry(this.tables.bids, this.b);
  }
  offerId(w: ByteWriter): void {
    w.entry(this.tables.offers, this.o);
  }
  buyer(w: ByteWriter): void {
    w.entry(this.tables.parties, this.book.bids.party[this.b]!);
  }
  seller(w: ByteWriter): void {
    w.entry(this.tables.parties, this.book.offers.party[this.o]!);
  }
  carrier(): number {
    return this.book.bids.carrier[this.b]!;
  }
  quantity(w: ByteWriter): void {
    w.decimal(this.log.trades.qty.get(this.i), this.qs);
  }
  price(w: ByteWriter): void {
    w.decimal(this.log.trades.price.lo(this.i), this.priceScale());
  }
  amount(w: ByteWriter): void {
    w.decimal(this.log.trades.amount.lo(this.i), this.priceScale() + this.qs);
  }
  supplierFee(w: ByteWriter): void {
    writeFee(w, this.supplierFees(), this.i);
  }
  consumerFee(w: ByteWriter): void {
    writeFee(w, this.log.trades.consumerFee, this.i);
  }

  bidIdText(): string {
    return this.book.bids.id[this.b]!;
  }
  offerIdText(): string {
    return this.book.offers.id[this.o]!;
  }
  buyerText(): string {
    return this.book.parties.names[this.book.bids.party[this.b]!]!;
  }
  sellerText(): string {
    return this.book.parties.names[this.book.offers.party[this.o]!]!;
  }
  carrierText(): Carrier {
    return CARRIERS[this.carrier()]!;
  }
  quantityText(): string {
    return formatScaled(this.log.trades.qty.get(this.i), this.qs);
  }
  priceText(): string {
    return formatScaled(this.log.trades.price.lo(this.i), this.priceScale());
  }
  amountText(): string {
    return formatScaled(this.log.trades.amount.lo(this.i), this.priceScale() + this.qs);
  }
  supplierFeeText(): string {
    return feeText(this.supplierFees(), this.i);
  }
  consumerFeeText(): string {
    return feeText(this.log.trades.consumerFee, this.i);
  }
}

/** @internal Pool purchase `i` of the log. */
export class PurchaseCursor implements PoolPurchaseFields, PoolPurchaseTexts {
  private i = 0;
  private o = 0;
  private readonly qs: number;

  constructor(
    private readonly book: ParsedBook,
    private readonly tables: BookTables,
    private readonly log: CycleLog,
    private readonly cfg: ResolvedConfig,
  ) {
    this.qs = book.limits.quantityScale;
  }

  at(i: number): this {
    this.i = i;
    this.o = this.log.purchases.offer.get(i);
    return this;
  }

  private amountScale(): number {
    return this.log.purchases.amountScale[this.carrier()]!;
  }

  offerId(w: ByteWriter): void {
    w.entry(this.tables.offers, this.o);
  }
  seller(w: ByteWriter): void {
    w.entry(this.tables.parties, this.book.offers.party[this.o]!);
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
    w.decimal(this.log.purchases.amount.lo(this.i), this.amountScale());
  }

  offerIdText(): string {
    return this.book.offers.id[this.o]!;
  }
  sellerText(): string {
    return this.book.parties.names[this.book.offers.party[this.o]!]!;
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
    return formatScaled(this.log.purchases.amount.lo(this.i), this.amountScale());
  }
}

/** @internal Pool trade `i` of the log. */
export class PoolTradeCursor implements PoolTradeFields, PoolTradeTexts {
  private i = 0;
  private b = 0;
  private readonly qs: number;
  private readonly ps: number;

  constructor(
    private readonly book: ParsedBook,
    private readonly tables: BookTables,
    private readonly log: CycleLog,
  ) {
    this.qs = book.limits.quantityScale;
    this.ps = book.limits.priceScale;
  }

  at(i: number): this {
    this.i = i;
    this.b = this.log.poolTrades.bid.get(i);
    return this;
  }

  bidId(w: ByteWriter): void {
    w.entry(this.tables.bids, this.b);
  }
  buyer(w: ByteWriter): void {
    w.entry(this.tables.parties, this.book.bids.party[this.b]!);
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
    w.decimal(this.log.poolTrades.amount.lo(this.i), this.ps + this.qs);
  }
  consumerFee(w: ByteWriter): void {
    writeFee(w, this.log.poolTrades.consumerFee, this.i);
  }

  bidIdText(): string {
    return this.book.bids.id[this.b]!;
  }
  buyerText(): string {
    return this.book.parties.names[this.book.bids.party[this.b]!]!;
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
    return formatScaled(this.log.poolTrades.amount.lo(this.i), this.ps + this.qs);
  }
  consumerFeeText(): string {
    return feeText(this.log.poolTrades.consumerFee, this.i);
  }
}

/**
 * The texts of a list of P2P trades read in order, for `result.trades`: the money of a run of
 * trades is written as bytes into one buffer by the writers the JSON text uses, and each field
 * made from those bytes — instead of each number formatted into a string of its own, which was
 * most of the cost of building the list.
 *
 * @module
 * @internal
 */
import { ByteWriter, COLLECT } from '../../internal/byte-writer.js';
import { keepShape } from '../../internal/shapes.js';
import type { Carrier } from '../../model/types.js';
import type { TradeCursor } from './cursors.js';
import type { TradeTexts } from './generated.js';

/** Trades whose money is written and decoded together (bounded so no string grows huge). */
const RUN = 1 << 14;
/** Money fields a trade: quantity, price, amount, consumer fee, supplier fee. */
const FIELDS = 5;

/**
 * @internal {@link TradeTexts} of trade after trade of a {@link TradeCursor}, best read in order:
 * {@link at} writes the money of the run of {@link RUN} trades it enters when it leaves the
 * current one.
 */
export class TradeTextRun implements TradeTexts {
  private readonly w: ByteWriter;
  /** Where each money field of the run's trades ends in {@link bytes}. */
  private readonly ends: Int32Array;
  /** The run's money, as ASCII. */
  private bytes: Uint8Array = new Uint8Array(0);
  /** `codes[n]`: an array of n character codes, reused for each field of n characters. */
  private readonly codes: number[][] = [];
  /** The run: trades `from` up to `to`. */
  private from = 0;
  private to = 0;
  /** The current trade's first field in {@link ends}. */
  private k = 0;
  /** The current trade's consumer fee, once cut (the supplier's is the same string when equal). */
  private consumerFee: string | undefined;

  constructor(
    private readonly cursor: TradeCursor,
    private readonly length: number,
  ) {
    keepShape(this);
    // Sized for the list: a short one does not pay for a whole run's buffers.
    const n = Math.min(length, RUN);
    this.w = new ByteWriter(COLLECT, 64 * n);
    this.ends = new Int32Array(FIELDS * n);
  }

  /** Points at trade `i` (any order; in order, each run is written once). */
  at(i: number): this {
    if (i < this.from || i >= this.to) this.write(i - (i % RUN));
    // The money is in the run's text: the ids and parties are all the cursor still gives.
    this.cursor.locate(i);
    this.k = FIELDS * (i - this.from);
    this.consumerFee = undefined;
    return this;
  }

  /** Writes the money of the run of trades from `i` (a multiple of {@link RUN}). */
  private write(i: number): void {
    const { w, ends, cursor } = this;
    const to = Math.min(this.length, i + RUN);
    let k = 0;
    for (let j = i; j < to; j++) {
      cursor.at(j);
      cursor.quantity(w);
      ends[k++] = w.length;
      cursor.price(w);
      ends[k++] = w.length;
      cursor.amount(w);
      ends[k++] = w.length;
      cursor.consumerFee(w);
      ends[k++] = w.length;
      // Equal fees (a built-in rate's) are one string: nothing written for the second.
      if (!cursor.feesEqual()) cursor.supplierFee(w);
      ends[k++] = w.length;
    }
    this.bytes = w.digest();
    this.from = i;
    this.to = to;
  }

  /** Money field `f` of the current trade. */
  private field(f: number): string {
    const at = this.k + f;
    return this.ascii(at === 0 ? 0 : this.ends[at - 1]!, this.ends[at]!);
  }

  /**
   * Bytes `from` up to `to` of the run as a string of its own. Cut from one text decoded for the
   * run instead, a field of 13 characters or more (amounts, fees) would be a slice that keeps the
   * whole run's text alive as long as the trade: ~50 bytes a trade more, ~70 MB at 10^6 a side.
   */
  private ascii(from: number, to: number): string {
    const n = to - from;
    let codes = this.codes[n];
    if (codes === undefined) {
      codes = new Array<number>(n).fill(0);
      this.codes[n] = codes;
    }
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) codes[i] = bytes[from + i]!;
    return String.fromCharCode.apply(null, codes);
  }

  bidIdText(): string {
    return this.cursor.bidIdText();
  }
  offerIdText(): string {
    return this.cursor.offerIdText();
  }
  buyerText(): string {
    return this.cursor.buyerText();
  }
  sellerText(): string {
    return this.cursor.sellerText();
  }
  carrierText(): Carrier {
    return this.cursor.carrierText();
  }
  quantityText(): string {
    return this.field(0);
  }
  priceText(): string {
    return this.field(1);
  }
  amountText(): string {
    return this.field(2);
  }
  consumerFeeText(): string {
    this.consumerFee ??= this.field(3);
    return this.consumerFee;
  }
  supplierFeeText(): string {
    // Equal fees wrote no supplier fee (a decimal is never empty).
    const at = this.k + 4;
    return this.ends[at] === this.ends[at - 1] ? this.consumerFeeText() : this.field(4);
  }
}

/**
 * The P2P trade being made, as its sealed record (`writeTradeRecord`, generated) reads it.
 *
 * @module
 * @internal
 */

import { keepShape } from '../../internal/shapes.js';
import type { BookTables } from '../../ledger/records.js';
import type { ParsedBook } from '../../model/columns.js';
import type { TradeMoney } from '../money.js';

/**
 * @internal Who and how much of one P2P trade: bid `b` and offer `o` (input indices), the buyer's
 * and the seller's party numbers, carrier `ci`, scaled quantity `q`.
 */
export class TradeIndices {
  b = 0;
  o = 0;
  buyerParty = 0;
  sellerParty = 0;
  ci = 0;
  q = 0;

  constructor() {
    keepShape(this);
  }
}

/**
 * @internal The P2P trade being made, as its sealed record reads it (`writeTradeRecord`): plain
 * fields, set by the trade loop, and the trade's money read in place (no copy of a value that may
 * be a bigint, which would box every number stored beside it).
 */
export class TradeSeal extends TradeIndices {
  /** The book's quantity scale. */
  readonly qs: number;

  constructor(
    book: ParsedBook,
    /** The JSON literal bytes of the ids and participants. */
    readonly tables: BookTables,
    /** The trade's money, as the fee policy left it. */
    readonly m: TradeMoney,
    /** Whether the supplier's fee is its own (a custom policy) or the consumer's (a rate). */
    readonly twoFees: boolean,
  ) {
    super();
    this.qs = book.limits.quantityScale;
  }
}

/**
 * The P2P trade being made, as its sealed record (`writeTradeRecord`, generated) reads it.
 *
 * @module
 * @internal
 */

import type { Allocator } from '../../internal/arena.js';
import { gatherTable, type JsonTable } from '../../internal/byte-writer.js';
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
 * be a bigint, which would box every number stored beside it). Each id and party is entry `…At`
 * of a table of JSON literals: the book's own (by input index and party number), or a carrier's
 * copies in rank order (see `makeP2PTrades`).
 */
export class TradeSeal {
  /** The carrier's number. */
  ci = 0;
  /** The scaled quantity. */
  q = 0;
  /** The bid's id is entry `bidAt` of this table. */
  bidIds!: JsonTable;
  bidAt = 0;
  /** The buyer's name is entry `buyerAt` of this table. */
  buyers!: JsonTable;
  buyerAt = 0;
  /** The offer's id is entry `offerAt` of this table. */
  offerIds!: JsonTable;
  offerAt = 0;
  /** The seller's name is entry `sellerAt` of this table. */
  sellers!: JsonTable;
  sellerAt = 0;
  /** The book's quantity scale. */
  readonly qs: number;

  constructor(
    book: ParsedBook,
    /** The JSON literal bytes of the book's ids and participants. */
    private readonly tables: BookTables,
    /** The trade's money, as the fee policy left it. */
    readonly m: TradeMoney,
    /** Whether the supplier's fee is its own (a custom policy) or the consumer's (a rate). */
    readonly twoFees: boolean,
  ) {
    keepShape(this);
    this.qs = book.limits.quantityScale;
    this.readBook();
  }

  /** Reads ids and parties from the book's tables: `…At` are input indices and party numbers. */
  readBook(): void {
    const t = this.tables;
    this.bidIds = t.bids;
    this.buyers = t.parties;
    this.offerIds = t.offers;
    this.sellers = t.parties;
  }

  /** Which of the tables read are copies in rank order (their `…At` a rank, not an index). */
  byRank(): { bid: boolean; buyer: boolean; offer: boolean; seller: boolean } {
    const t = this.tables;
    return {
      bid: this.bidIds !== t.bids,
      buyer: this.buyers !== t.parties,
      offer: this.offerIds !== t.offers,
      seller: this.sellers !== t.parties,
    };
  }

  /**
   * Reads each of the ids and parties that rank order would read scattered over the book's table
   * from a copy in rank order (its `…At` a rank: see {@link byRank}), made from `memory`; given the
   * input indices and party numbers of a carrier's bids and offers in rank order. A table read
   * near enough in order already (the adversarial bench book's, whose ranks follow its input) is
   * read in place: there a copy costs more than it saves.
   */
  readRanked(
    bidIndex: Int32Array,
    bidParty: Int32Array,
    askIndex: Int32Array,
    askParty: Int32Array,
    memory: Allocator,
  ): void {
    const t = this.tables;
    this.bidIds = inRankOrder(t.bids, bidIndex, memory);
    this.buyers = inRankOrder(t.parties, bidParty, memory);
    this.offerIds = inRankOrder(t.offers, askIndex, memory);
    this.sellers = inRankOrder(t.parties, askParty, memory);
  }
}

/** `table` to be read in `order`: a copy in that order when {@link scattered}, else itself. */
function inRankOrder(table: JsonTable, order: Int32Array, memory: Allocator): JsonTable {
  return scattered(order) ? gatherTable(table, order, memory) : table;
}

/** A step between entries read one after the other, past which the next is likely a cache miss. */
const NEAR = 16;

/**
 * @internal Whether reading a table's entries in `order` jumps about: more than one step in four
 * goes further than {@link NEAR} entries, forward or back.
 */
export function scattered(order: Int32Array): boolean {
  let far = 0;
  for (let k = 1; k < order.length; k++) {
    const step = order[k]! - order[k - 1]!;
    if (step > NEAR || step < -NEAR) far++;
  }
  return 4 * far > order.length;
}

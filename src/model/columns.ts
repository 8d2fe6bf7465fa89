/**
 * The column model of a validated book: each side's orders in typed arrays by input index (no
 * object per order), the participants numbered once, and the arena the cycle takes its arrays
 * from. The validator makes it; ranking, the engine's phases and the ledger read it.
 *
 * @module
 * @internal
 */
import { formatScaled } from '../decimal/decimal.js';
import { type Allocator, type Arena, HEAP } from '../internal/arena.js';
import { keepShape } from '../internal/shapes.js';
import type { StringTable } from '../internal/string-table.js';
import {
  type Bid,
  CARRIERS,
  type Carrier,
  type Limits,
  type Offer,
  type OrderBook,
  type StorageLot,
} from './types.js';

/** @internal One order of an {@link OrderColumns} as an object, for paths that are not hot. */
export interface OrderRow {
  /** Its position in the input array. */
  readonly index: number;
  readonly id: string;
  /** `''` for storage lots. */
  readonly participant: string;
  /** The participant's number in {@link ParsedBook.parties}; `-1` for storage lots. */
  readonly party: number;
  readonly carrier: Carrier;
  /** Quantity scaled by 10^quantityScale. */
  readonly q: number;
  /** Price scaled by 10^priceScale. */
  readonly p: number;
  readonly seq: number;
  readonly allOrNone: boolean;
}

/**
 * @internal One side of a validated book in columns, by input index: no object per order (a
 * million orders a side would be a million objects for the garbage collector to mark, all cycle).
 */
export class OrderColumns {
  /** The ids, by input index. */
  id: readonly string[] = [];
  /** The participants (`''` for storage lots), by input index. */
  readonly participant: string[] = [];
  /** The participants' numbers in {@link ParsedBook.parties}; `-1` for storage lots. */
  readonly party: Int32Array;
  /** Index into `CARRIERS`. */
  readonly carrier: Uint8Array;
  /** Quantity scaled by 10^quantityScale. */
  readonly q: Float64Array;
  /** Price scaled by 10^priceScale. */
  readonly p: Float64Array;
  readonly seq: Float64Array;
  readonly allOrNone: Uint8Array;

  constructor(
    readonly length: number,
    memory: Allocator = HEAP,
  ) {
    keepShape(this);
    this.party = memory.i32(length);
    this.carrier = memory.u8(length);
    this.q = memory.f64(length);
    this.p = memory.f64(length);
    this.seq = memory.f64(length);
    this.allOrNone = memory.u8(length);
  }

  /** Writes order `i` (`participant` `''` and `party` -1 for a storage lot). */
  set(
    i: number,
    participant: string,
    party: number,
    carrier: number,
    q: number,
    p: number,
    seq: number,
    allOrNone: number,
  ): void {
    this.participant.push(participant);
    this.party[i] = party;
    this.carrier[i] = carrier;
    this.q[i] = q;
    this.p[i] = p;
    this.seq[i] = seq;
    this.allOrNone[i] = allOrNone;
  }

  /** Order `i` as an object. */
  row(i: number): OrderRow {
    return {
      index: i,
      id: this.id[i]!,
      participant: this.participant[i]!,
      party: this.party[i]!,
      carrier: CARRIERS[this.carrier[i]!]!,
      q: this.q[i]!,
      p: this.p[i]!,
      seq: this.seq[i]!,
      allOrNone: this.allOrNone[i] === 1,
    };
  }

  /** Every order as an object, in input order. */
  rows(): OrderRow[] {
    const out: OrderRow[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.row(i));
    return out;
  }
}

/** @internal A validated book: the canonical public form and the scaled rows. */
export interface ParsedBook {
  readonly book: OrderBook;
  readonly offers: OrderColumns;
  readonly bids: OrderColumns;
  readonly storage: OrderColumns;
  readonly limits: Limits;
  /**
   * Participants numbered 0, 1, … in order of first appearance (offers, then bids): numbered once
   * here, while each name is at hand, rather than looked up again in rank order.
   */
  readonly parties: PartyNames;
  /** Where the cycle over this book takes its arrays from (the validated columns came from it). */
  readonly arena: Arena;
}

/**
 * @internal The participants of a validated book by number: the names alone. The table that
 * numbered them is scratch memory of the validation, given back when it ends.
 */
export interface PartyNames {
  readonly names: readonly string[];
}

/**
 * @internal A {@link ParsedBook} of validated sides. `parties` has numbered every participant in
 * the scratch memory above `validating` (a mark of `arena.scratch`), given back here.
 */
export function parsedBook(
  offers: OrderColumns,
  bids: OrderColumns,
  storage: OrderColumns,
  limits: Limits,
  parties: StringTable,
  arena: Arena,
  validating: number,
): ParsedBook {
  arena.scratch.release(validating);
  let book: OrderBook | undefined;
  return {
    // The canonical copy costs an object and two strings an order: made only when asked for.
    get book(): OrderBook {
      book ??= canonicalBook(offers, bids, storage, limits);
      return book;
    },
    offers,
    bids,
    storage,
    limits,
    parties: Object.freeze({ names: parties.names }),
    arena,
  };
}

/** The public form of validated sides: canonical decimals, every `seq` filled in, frozen. */
function canonicalBook(
  offers: OrderColumns,
  bids: OrderColumns,
  storage: OrderColumns,
  limits: Limits,
): OrderBook {
  const qs = limits.quantityScale;
  const ps = limits.priceScale;
  const list = <T>(side: OrderColumns, make: (r: OrderRow) => T) => {
    const out: T[] = [];
    for (let i = 0; i < side.length; i++) out.push(make(side.row(i)));
    return Object.freeze(out);
  };
  return Object.freeze({
    offers: list(
      offers,
      (r): Offer =>
        Object.freeze({
          id: r.id,
          participant: r.participant,
          carrier: r.carrier,
          quantity: formatScaled(r.q, qs),
          price: formatScaled(r.p, ps),
          seq: r.seq,
        }),
    ),
    bids: list(
      bids,
      (r): Bid =>
        Object.freeze({
          id: r.id,
          participant: r.participant,
          carrier: r.carrier,
          quantity: formatScaled(r.q, qs),
          price: formatScaled(r.p, ps),
          allOrNone: r.allOrNone,
          seq: r.seq,
        }),
    ),
    storage: list(
      storage,
      (r): StorageLot =>
        Object.freeze({
          id: r.id,
          carrier: r.carrier,
          quantity: formatScaled(r.q, qs),
          price: formatScaled(r.p, ps),
          seq: r.seq,
        }),
    ),
  });
}

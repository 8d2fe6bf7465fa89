/**
 * What the reference engine keeps of each order during a cycle: the order as validated, as
 * decimal.js values, and what is left of it as the rules of docs/rules.md §4–7 run.
 *
 * @module
 * @internal
 */
import type { BidReason, LotSource, UnsoldReason } from '../model/result.js';
import type { Bid, Carrier, Offer, StorageLot } from '../model/types.js';
import { type Dec, dec, ZERO } from './decimal.js';

/** A bid of the book (docs/rules.md §2), with what scenarios 1 and 2 leave of it. */
export interface BidState {
  /** Position in the book's `bids` array: outcomes are listed in input order. */
  readonly index: number;
  readonly id: string;
  readonly participant: string;
  readonly carrier: Carrier;
  readonly quantity: Dec;
  readonly price: Dec;
  /** The explicit `seq`, or the position in the input (docs/rules.md §2). */
  readonly seq: number;
  readonly allOrNone: boolean;
  /** What is still wanted: the quantity, less every fill so far. */
  left: Dec;
  /** What scenario 1 left (docs/rules.md §4). */
  p2pLeft: Dec;
  /** Why scenario 1 left some of it (docs/rules.md §7). */
  reason: BidReason | undefined;
  /** Why scenario 2 left some of it (docs/rules.md §7). */
  poolReason: BidReason | undefined;
}

/** An offer of the book, with what scenario 1 and the pool leave of it. */
export interface OfferState {
  readonly index: number;
  readonly id: string;
  readonly participant: string;
  readonly carrier: Carrier;
  readonly quantity: Dec;
  readonly price: Dec;
  readonly seq: number;
  /** What scenario 1 left; the pool's share of it is kept apart, in `absorbed`. */
  left: Dec;
  /** Bought by the pool (docs/rules.md §5). */
  absorbed: Dec;
  /** Why the rest was not sold (docs/rules.md §7). */
  reason: UnsoldReason | undefined;
}

/**
 * A scenario 2 lot (docs/rules.md §6): a pool lot (an absorbed offer), a storage lot, or the
 * grid, whose quantity is unlimited (`Infinity`).
 */
export interface Lot {
  readonly id: string;
  readonly source: LotSource;
  readonly quantity: Dec;
  readonly price: Dec;
  /** The platform sells every lot: no bidder is ever its participant. */
  readonly participant: undefined;
  left: Dec;
}

/** A bid's starting state. */
export function bidState(bid: Bid, index: number): BidState {
  const quantity = dec(bid.quantity);
  return {
    index,
    id: bid.id,
    participant: bid.participant,
    carrier: bid.carrier,
    quantity,
    price: dec(bid.price),
    seq: bid.seq ?? index,
    allOrNone: bid.allOrNone === true,
    left: quantity,
    p2pLeft: quantity,
    reason: undefined,
    poolReason: undefined,
  };
}

/** An offer's starting state. */
export function offerState(offer: Offer, index: number): OfferState {
  const quantity = dec(offer.quantity);
  return {
    index,
    id: offer.id,
    participant: offer.participant,
    carrier: offer.carrier,
    quantity,
    price: dec(offer.price),
    seq: offer.seq ?? index,
    left: quantity,
    absorbed: ZERO,
    reason: undefined,
  };
}

/** A storage lot of the book as a scenario 2 lot. */
export function storageLot(lot: StorageLot): Lot {
  const quantity = dec(lot.quantity);
  return {
    id: lot.id,
    source: 'storage',
    quantity,
    price: dec(lot.price),
    participant: undefined,
    left: quantity,
  };
}

/**
 * The public types of a {@link Market}: its orders, journal, state, cycles and options.
 *
 * @module
 */
import type { CommissionPolicy } from '../commission/commission.js';
import type { Issue } from '../errors.js';
import type { ChainTip } from '../ledger/block.js';
import type { BlockHasher } from '../ledger/hasher.js';
import type { CycleResult } from '../model/result.js';
import type { Bid, Offer, OrderBook, ResolvedConfig, StorageLot } from '../model/types.js';

/**
 * Which list an order belongs to.
 *
 * @example
 * ```ts
 * const side: OrderSide = 'bid';
 * ```
 */
export type OrderSide = 'offer' | 'bid' | 'storage';

/**
 * An order submitted to a {@link Market}: an offer, a bid or a storage lot, tagged with its side,
 * optionally with an expiry. `seq` is assigned by the market in submission order.
 *
 * @example
 * ```ts
 * const order: MarketOrder = { side: 'bid', id: 'ev-3', participant: 'home-3', carrier: 'electricity', quantity: '4', price: '0.40', expiresAt: '2026-03-01T13:00:00Z' };
 * ```
 */
export type MarketOrder = (
  | ({
      /** A supply order. */
      readonly side: 'offer';
    } & Omit<Offer, 'seq'>)
  | ({
      /** A demand order. */
      readonly side: 'bid';
    } & Omit<Bid, 'seq'>)
  | ({
      /** A platform storage lot. */
      readonly side: 'storage';
    } & Omit<StorageLot, 'seq'>)
) & {
  /** The order leaves the book before the first cycle whose timestamp is at or after this one. */
  readonly expiresAt?: string;
};

/**
 * The answer to {@link Market.submit}: accepted, or refused alone with every reason.
 *
 * @example
 * ```ts
 * const r: SubmitResult = { accepted: false, issues: [{ path: 'price', code: 'negative', message: 'must not be negative, got -1' }] };
 * ```
 */
export type SubmitResult =
  | {
      /** The order rests in the book. */
      readonly accepted: true;
      /** The submission sequence number given to it. */
      readonly seq: number;
    }
  | {
      /** The order was refused; the market is unchanged. */
      readonly accepted: false;
      /** Every problem, with paths relative to the order. */
      readonly issues: readonly Issue[];
    };

/**
 * One thing that happened to a market, in order; replaying the journal into a fresh market with
 * the same config reproduces every block.
 *
 * @example
 * ```ts
 * const e: JournalEntry = { type: 'cycle', timestamp: '2026-03-01T12:00:30Z' };
 * ```
 */
export type JournalEntry =
  | {
      /** An accepted submission. */
      readonly type: 'submit';
      /** The order as submitted. */
      readonly order: MarketOrder;
    }
  | {
      /** A cancellation that removed an order. */
      readonly type: 'cancel';
      /** The order's side. */
      readonly side: OrderSide;
      /** The order's id. */
      readonly id: string;
    }
  | {
      /** A cleared cycle. */
      readonly type: 'cycle';
      /** Its timestamp. */
      readonly timestamp: string;
    };

/**
 * A resting order with what is left of it.
 *
 * @example
 * ```ts
 * const o: RestingOrder = { side: 'offer', id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '6', price: '0.3', seq: 0, idleCycles: 0 };
 * ```
 */
export type RestingOrder = MarketOrder & {
  /** The submission sequence: earlier orders win ties. */
  readonly seq: number;
  /** Cycles this offer ended scenario 1 with quantity left (offers only; 0 otherwise). */
  readonly idleCycles: number;
};

/**
 * A market's whole state, as plain JSON: what {@link Market.exportState} writes and
 * {@link Market.restore} reads.
 *
 * @example
 * ```ts
 * import { Market, type MarketState } from 'microgrid-clearing';
 * const state: MarketState = new Market().exportState();
 * state.orders.length; // 0
 * ```
 */
export interface MarketState {
  /** Format version. */
  readonly version: 1;
  /** The configuration the market clears with (resolved). */
  readonly config: ResolvedConfig;
  /** The next submission sequence number. */
  readonly nextSeq: number;
  /** The last block, or `null` before the first cycle. */
  readonly tip: ChainTip | null;
  /** Resting orders, in submission order. */
  readonly orders: readonly RestingOrder[];
  /** Everything that happened, in order. */
  readonly journal: readonly JournalEntry[];
}

/**
 * What a market cycle produced: the cycle's result plus the exact book that was cleared (so any
 * participant can re-execute it with `verifyCycle`), the offers kept resting, and what expired.
 *
 * @example
 * ```ts
 * import { Market, type MarketCycle } from 'microgrid-clearing';
 * const cycle: MarketCycle = new Market().runCycle('2026-03-01T12:00:00Z');
 * cycle.result.block.height; // 0
 * ```
 */
export interface MarketCycle {
  /** The cycle's result and block. */
  readonly result: CycleResult;
  /** The book that was cleared. */
  readonly book: OrderBook;
  /** Offers whose remainder rested instead of going to the pool (hashed into `inputsHash`). */
  readonly resting: readonly string[];
  /** Orders removed for expiry before clearing. */
  readonly expired: readonly OrderRef[];
}

/**
 * An order named by its side and id.
 *
 * @example
 * ```ts
 * const ref: OrderRef = { side: 'bid', id: 'ev-3' };
 * ```
 */
export interface OrderRef {
  /** The order's list. */
  readonly side: OrderSide;
  /** The order's id. */
  readonly id: string;
}

/**
 * Options of a {@link Market}.
 *
 * @example
 * ```ts
 * import { Market } from 'microgrid-clearing';
 * new Market({ idleCyclesBeforePool: 3 }, { tip: { height: 9, hash: 'ab'.repeat(32), timestamp: '2026-03-01T11:59:30Z' } });
 * ```
 */
export interface MarketOptions {
  /** @defaultValue {@link defaultHasher} */
  readonly hasher?: BlockHasher;
  /** A custom commission policy. */
  readonly commission?: CommissionPolicy;
  /** Continue an existing chain from this block. */
  readonly tip?: ChainTip;
}

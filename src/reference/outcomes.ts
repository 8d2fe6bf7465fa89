/**
 * What happened to every order (docs/rules.md §7) and to every carrier's market
 * (docs/rules.md §10): the outcomes and summaries of a cycle, read off the orders' final state
 * and the cycle's records.
 *
 * @module
 * @internal
 */
import type {
  BidOutcome,
  CarrierSummary,
  Counters,
  OfferOutcome,
  PoolPurchase,
  PoolTrade,
  Trade,
  UnsoldOffer,
} from '../model/result.js';
import type { Carrier } from '../model/types.js';
import { canonical, dec, sum } from './decimal.js';
import type { BidState, OfferState } from './model.js';

/**
 * A bid's outcome: `quantity = p2pFilled + poolFilled + unfilled` (docs/rules.md §10), with
 * scenario 1's `reason` and scenario 2's `poolReason` when they left some of it (§7).
 */
export function bidOutcome(bid: BidState): BidOutcome {
  const status = bid.left.isZero() ? 'filled' : bid.left.eq(bid.quantity) ? 'unfilled' : 'partial';
  return {
    bidId: bid.id,
    carrier: bid.carrier,
    quantity: canonical(bid.quantity),
    p2pFilled: canonical(bid.quantity.minus(bid.p2pLeft)),
    poolFilled: canonical(bid.p2pLeft.minus(bid.left)),
    unfilled: canonical(bid.left),
    status,
    ...(bid.reason === undefined ? {} : { reason: bid.reason }),
    ...(bid.poolReason === undefined ? {} : { poolReason: bid.poolReason }),
  };
}

/** What the pool did not buy of an offer's scenario 1 remainder (docs/rules.md §5). */
export function unsoldPart(offer: OfferState) {
  return offer.left.minus(offer.absorbed);
}

/**
 * An offer's outcome: `quantity = p2pSold + absorbed + unsold` (docs/rules.md §10), with the
 * unsold part's reason (§7).
 */
export function offerOutcome(offer: OfferState): OfferOutcome {
  const unsold = unsoldPart(offer);
  return {
    offerId: offer.id,
    carrier: offer.carrier,
    quantity: canonical(offer.quantity),
    p2pSold: canonical(offer.quantity.minus(offer.left)),
    absorbed: canonical(offer.absorbed),
    unsold: canonical(unsold),
    ...(unsold.gt(0) && offer.reason !== undefined ? { reason: offer.reason } : {}),
  };
}

/** One carrier's records and orders, after scenario 2. */
export interface CarrierCycle {
  readonly carrier: Carrier;
  readonly bids: readonly BidState[];
  readonly offers: readonly OfferState[];
  readonly trades: readonly Trade[];
  readonly poolPurchases: readonly PoolPurchase[];
  readonly poolTrades: readonly PoolTrade[];
  readonly unsold: readonly UnsoldOffer[];
}

/**
 * A carrier's volumes, docs/rules.md §10: `offered = p2pVolume + absorbed + unsold` and
 * `demanded = p2pVolume + poolVolume + storageVolume + gridVolume + unserved`; and the paper's
 * counters: P2P trades (intnum1), bids that got nothing in scenario 1 (intnum2), scenario 2
 * trades (intnum3), bids still short after scenario 2 (intnum4).
 */
export function carrierSummary(c: CarrierCycle): CarrierSummary {
  const total = (quantities: readonly string[]) => canonical(sum(quantities.map(dec)));
  const volumeFrom = (source: PoolTrade['source']) =>
    total(c.poolTrades.filter((t) => t.source === source).map((t) => t.quantity));
  return {
    carrier: c.carrier,
    offered: canonical(sum(c.offers.map((o) => o.quantity))),
    demanded: canonical(sum(c.bids.map((b) => b.quantity))),
    p2pVolume: total(c.trades.map((t) => t.quantity)),
    absorbed: total(c.poolPurchases.map((p) => p.quantity)),
    unsold: total(c.unsold.map((u) => u.quantity)),
    poolVolume: volumeFrom('pool'),
    storageVolume: volumeFrom('storage'),
    gridVolume: volumeFrom('grid'),
    unserved: canonical(sum(c.bids.map((b) => b.left))),
    counters: {
      p2pTrades: c.trades.length,
      p2pFailedBids: c.bids.filter((b) => b.p2pLeft.eq(b.quantity)).length,
      poolTrades: c.poolTrades.length,
      unservedBids: c.bids.filter((b) => b.left.gt(0)).length,
    },
  };
}

/** The counters of several carriers, added up. */
export function totalCounters(list: readonly Counters[]): Counters {
  const add = (key: keyof Counters) => list.reduce((n, c) => n + c[key], 0);
  return {
    p2pTrades: add('p2pTrades'),
    p2pFailedBids: add('p2pFailedBids'),
    poolTrades: add('poolTrades'),
    unservedBids: add('unservedBids'),
  };
}

/**
 * Scenario 1, docs/rules.md §4: peer-to-peer matching (the paper's first-order rule, the
 * uniform-price auction, or the welfare optimum of `optimum.ts`), its prices, and why a bid was
 * left short (docs/rules.md §7).
 *
 * @module
 * @internal
 */
import type { BidReason } from '../model/result.js';
import type { ResolvedConfig } from '../model/types.js';
import { type Dec, dec, max, min, sum, ZERO } from './decimal.js';
import type { BidState, OfferState } from './model.js';
import { welfareOptimalFills } from './optimum.js';

/** What a bid can take from: an offer (scenario 1) or a platform lot (scenario 2). */
export interface Supply {
  readonly price: Dec;
  /** Who sells; `undefined` for the platform, which is never a bidder. */
  readonly participant: string | undefined;
  /** What is left; `Infinity` for the grid. */
  left: Dec;
}

/** One fill: `quantity` of `supply` to `bid`, with both sides' places in their ranked lists. */
export interface Fill<S extends Supply> {
  readonly bid: BidState;
  readonly supply: S;
  readonly quantity: Dec;
  /** 0-based place of the bid among its carrier's ranked bids. */
  readonly bidRank: number;
  /** 0-based place of the supply among its carrier's ranked offers or lots. */
  readonly supplyRank: number;
}

/** What a round of matching made. */
export interface Served<S extends Supply> {
  /** In the order they were made. */
  readonly fills: Fill<S>[];
  /** All-or-none bids refused although some compatible supply was left (docs/rules.md §7). */
  readonly refused: Set<BidState>;
}

/**
 * Compatibility, docs/rules.md §4 and §6: the bid pays at least the supply's price, and the two
 * are different participants (a participant never trades with itself).
 */
export function compatible(bid: BidState, supply: Supply): boolean {
  return bid.price.gte(supply.price) && supply.participant !== bid.participant;
}

/**
 * docs/rules.md §4 (and §6, which reuses it): bids in rank order; each takes from the compatible
 * supply with quantity left, in rank order, `min(bid left, supply left)` each time, until it is
 * filled or nothing compatible is left. An all-or-none bid takes only if the compatible supply
 * left can fill it whole at its turn. `takesPart` narrows compatibility (the uniform price).
 */
export function serveInRankOrder<S extends Supply>(
  bids: readonly BidState[],
  supply: readonly S[],
  takesPart: (bid: BidState, supply: S) => boolean = compatible,
): Served<S> {
  const fills: Fill<S>[] = [];
  const refused = new Set<BidState>();
  bids.forEach((bid, bidRank) => {
    const candidates = supply.filter((s) => takesPart(bid, s));
    if (bid.allOrNone) {
      const available = sum(candidates.map((s) => s.left));
      if (available.lt(bid.left)) {
        if (available.gt(0)) refused.add(bid);
        return;
      }
    }
    for (const s of candidates) {
      if (bid.left.isZero()) break;
      if (s.left.isZero()) continue;
      const quantity = min(bid.left, s.left);
      bid.left = bid.left.minus(quantity);
      s.left = s.left.minus(quantity);
      fills.push({ bid, supply: s, quantity, bidRank, supplyRank: supply.indexOf(s) });
    }
  });
  return { fills, refused };
}

/** Scenario 1 of one carrier: its fills and, under the uniform price, the clearing price. */
export interface Scenario1 extends Served<OfferState> {
  /** The uniform mechanism's clearing price; `undefined` under jin2021 or when no bid meets an offer. */
  readonly clearingPrice: Dec | undefined;
}

/**
 * Scenario 1 of one carrier, docs/rules.md §4, over bids and offers already ranked (the uniform
 * price ranks by unit price). Afterwards each bid's `left` and `p2pLeft`, and each offer's
 * `left`, say what scenario 1 left of them.
 */
export function scenario1(
  bids: readonly BidState[],
  offers: readonly OfferState[],
  cfg: ResolvedConfig,
): Scenario1 {
  let served: Served<OfferState>;
  let clearingPrice: Dec | undefined;
  if (cfg.mechanism === 'welfare-optimal') {
    served = { fills: welfareOptimalFills(bids, offers), refused: new Set() };
  } else if (cfg.mechanism === 'uniform-price') {
    clearingPrice = uniformClearingPrice(bids, offers);
    const at = clearingPrice;
    // Only bids at or above the clearing price and offers at or below it take part.
    served = serveInRankOrder(
      bids,
      offers,
      (bid, offer) =>
        at !== undefined && bid.price.gte(at) && offer.price.lte(at) && compatible(bid, offer),
    );
  } else {
    served = serveInRankOrder(bids, offers);
  }
  for (const bid of bids) bid.p2pLeft = bid.left;
  return { ...served, clearingPrice };
}

/**
 * A P2P trade's unit price, docs/rules.md §4: the carrier's clearing price under the uniform
 * price, else `ask + k × (bid − ask)` with the pricing rule's k; exact, so `ask ≤ price ≤ bid`.
 */
export function tradePrice(
  bid: BidState,
  offer: OfferState,
  cfg: ResolvedConfig,
  clearingPrice: Dec | undefined,
): Dec {
  if (clearingPrice !== undefined) return clearingPrice;
  return offer.price.plus(dec(cfg.pricingK).times(bid.price.minus(offer.price)));
}

/**
 * The uniform clearing price, docs/rules.md §4 (uniform price): aggregate demand (bids by price,
 * highest first) walked against aggregate supply (offers by price, lowest first) while the bid
 * pays at least the ask, orders divisible, self-trade and all-or-none ignored. The price is the
 * midpoint of the competitive-equilibrium interval
 * `[max(last ask traded, next bid left), min(last bid traded, next ask left)]`;
 * `undefined` when no bid meets any offer.
 */
export function uniformClearingPrice(
  bids: readonly BidState[],
  offers: readonly OfferState[],
): Dec | undefined {
  const demand = bids
    .map((b) => ({ price: b.price, left: b.quantity }))
    .sort((a, b) => b.price.comparedTo(a.price));
  const supply = offers
    .map((o) => ({ price: o.price, left: o.quantity }))
    .sort((a, b) => a.price.comparedTo(b.price));
  let i = 0;
  let j = 0;
  let volume = ZERO;
  let lastBid: Dec | undefined;
  let lastAsk: Dec | undefined;
  while (i < demand.length && j < supply.length && demand[i]!.price.gte(supply[j]!.price)) {
    const d = demand[i]!;
    const s = supply[j]!;
    const take = min(d.left, s.left);
    volume = volume.plus(take);
    lastBid = d.price;
    lastAsk = s.price;
    d.left = d.left.minus(take);
    s.left = s.left.minus(take);
    if (d.left.isZero()) i++;
    if (s.left.isZero()) j++;
  }
  if (volume.isZero() || lastBid === undefined || lastAsk === undefined) return undefined;
  const low = i < demand.length ? max(lastAsk, demand[i]!.price) : lastAsk;
  const high = j < supply.length ? min(lastBid, supply[j]!.price) : lastBid;
  return low.plus(high).div(2);
}

/**
 * Why scenario 1 left part of a bid, docs/rules.md §7, judged against the carrier's offers as the
 * book gave them (`offers`, any order) that take part in scenario 1; `undefined` when scenario 1
 * filled it whole.
 *
 * Under the uniform price only offers at or below the clearing price take part (none when there is
 * no clearing price), and bids below it are `below_clearing_price`. Under the welfare optimum no
 * bid is outranked: supply it could have had went where it gains more (`optimum_elsewhere`), and
 * an all-or-none bid is `all_or_none_unfillable` when all the compatible supply could not fill it
 * whole.
 */
export function p2pReason(
  bid: BidState,
  offers: readonly OfferState[],
  s1: Scenario1,
  cfg: ResolvedConfig,
): BidReason | undefined {
  if (bid.p2pLeft.isZero()) return undefined;
  const clearing = s1.clearingPrice;
  const uniform = cfg.mechanism === 'uniform-price';
  if (uniform && clearing !== undefined && bid.price.lt(clearing)) return 'below_clearing_price';
  if (s1.refused.has(bid)) return 'all_or_none_unfillable';
  const takingPart = uniform
    ? offers.filter((o) => clearing !== undefined && o.price.lte(clearing))
    : offers;
  const compatibleSupply = sum(takingPart.filter((o) => compatible(bid, o)).map((o) => o.quantity));
  const filled = bid.quantity.minus(bid.p2pLeft);
  if (cfg.mechanism === 'welfare-optimal') {
    if (bid.allOrNone && compatibleSupply.gt(0) && compatibleSupply.lt(bid.quantity))
      return 'all_or_none_unfillable';
    if (compatibleSupply.gt(filled)) return 'optimum_elsewhere';
  } else if (compatibleSupply.gt(filled)) return 'outranked';
  if (compatibleSupply.gt(0)) return 'insufficient_supply';
  const ownOffers = takingPart.filter((o) => o.participant === bid.participant);
  if (ownOffers.some((o) => bid.price.gte(o.price))) return 'self_trade_only';
  return 'no_compatible_offer';
}

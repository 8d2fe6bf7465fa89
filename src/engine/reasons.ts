/**
 * Why an order was left short (docs/rules.md §7): after scenario 1, from the carrier's initial
 * offers; after scenario 2, from the lots. Stored as codes by input index in the log.
 *
 * @module
 * @internal
 */

import type { Scratch } from '../internal/arena.js';
import { keepShape } from '../internal/shapes.js';
import { CompatibleCapacity } from '../matching/capacity.js';
import type { MatchOutput } from '../matching/match.js';
import type { BidReason } from '../model/result.js';
import type { CycleContext } from './context.js';
import { bidCode } from './log.js';
import type { RankedCarrier } from './p2p.js';

/** Why scenario 1 left a bid short, from the initial offers of its carrier. */
class P2PReasons {
  private readonly initial: CompatibleCapacity;
  /** Each participant's lowest ask (scaled), by party number; `Infinity` for none. */
  private readonly own: Float64Array;

  constructor(
    asks: Float64Array,
    parties: Int32Array,
    quantities: Float64Array,
    partyCount: number,
    memory: Scratch,
  ) {
    keepShape(this);
    this.initial = new CompatibleCapacity(asks, parties, quantities, memory);
    this.own = memory.f64(partyCount).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < asks.length; i++) {
      const party = parties[i]!;
      if (asks[i]! < this.own[party]!) this.own[party] = asks[i]!;
    }
  }

  /** The reason for a bid (price, party) that got `filled` (scaled) in scenario 1 and wanted more. */
  of(price: number, party: number, filled: number): BidReason {
    const compatible = this.initial.available(price, party);
    if (compatible > filled) return 'outranked';
    return this.without(compatible, price, party);
  }

  /**
   * The same under `welfare-optimal`, where there is no rank to be outranked by: supply the bid
   * could have had went where it gains more (`optimum_elsewhere`), and an all-or-none bid (`whole`
   * its quantity, `undefined` for a divisible bid) that all the compatible supply could not fill
   * whole is `all_or_none_unfillable`.
   */
  atOptimum(price: number, party: number, filled: number, whole: number | undefined): BidReason {
    const compatible = this.initial.available(price, party);
    if (whole !== undefined && compatible > 0 && compatible < whole)
      return 'all_or_none_unfillable';
    if (compatible > filled) return 'optimum_elsewhere';
    return this.without(compatible, price, party);
  }

  /** A bid that took all the `compatible` supply there was. */
  private without(compatible: number | bigint, price: number, party: number): BidReason {
    if (compatible > 0) return 'insufficient_supply';
    if (this.own[party]! <= price) return 'self_trade_only';
    return 'no_compatible_offer';
  }
}

/**
 * @internal Writes what scenario 1 left of every order of a ranked carrier into the log, and why
 * each bid it left short was. Each bid's final rest is written as its scenario 1 rest too:
 * scenario 2 (`serveFromLots`) writes it again only for the bids it may serve.
 */
export function recordP2PLeft(cx: CycleContext, r: RankedCarrier, p2p: MatchOutput): void {
  const { bidP2pLeft, bidFinalLeft, bidReason, offerP2pLeft } = cx.log.orders;
  const scratch = cx.scratch;
  const atOptimum = cx.cfg.mechanism === 'welfare-optimal';
  // Locals, not fields read again each bid: the loop calls out, so V8 could not keep them.
  const { bidIndex, bidPrice, bidParty, bidQty, bidAllOrNone, matchBid, askIndex } = r;
  const { bidLeft, allOrNoneRefused, askLeft } = p2p;
  let reasons: P2PReasons | undefined;
  const mark = scratch.mark();
  for (let i = 0; i < bidIndex.length; i++) {
    const index = bidIndex[i]!;
    const left = bidLeft[i]!;
    bidP2pLeft[index] = left;
    bidFinalLeft[index] = left;
    if (left === 0) continue;
    if (matchBid[i] === -1) bidReason[index] = bidCode('below_clearing_price');
    else if (allOrNoneRefused[i] === 1) bidReason[index] = bidCode('all_or_none_unfillable');
    else {
      // Judged against the offers that take part (under the uniform price, those at or below
      // the clearing price: docs/rules.md §7).
      reasons ??= new P2PReasons(
        r.matchAsk,
        r.askParty,
        r.askQty,
        cx.book.parties.names.length,
        scratch,
      );
      const filled = bidQty[i]! - left;
      bidReason[index] = bidCode(
        atOptimum
          ? reasons.atOptimum(
              bidPrice[i]!,
              bidParty[i]!,
              filled,
              bidAllOrNone[i] === 1 ? bidQty[i]! : undefined,
            )
          : reasons.of(bidPrice[i]!, bidParty[i]!, filled),
      );
    }
  }
  scratch.release(mark);
  for (let j = 0; j < askIndex.length; j++) offerP2pLeft[askIndex[j]!] = askLeft[j]!;
}

/**
 * @internal Why scenario 2 left a bid unserved: all-or-none refused, no lot at all, every lot
 * dearer than the bid (`cheapest` is the lowest lot price), or the lots ran out.
 */
export function poolReason(
  allOrNoneRefused: boolean,
  lots: number,
  cheapest: number,
  bidPrice: number,
): number {
  return bidCode(
    allOrNoneRefused
      ? 'all_or_none_unfillable'
      : lots === 0
        ? 'no_pool_supply'
        : cheapest > bidPrice
          ? 'pool_price_above_bid'
          : 'pool_exhausted',
  );
}

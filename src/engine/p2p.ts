/**
 * Scenario 1, peer to peer (docs/rules.md §3–4): a carrier's bids and offers ranked (Eq. 1–2),
 * matched in rank order with self-trade prevention and all-or-none bids, each trade priced,
 * charged, booked to both accounts and sealed as it is made.
 *
 * @module
 * @internal
 */
import { parse } from '../decimal/fixed.js';
import { exactSum } from '../internal/column.js';
import { type MatchOutput, match } from '../matching/match.js';
import { clearingPrice } from '../matching/uniform.js';
import { CARRIERS } from '../model/types.js';
import { rankBids, rankingPolicy, rankOffers } from '../ranking/ranking.js';
import type { CycleContext } from './context.js';
import { type PriceRule, priceTrade, splitRule, uniformRule } from './money.js';
import { writeTradeRecord } from './records/generated.js';

/**
 * @internal From this many fills a carrier's ids and parties are copied in rank order before its
 * trades are written: below it the book's tables stay in cache and a copy costs more than it saves.
 * The copy's cost grows with the carrier's orders, its saving with its fills: a carrier with many
 * more orders than fills past this pays for copies it little uses (none of the bench books).
 */
export const RANKED_TABLES_MIN = 1 << 15;

/**
 * @internal One carrier's orders in rank order, each side in columns of its own (one pass a side:
 * every later loop reads memory in rank order). `bidIndex`/`askIndex` give the input index.
 */
export interface RankedCarrier {
  readonly carrier: number;
  readonly bidIndex: Int32Array;
  readonly bidParty: Int32Array;
  readonly bidPrice: Float64Array;
  readonly bidQty: Float64Array;
  readonly bidAllOrNone: Uint8Array;
  readonly askIndex: Int32Array;
  readonly askParty: Int32Array;
  readonly askPrice: Float64Array;
  readonly askQty: Float64Array;
  /**
   * The prices the matching (and the reasons of docs/rules.md §7) see: under the uniform-price
   * mechanism, bids below the clearing price are -1 and offers above it +∞ (they take no part; with
   * no clearing price every offer is +∞); otherwise the prices themselves.
   */
  readonly matchBid: Float64Array;
  readonly matchAsk: Float64Array;
  /** How the carrier's trades are priced. */
  readonly price: PriceRule;
}

/** @internal Ranks a carrier's bids and offers (given by input index) into {@link RankedCarrier}. */
export function rankCarrier(
  cx: CycleContext,
  carrier: number,
  offerIndices: Int32Array,
  bidIndices: Int32Array,
): RankedCarrier {
  const { book, scratch } = cx;
  const bidColumns = book.bids;
  const offerColumns = book.offers;
  // A uniform-price auction fills in price-then-time priority: the unit-price ranking.
  const uniform = cx.cfg.mechanism === 'uniform-price';
  const policy = uniform ? rankingPolicy('unit-price') : cx.ranking;
  const bids = rankBids(bidColumns, bidIndices, policy, scratch);
  const offers = rankOffers(offerColumns, offerIndices, policy, scratch);
  const n = bids.length;
  const m = offers.length;
  const bidParty = scratch.i32(n);
  const bidPrice = scratch.f64(n);
  const bidQty = scratch.f64(n);
  const bidAllOrNone = scratch.u8(n);
  const bidIndex = scratch.i32(n);
  for (let i = 0; i < n; i++) {
    const b = bids[i]!;
    bidParty[i] = bidColumns.party[b]!;
    bidPrice[i] = bidColumns.p[b]!;
    bidQty[i] = bidColumns.q[b]!;
    bidAllOrNone[i] = bidColumns.allOrNone[b]!;
    bidIndex[i] = b;
  }
  const askPrice = scratch.f64(m);
  const askQty = scratch.f64(m);
  const askParty = scratch.i32(m);
  const askIndex = scratch.i32(m);
  for (let j = 0; j < m; j++) {
    const o = offers[j]!;
    askPrice[j] = offerColumns.p[o]!;
    askQty[j] = offerColumns.q[o]!;
    askParty[j] = offerColumns.party[o]!;
    askIndex[j] = o;
  }
  let matchAsk = askPrice;
  let matchBid = bidPrice;
  let price = splitRule(parse(cx.cfg.pricingK), cx.priceScale);
  if (uniform) {
    // Only bids at or above the clearing price and offers at or below it take part; compared at
    // the clearing price's scale (one more decimal), exactly.
    const priced = (ps: Float64Array, qs: Float64Array) =>
      Array.from(ps, (p, i) => ({ p, q: qs[i]! }));
    const clearing = clearingPrice(
      priced(bidPrice, bidQty),
      priced(askPrice, askQty),
      cx.priceScale,
    );
    // Without a clearing price no offer takes part (every ask +∞) and no bid is below a price
    // that does not exist: each keeps its price, and its reason is judged as under jin2021 —
    // `no_compatible_offer`, since no bid meets any offer (docs/rules.md §7).
    const at = clearing === undefined ? Number.NaN : Number(clearing.v);
    matchAsk = askPrice.map((p) => (p * 10 <= at ? p : Number.POSITIVE_INFINITY));
    if (clearing !== undefined) {
      matchBid = bidPrice.map((p) => (p * 10 >= at ? p : -1));
      price = uniformRule(clearing);
    }
  }
  return {
    carrier,
    bidIndex,
    bidParty,
    bidPrice,
    bidQty,
    bidAllOrNone,
    askIndex,
    askParty,
    askPrice,
    askQty,
    matchBid,
    matchAsk,
    price,
  };
}

/** @internal Scenario 1's matching of a ranked carrier: who fills whom, how much (docs/rules.md §4). */
export function matchP2P(cx: CycleContext, r: RankedCarrier): MatchOutput {
  return match(
    {
      bidPrice: r.matchBid,
      bidQty: r.bidQty,
      bidParty: r.bidParty,
      bidAllOrNone: r.bidAllOrNone,
      askPrice: r.matchAsk,
      askQty: r.askQty,
      askParty: r.askParty,
    },
    cx.scratch,
  );
}

/**
 * @internal Makes scenario 1's trades, in fill order: each one priced and charged once (its money
 * kept in the log), booked to the buyer's and the seller's accounts, and sealed — trades come
 * first in the block, carrier by carrier. Returns the carrier's P2P volume (scaled).
 */
export function makeP2PTrades(cx: CycleContext, r: RankedCarrier, p2p: MatchOutput): bigint {
  const { log, money: m, ref: t, accounts, fees, quantityScale: qs } = cx;
  const trades = log.trades;
  const ci = r.carrier;
  const n = r.bidIndex.length;
  const asks = r.askIndex.length;
  trades.reserve(trades.length + p2p.fillCount);
  trades.priceScale[ci] = r.price.scale;
  const seal = cx.tradeSeal;
  const twoFees = fees.custom;
  seal.ci = ci;
  // On a large carrier the ids and parties that rank order would read scattered over the book's
  // tables (input order) are copied in rank order first (TradeSeal.readRanked): the fills read
  // bids in rank order and offers mostly so. The copies are scratch memory, given back after the
  // loop: the pool's arrays reuse the pages they touched (a page first written costs ~13 µs in a
  // virtual machine measured, 3 × 10^5 adversarial: pool phase 248 → 174–218 ms).
  const copies = cx.scratch.mark();
  if (p2p.fillCount >= RANKED_TABLES_MIN)
    seal.readRanked(r.bidIndex, r.bidParty, r.askIndex, r.askParty, cx.scratch);
  const {
    bid: bidByRank,
    buyer: buyerByRank,
    offer: offerByRank,
    seller: sellerByRank,
  } = seal.byRank();
  t.carrier = CARRIERS[ci]!;
  t.bidCount = n;
  t.supplyCount = asks;
  for (let f = 0; f < p2p.fillCount; f++) {
    const bi = p2p.fillBid[f]!;
    const oi = p2p.fillAsk[f]!;
    const q = p2p.fillQty[f]!;
    t.bid = r.bidIndex[bi]!;
    t.offer = r.askIndex[oi]!;
    t.q = q;
    t.bidRank = bi;
    t.supplyRank = oi;
    priceTrade(m, r.price, r.bidPrice[bi]!, r.askPrice[oi]!, q, qs);
    fees.p2p(m, t);
    accounts.buy(
      r.bidParty[bi]!,
      ci,
      q,
      m.amount,
      m.amountScale,
      m.consumerFee,
      m.consumerScale,
      m.consumerHigh,
    );
    if (twoFees)
      accounts.sell(
        r.askParty[oi]!,
        ci,
        q,
        m.amount,
        m.amountScale,
        m.supplierFee,
        m.supplierScale,
        m.supplierHigh,
      );
    else
      accounts.sell(
        r.askParty[oi]!,
        ci,
        q,
        m.amount,
        m.amountScale,
        m.consumerFee,
        m.consumerScale,
        m.consumerHigh,
      );
    trades.push(t.bid, t.offer, q, m);
    // Ids and parties by rank in a copy, else by input index and party number in the book's.
    seal.bidAt = bidByRank ? bi : t.bid;
    seal.buyerAt = buyerByRank ? bi : r.bidParty[bi]!;
    seal.offerAt = offerByRank ? oi : t.offer;
    seal.sellerAt = sellerByRank ? oi : r.askParty[oi]!;
    seal.q = q;
    writeTradeRecord(cx.leaves.out, seal);
    cx.leaves.end();
  }
  seal.readBook();
  cx.scratch.release(copies);
  // The volume: the fills' quantities, summed exactly.
  return exactSum(p2p.fillQty.subarray(0, p2p.fillCount));
}

/**
 * Scenario 1 under `mechanism: "welfare-optimal"` (docs/rules.md §4): the carrier is cleared at
 * the constrained welfare optimum — the largest gains from trade of any allocation keeping the
 * rules (same carrier, bid price ≥ ask, different participants, all-or-none bids whole or not at
 * all) — and handed on in the shape the first-order matcher gives, so the trades are priced,
 * charged, settled and sealed by the same phases as under the other mechanisms.
 *
 * - **Which allocation.** The solver of `constrainedOptimum` (`metrics/optimum.ts`): the polymatroid
 *   greedy, exact in O((N + M) log(N + M)) without all-or-none bids, a branch and bound over them.
 *   Among allocations of equal gains it keeps one by a fixed rule, so the answer depends on the
 *   book, never on the search's path or the input order (with `seq` given).
 * - **Which pairs.** Bids from the lowest price up (at one price in unit-price rank), each taking
 *   from the offers in unit-price rank as much as the bids after it still allow (`pairUp` in
 *   `rank` order): the lexicographically first pairing of those fills and sales.
 * - **In what order.** The fills come out in the ranked carrier's order — by the bid's Eq. 1 rank,
 *   then the offer's Eq. 2 rank — which is the order of the trades in the block and the ranks the
 *   commission reads, as under `jin2021`.
 *
 * @module
 * @internal
 */
import { argsortKeys } from '../internal/radix-sort.js';
import type { MatchOutput } from '../matching/match.js';
import { branchAndBound } from '../metrics/optimum.js';
import { pairUp } from '../metrics/pairing.js';
import type { CarrierOrders } from '../metrics/relaxation.js';
import { rankBids, rankingPolicy, rankOffers } from '../ranking/ranking.js';
import type { CycleContext } from './context.js';
import type { RankedCarrier } from './p2p.js';

/** The order visits the search may spend on one carrier (see {@link nodeBudget}). */
const SEARCH_WORK = 4_000_000;

/**
 * @internal The branch and bound's budget for a carrier of `orders` bids and offers: relaxations
 * of about 4·10^6 order visits in all (each relaxation visits every order once), at least 3 (the
 * book, the book without its all-or-none bids, and the first rounding) and at most 10 000 (the
 * default of `constrainedOptimum`). A book's own size sets it, so the same book always gets the
 * same budget and the same answer.
 */
export function nodeBudget(orders: number): number {
  return Math.max(3, Math.min(10_000, Math.floor(SEARCH_WORK / Math.max(1, orders))));
}

/** @internal Scenario 1 of a ranked carrier at the constrained welfare optimum (docs/rules.md §4). */
export function matchAtOptimum(cx: CycleContext, r: RankedCarrier): MatchOutput {
  const { book, scratch } = cx;
  const n = r.bidIndex.length;
  const m = r.askIndex.length;
  const bidLeft = scratch.f64(n);
  bidLeft.set(r.bidQty);
  const askLeft = scratch.f64(m);
  askLeft.set(r.askQty);
  const none = {
    fillBid: scratch.i32(0),
    fillAsk: scratch.i32(0),
    fillQty: scratch.f64(0),
    fillCount: 0,
    bidLeft,
    askLeft,
    allOrNoneRefused: scratch.u8(n),
  };
  if (n === 0 || m === 0) return none;

  // The solver's columns: both sides in unit-price rank, and where each sits in the ranked carrier.
  const unitPrice = rankingPolicy('unit-price');
  const bids = rankBids(book.bids, r.bidIndex, unitPrice, scratch);
  const offers = rankOffers(book.offers, r.askIndex, unitPrice, scratch);
  const bidAt = positions(r.bidIndex, book.bids.length, scratch);
  const askAt = positions(r.askIndex, book.offers.length, scratch);
  const B = book.bids;
  const O = book.offers;
  // The carrier's own participants, numbered 0 … P − 1: every relaxation costs O(N + M + P), and
  // a small carrier of a book with many participants must not pay for all of them. (Numbers
  // never decide anything: the solver's answer is the same under any numbering.)
  const local = scratch.i32(book.parties.names.length).fill(-1);
  let parties = 0;
  const numbered = (party: number): number => {
    if (local[party]! < 0) local[party] = parties++;
    return local[party]!;
  };
  const offerParty = Int32Array.from(offers, (i) => numbered(O.party[i]!));
  const bidParty = Int32Array.from(bids, (i) => numbered(B.party[i]!));
  const orders: CarrierOrders = {
    parties,
    offerPrice: Float64Array.from(offers, (i) => O.p[i]!),
    offerQty: Float64Array.from(offers, (i) => O.q[i]!),
    offerParty,
    bidPrice: Float64Array.from(bids, (i) => B.p[i]!),
    bidQty: Float64Array.from(bids, (i) => B.q[i]!),
    bidParty,
  };
  const allOrNone: number[] = [];
  for (let k = 0; k < bids.length; k++) if (B.allOrNone[bids[k]!] === 1) allOrNone.push(k);

  const search = branchAndBound(orders, allOrNone, nodeBudget(n + m));
  const pairs = pairUp(orders, search.best, 'rank');
  const count = pairs.qty.length;
  if (count === 0) return none;

  // Fills in the ranked carrier's order: by bid rank, then offer rank (a pair met twice is one).
  const bidOf = scratch.i32(count);
  const askOf = scratch.i32(count);
  const keys = scratch.f64(count);
  for (let k = 0; k < count; k++) {
    const b = bidAt[bids[pairs.bid[k]!]!]!;
    const a = askAt[offers[pairs.offer[k]!]!]!;
    bidOf[k] = b;
    askOf[k] = a;
    keys[k] = b * m + a; // below 2^53: n and m are at most the book's order limit
  }
  const order = argsortKeys(keys, scratch);
  const fillBid = scratch.i32(count);
  const fillAsk = scratch.i32(count);
  const fillQty = scratch.f64(count);
  let fills = 0;
  for (let x = 0; x < count; x++) {
    const k = order[x]!;
    const q = pairs.qty[k]!;
    bidLeft[bidOf[k]!]! -= q;
    askLeft[askOf[k]!]! -= q;
    if (fills > 0 && fillBid[fills - 1] === bidOf[k] && fillAsk[fills - 1] === askOf[k]) {
      fillQty[fills - 1]! += q;
      continue;
    }
    fillBid[fills] = bidOf[k]!;
    fillAsk[fills] = askOf[k]!;
    fillQty[fills] = q;
    fills++;
  }
  return { ...none, fillBid, fillAsk, fillQty, fillCount: fills };
}

/** Where each input index of `ranked` sits in it (-1 for indices not there). */
function positions(ranked: Int32Array, size: number, scratch: CycleContext['scratch']): Int32Array {
  const at = scratch.i32(size).fill(-1);
  for (let i = 0; i < ranked.length; i++) at[ranked[i]!] = i;
  return at;
}

/**
 * Scenario 1 under `mechanism: "welfare-optimal"`, docs/rules.md §4: the carrier cleared at the
 * constrained welfare optimum, written from the rule's definition on decimal.js — maximum flows
 * by augmenting paths, a greedy over them, a depth-first search over the all-or-none bids — and
 * sharing no code with the engine's solver (`src/metrics/`).
 *
 * The rule (docs/rules.md §4, welfare optimum):
 *
 * 1. **Fills and sales.** Of the allocations keeping every rule of §4 (compatible pairs, each
 *    order at most its quantity, all-or-none bids whole or not at all), the one with the largest
 *    gains `Σ (bid price − offer price) × quantity`; among those with the same gains, the first in
 *    the *greedy order*: element by element — bids by what they fill, offers by what they keep
 *    unsold — in order of price from the highest, at one price bids (in unit-price rank) before
 *    offers (in reverse unit-price rank), the one giving the first element more.
 * 2. **Pairs.** Bids from the lowest price up (at one price in unit-price rank), each taking its
 *    fill from the compatible offers in unit-price rank, from each as much as the bids still to
 *    come allow.
 *
 * How it is found here: for a fixed choice of all-or-none bids (some whole, the others out, the
 * rest relaxed to divisible), the first allocation in the greedy order is the greedy itself —
 * each element in turn as much as the ones before it leave room for — and "room" is a maximum
 * flow (`rank`). The greedy's allocation also has the largest gains of its choice (Edmonds'
 * greedy on the polymatroid of routable fills; see docs/allocation-quality.md), so it bounds
 * every allocation below that choice, and a depth-first search over the all-or-none bids, in or
 * out, that drops a branch whose bound cannot beat the best found, finds the rule's allocation.
 * Unlike the engine's search it has no node limit: it is exact on every book, and slow on big
 * ones (every step a maximum flow over every compatible pair).
 *
 * @module
 * @internal
 */
import { type Dec, min, sum, ZERO } from './decimal.js';
import type { BidState, OfferState } from './model.js';
import { bidOrder, offerOrder, ranked } from './ranking.js';

/** One fill, as `p2p.ts`'s `Fill`: `quantity` of the offer to the bid, with both Eq. 1–2 ranks. */
export interface OptimalFill {
  readonly bid: BidState;
  readonly supply: OfferState;
  readonly quantity: Dec;
  readonly bidRank: number;
  readonly supplyRank: number;
}

/** A bid or an offer in a flow network: who, at what price, how much it can carry. */
interface FlowNode {
  readonly participant: string;
  readonly price: Dec;
  readonly cap: Dec;
}

/**
 * The maximum flow from `bids` to `offers`, each carrying at most its `cap`, over compatible
 * pairs only (docs/rules.md §4: bid price ≥ offer price, different participants): shortest
 * augmenting paths (Edmonds–Karp), exact in decimal.js.
 */
export function maxFlow(bids: readonly FlowNode[], offers: readonly FlowNode[]): Dec {
  const n = bids.length;
  const m = offers.length;
  const ok = bids.map((b) =>
    offers.map((o) => b.price.gte(o.price) && b.participant !== o.participant),
  );
  const into = bids.map(() => ZERO); // source → bid
  const out = offers.map(() => ZERO); // offer → sink
  const pair = bids.map(() => offers.map(() => ZERO)); // bid → offer
  let total = ZERO;
  for (;;) {
    // Breadth first from the source: a bid is reached from the source (-1) or from an offer whose
    // flow it can take back; an offer from a compatible bid.
    const fromBid = new Array<number>(n).fill(-2);
    const fromOffer = new Array<number>(m).fill(-2);
    const queue: number[] = []; // bids as i, offers as -1 - j
    bids.forEach((b, i) => {
      if (into[i]!.lt(b.cap)) {
        fromBid[i] = -1;
        queue.push(i);
      }
    });
    let end = -1;
    for (let k = 0; k < queue.length && end < 0; k++) {
      const v = queue[k]!;
      if (v >= 0) {
        for (let j = 0; j < m; j++) {
          if (!ok[v]![j] || fromOffer[j] !== -2) continue;
          fromOffer[j] = v;
          if (out[j]!.lt(offers[j]!.cap)) {
            end = j;
            break;
          }
          queue.push(-1 - j);
        }
      } else {
        const j = -1 - v;
        for (let i = 0; i < n; i++) {
          if (fromBid[i] !== -2 || !pair[i]![j]!.gt(0)) continue;
          fromBid[i] = j;
          queue.push(i);
        }
      }
    }
    if (end < 0) return total;
    // The path's bottleneck, then the augmentation, walking back from the sink.
    let room = offers[end]!.cap.minus(out[end]!);
    for (let j = end; ; ) {
      const i = fromOffer[j]!;
      if (fromBid[i] === -1) {
        room = min(room, bids[i]!.cap.minus(into[i]!));
        break;
      }
      j = fromBid[i]!;
      room = min(room, pair[i]![j]!);
    }
    out[end] = out[end]!.plus(room);
    for (let j = end; ; ) {
      const i = fromOffer[j]!;
      pair[i]![j] = pair[i]![j]!.plus(room);
      if (fromBid[i] === -1) {
        into[i] = into[i]!.plus(room);
        break;
      }
      j = fromBid[i]!;
      pair[i]![j] = pair[i]![j]!.minus(room);
    }
    total = total.plus(room);
  }
}

/** An allocation: what each bid fills and each offer sells, by position in unit-price rank. */
interface Allocation {
  readonly gains: Dec;
  readonly fill: readonly Dec[];
  readonly sold: readonly Dec[];
}

/** One carrier's orders in unit-price rank, and the greedy order over both sides. */
interface Market {
  readonly bids: readonly BidState[];
  readonly offers: readonly OfferState[];
  /** Bids as i ≥ 0, offers as -1 - j. */
  readonly greedy: readonly number[];
}

const IN = 1;
const OUT = 2;

/**
 * The greedy allocation for a choice of all-or-none bids (`choice`: 0 free, {@link IN} whole,
 * {@link OUT} left out), or `undefined` when the bids chosen whole cannot all be filled whole.
 * The rank of a set of bids `A` with the offers `H` kept is `Σ_H quantity + maxFlow(A, others)`.
 */
function greedy(market: Market, choice: readonly number[]): Allocation | undefined {
  const { bids, offers } = market;
  const taken = bids.map((_, i) => choice[i] === IN);
  const kept = offers.map(() => false);
  const rank = (): Dec => {
    const a = bids.flatMap((b, i) => (taken[i] ? [{ ...b, cap: b.quantity }] : []));
    const o = offers.flatMap((s, j) => (kept[j] ? [] : [{ ...s, cap: s.quantity }]));
    return sum(offers.flatMap((s, j) => (kept[j] ? [s.quantity] : []))).plus(maxFlow(a, o));
  };
  let current = rank();
  const forced = sum(bids.flatMap((b, i) => (taken[i] ? [b.quantity] : [])));
  if (!current.eq(forced)) return undefined;
  const fill = bids.map((b, i) => (taken[i] ? b.quantity : ZERO));
  const keep = offers.map(() => ZERO);
  for (const e of market.greedy) {
    if (e >= 0 && choice[e] !== 0) continue;
    if (e >= 0) taken[e] = true;
    else kept[-1 - e] = true;
    const next = rank();
    if (e >= 0) fill[e] = next.minus(current);
    else keep[-1 - e] = next.minus(current);
    current = next;
  }
  const sold = offers.map((s, j) => s.quantity.minus(keep[j]!));
  const gains = sum(bids.map((b, i) => b.price.times(fill[i]!))).minus(
    sum(offers.map((s, j) => s.price.times(sold[j]!))),
  );
  return { gains, fill, sold };
}

/** Whether `a` comes before `b` by the rule: more gains, then first in the greedy order. */
function beats(market: Market, a: Allocation, b: Allocation): boolean {
  if (!a.gains.eq(b.gains)) return a.gains.gt(b.gains);
  for (const e of market.greedy) {
    if (e >= 0 && !a.fill[e]!.eq(b.fill[e]!)) return a.fill[e]!.gt(b.fill[e]!);
    if (e < 0 && !a.sold[-1 - e]!.eq(b.sold[-1 - e]!)) return a.sold[-1 - e]!.lt(b.sold[-1 - e]!);
  }
  return false;
}

/** The rule's fills and sales (point 1): depth first over the all-or-none bids, in or out. */
function optimalAllocation(market: Market): Allocation {
  const { bids } = market;
  const allOrNone = bids.flatMap((b, i) => (b.allOrNone ? [i] : []));
  let best: Allocation | undefined;
  const search = (choice: number[]): void => {
    const relaxed = greedy(market, choice);
    if (relaxed === undefined || (best !== undefined && !beats(market, relaxed, best))) return;
    const split = allOrNone.find(
      (i) => choice[i] === 0 && relaxed.fill[i]!.gt(0) && relaxed.fill[i]!.lt(bids[i]!.quantity),
    );
    if (split === undefined) {
      best = relaxed; // it keeps every rule, and nothing below it beats it
      return;
    }
    for (const c of [IN, OUT]) search(choice.map((x, i) => (i === split ? c : x)));
  };
  search(bids.map(() => 0));
  return best!; // every all-or-none bid out is always possible
}

/**
 * Scenario 1 of one carrier at the welfare optimum (docs/rules.md §4): `bids` and `offers` in
 * their Eq. 1–2 order (`ranking`), the fills in that order — by the bid's rank, then the offer's —
 * with both ranks. Each order's `left` is reduced by what it trades.
 */
export function welfareOptimalFills(
  bids: readonly BidState[],
  offers: readonly OfferState[],
): OptimalFill[] {
  const ub = ranked(bids, bidOrder('unit-price'));
  const uo = ranked(offers, offerOrder('unit-price'));
  // The greedy order: price from the highest; at one price bids (rank order) before offers
  // (reverse rank order).
  const elements = [...ub.map((_, i) => i), ...uo.map((_, j) => -1 - j)];
  const price = (e: number) => (e >= 0 ? ub[e]!.price : uo[-1 - e]!.price);
  const greedyOrder = elements.sort(
    (x, y) => price(y).comparedTo(price(x)) || (x >= 0 ? 0 : 1) - (y >= 0 ? 0 : 1) || x - y, // bids: rank ascending; offers (as -1 - j): j descending
  );
  const market: Market = { bids: ub, offers: uo, greedy: greedyOrder };
  const { fill, sold } = optimalAllocation(market);

  // Point 2: the pairs. `want` and `supply` are what is still to be paired.
  const want = [...fill];
  const supply = [...sold];
  const visit = ub
    .map((b, i) => ({ b, i }))
    .filter(({ i }) => want[i]!.gt(0))
    .sort((x, y) => x.b.price.comparedTo(y.b.price) || x.i - y.i);
  const fills: OptimalFill[] = [];
  for (const { b, i } of visit) {
    uo.forEach((o, j) => {
      if (!b.price.gte(o.price) || b.participant === o.participant) return;
      const most = min(want[i]!, supply[j]!);
      if (!most.gt(0)) return;
      // As much as the rest allows: pairing `most` leaves a shortfall of `short` units.
      const network = (t: Dec) => {
        const a = ub.map((x, k) => ({ ...x, cap: k === i ? want[k]!.minus(t) : want[k]! }));
        const s = uo.map((x, k) => ({ ...x, cap: k === j ? supply[k]!.minus(t) : supply[k]! }));
        return sum(want).minus(t).minus(maxFlow(a, s));
      };
      const t = most.minus(network(most));
      if (!t.gt(0)) return;
      want[i] = want[i]!.minus(t);
      supply[j] = supply[j]!.minus(t);
      fills.push({
        bid: b,
        supply: o,
        quantity: t,
        bidRank: bids.indexOf(b),
        supplyRank: offers.indexOf(o),
      });
    });
    if (!want[i]!.isZero()) throw new Error('welfareOptimalFills: a bid could not be paired');
  }
  fills.sort((x, y) => x.bidRank - y.bidRank || x.supplyRank - y.supplyRank);
  for (const f of fills) {
    f.bid.left = f.bid.left.minus(f.quantity);
    f.supply.left = f.supply.left.minus(f.quantity);
  }
  return fills;
}

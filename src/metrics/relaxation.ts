/**
 * The divisible welfare optimum of one carrier's book, exactly, in O((N + M) log P): N bids, M
 * offers, P participants. It is the bound and the inner solver of the constrained optimum
 * (`optimum.ts`) and needs no floating point: quantities are scaled integers, sums `bigint`.
 *
 * **The problem.** Choose `x(o, b) ≥ 0` for compatible pairs — same carrier, bid price ≥ offer
 * price, different participants (docs/rules.md §4) — with every bid's and offer's total at most its
 * quantity, to maximise `Σ (bid price − offer price) × x`. Some bids may be *forced* (filled whole)
 * and some *excluded*: that is how branch and bound fixes the all-or-none bids.
 *
 * **Why a greedy is exact.** The objective only depends on how much each bid fills (`f`) and each
 * offer sells (`g`): `Σ b·f − Σ a·g`. Write `h = s − g` for what an offer keeps. The vectors
 * `(f, h)` for which a compatible flow exists — each bid sends `f` to compatible offers, each offer
 * "sends" `h` to itself, no offer receiving more than its quantity `s` — are the independent
 * vectors of a polymatroid (the supply vectors a flow network can route, Megiddo 1974; a strict
 * gammoid when quantities are 1). Maximising `Σ b·f + Σ a·h = gains + Σ a·s` over it, with weights
 * `b, a ≥ 0`, is solved by Edmonds' greedy: take elements by weight, highest first, each as much as
 * the rank function allows. Forced bids go first (the face of the polytope where they are whole);
 * if the rank does not let them fill whole, no allocation does, and the node is infeasible.
 *
 * **The rank, fast.** When the greedy reaches price `t` (from the top), the bids it holds are the
 * forced ones plus every other bid priced above `t`, and the offers still available are those
 * priced at most `t`. The rank increment of each element is then a change of the maximum flow
 * `mf` from those offers to those bids. By max-flow/min-cut (Hall), with `D(≤β)`, `S(≤β)` the
 * forced bids and offers priced at most `β`, and subscripts `c` / `¬c` for one participant / the
 * others, the deficiency `demand − mf` is
 *
 *     max(0, max over c and β2 ≤ β1 of D_c(≤β1) + D_¬c(≤β2) − S_¬c(≤β1) − S_c(≤β2))
 *
 * (a set of bids short of supply is all of one participant's bids up to `β1` and everyone else's up
 * to `β2`; the bids above `t` sit at a top level). Rearranged, per participant `c` it needs
 * `K_c = max over β2 of (D(≤β2) − E_c(≤β2)) + E_c`, with `E_c = D_c + S_c`: both terms only grow
 * and only change at `c`'s own orders, so one ascending sweep keeps them in O(1) each, and a max
 * tree over participants of `K_c + T_c` (`T_c`: `c`'s bids at the top) gives the top level's term
 * in O(log P). Walking prices upwards undoes the greedy step by step — offers join the available
 * supply (their increment of `mf` is what they sell) and bids leave the top (their decrement is
 * what they fill) — so every element's greedy share costs O(log P).
 *
 * **Ties** are the greedy's order, so the result is deterministic: at one price, bids before
 * offers; bids in unit-price rank (earlier `seq` fills first); offers in reverse rank (earlier
 * `seq` sells first). Any order consistent with the weights is optimal.
 *
 * @module
 * @internal
 */

/** One carrier's orders in the columns the solvers read, both sides in unit-price rank. */
export interface CarrierOrders {
  /** Participants, numbered 0 … parties − 1 in name order. */
  readonly parties: number;
  /** Offers by price ascending, then `seq`, then id: scaled prices. */
  readonly offerPrice: Float64Array;
  /** Scaled quantities. */
  readonly offerQty: Float64Array;
  /** Participant numbers. */
  readonly offerParty: Int32Array;
  /** Bids by price descending, then `seq`, then id: scaled prices. */
  readonly bidPrice: Float64Array;
  /** Scaled quantities. */
  readonly bidQty: Float64Array;
  /** Participant numbers. */
  readonly bidParty: Int32Array;
}

/** A bid the branch and bound has not fixed (or a divisible bid). */
export const FREE = 0;
/** A bid that must fill whole. */
export const FORCED = 1;
/** A bid left out. */
export const EXCLUDED = 2;

/** The greedy's allocation: what each bid fills and each offer sells, and its gains. */
export interface Relaxation {
  /** `Σ bid price × fill − Σ offer price × sold`, at price scale + quantity scale. */
  readonly gains: bigint;
  /** Scaled quantity filled, per bid in rank order. */
  readonly fill: Float64Array;
  /** Scaled quantity sold, per offer in rank order. */
  readonly sold: Float64Array;
}

/**
 * The optimal divisible allocation under the bids' decisions, or `undefined` when the forced bids
 * cannot all fill whole.
 *
 * @param orders - the carrier's orders.
 * @param decision - per bid in rank order: {@link FREE}, {@link FORCED} or {@link EXCLUDED}.
 */
export function relax(orders: CarrierOrders, decision: Uint8Array): Relaxation | undefined {
  const { offerPrice, offerQty, offerParty, bidPrice, bidQty, bidParty } = orders;
  const m = offerPrice.length;
  const n = bidPrice.length;
  const parties = orders.parties;
  // Per participant: E = forced bids + offers swept so far; stored = max over swept levels β2
  // (lazily, see touch) of D(≤β2) − E(≤β2); T = its bids at the top level.
  const stored: bigint[] = new Array<bigint>(parties).fill(0n);
  const held: bigint[] = new Array<bigint>(parties).fill(0n);
  const top: bigint[] = new Array<bigint>(parties).fill(0n);
  const lastLevel = new Int32Array(parties).fill(-1);
  let forcedTotal = 0n;
  let topTotal = 0n;
  for (let i = 0; i < n; i++) {
    if (decision[i] === EXCLUDED) continue;
    const q = BigInt(bidQty[i]!);
    top[bidParty[i]!]! += q;
    topTotal += q;
    if (decision[i] === FORCED) forcedTotal += q;
  }
  const tree = new MaxTree(top);
  let supply = 0n; // S(≤ current level)
  let demand = 0n; // D(≤ current level): forced bids swept
  let maxK = 0n; // max over participants of stored + held (both only grow)
  let levelsDone = 0n; // max over finished levels of max(maxK, D) − S; 0 stands for "none"
  const flow = (): bigint => {
    const total = demand + topTotal;
    const highest = tree.max();
    let short = larger(highest, total) - supply;
    if (levelsDone > short) short = levelsDone;
    return short > 0n ? total - short : total;
  };
  let level = 0;
  let previousDemand = 0n;
  // Before a participant's first event at a level, fold in β2 = the previous level: between its
  // events E is constant and D only grows, so the last level before the event is the best β2.
  const touch = (c: number): void => {
    if (lastLevel[c]! < level) {
      const candidate = previousDemand - held[c]!;
      if (candidate > stored[c]!) stored[c] = candidate;
      lastLevel[c] = level;
    }
  };
  const settle = (c: number): void => {
    const k = stored[c]! + held[c]!;
    if (k > maxK) maxK = k;
    tree.set(c, k + top[c]!);
  };

  const fill = new Float64Array(n);
  const sold = new Float64Array(m);
  let current = 0n;
  let o = 0;
  let b = n - 1;
  while (o < m || b >= 0) {
    const price =
      b < 0 || (o < m && offerPrice[o]! <= bidPrice[b]!) ? offerPrice[o]! : bidPrice[b]!;
    previousDemand = demand;
    let lo = b;
    while (lo >= 0 && bidPrice[lo] === price) lo--;
    // Forced bids of this price leave the top for the level itself: the same bipartite graph
    // (they meet every offer up to this price either way), so the flow does not change.
    for (let i = b; i > lo; i--) {
      if (decision[i] !== FORCED) continue;
      const c = bidParty[i]!;
      const q = BigInt(bidQty[i]!);
      top[c]! -= q;
      topTotal -= q;
      touch(c);
      held[c]! += q;
      demand += q;
      settle(c);
    }
    // Offers of this price become available, earliest rank first: each sells its increment.
    for (; o < m && offerPrice[o] === price; o++) {
      const c = offerParty[o]!;
      const q = BigInt(offerQty[o]!);
      supply += q;
      touch(c);
      held[c]! += q;
      settle(c);
      const next = flow();
      sold[o] = Number(next - current);
      current = next;
    }
    // Free bids of this price leave the top, latest rank first: each fills its decrement.
    for (let i = b; i > lo; i--) {
      if (decision[i] !== FREE) continue;
      const c = bidParty[i]!;
      const q = BigInt(bidQty[i]!);
      top[c]! -= q;
      topTotal -= q;
      tree.set(c, stored[c]! + held[c]! + top[c]!);
      const next = flow();
      fill[i] = Number(current - next);
      current = next;
    }
    b = lo;
    const finished = (maxK > demand ? maxK : demand) - supply;
    if (finished > levelsDone) levelsDone = finished;
    level++;
  }
  // Every offer is available and only forced bids are left: they fill whole or the node fails.
  if (current !== forcedTotal) return undefined;
  let gains = 0n;
  for (let i = 0; i < n; i++) {
    if (decision[i] === FORCED) fill[i] = bidQty[i]!;
    if (fill[i] !== 0) gains += BigInt(bidPrice[i]!) * BigInt(fill[i]!);
  }
  for (let j = 0; j < m; j++) {
    if (sold[j] !== 0) gains -= BigInt(offerPrice[j]!) * BigInt(sold[j]!);
  }
  return { gains, fill, sold };
}

/** The larger of two bigints (`Math.max` does not take them). */
function larger(a: bigint, b: bigint): bigint {
  if (a >= b) return a;
  return b;
}

/** A max segment tree of `bigint`s over participants, with point updates. */
class MaxTree {
  private readonly size: number;
  private readonly node: bigint[];

  constructor(values: readonly bigint[]) {
    let size = 1;
    while (size < values.length) size *= 2;
    this.size = size;
    this.node = new Array<bigint>(2 * size).fill(0n);
    for (let i = 0; i < values.length; i++) this.node[size + i] = values[i]!;
    for (let i = size - 1; i >= 1; i--) {
      const l = this.node[2 * i]!;
      const r = this.node[2 * i + 1]!;
      this.node[i] = larger(l, r);
    }
  }

  set(at: number, value: bigint): void {
    let i = this.size + at;
    this.node[i] = value;
    // Stop where an ancestor keeps its value: nothing above it changes either.
    for (i >>= 1; i >= 1; i >>= 1) {
      const v = larger(this.node[2 * i]!, this.node[2 * i + 1]!);
      if (v === this.node[i]) return;
      this.node[i] = v;
    }
  }

  max(): bigint {
    return this.node[1]!;
  }
}

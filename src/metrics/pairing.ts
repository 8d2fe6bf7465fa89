/**
 * Turns what each bid fills and each offer sells (a {@link Relaxation} that some compatible flow
 * realises) into the flow itself: pairs (offer, bid, quantity) with bid price ≥ offer price and
 * different participants (docs/rules.md §4). Gains depend only on the fills and sales, so any such
 * pairing is optimal; this one is deterministic and takes O((N + M + K) log P) for K pairs.
 *
 * **The sweep.** Orders are visited by price, ascending, offers before bids at one price. Sold
 * supply waits in a pool, one queue per participant; every unit in the pool is cheap enough for
 * every bid still to come, so the only thing a choice can spoil is *whose* supply is left. A bid of
 * participant `c0` wanting `F` takes `δ_c` from each other participant's pool.
 *
 * **Which participants.** The remaining problem stays feasible exactly when Hall's condition
 * holds. Its sets short of supply are "one participant `c`'s bids up to `τ1` and everyone's up to
 * `τ2`" (as in `relaxation.ts`). Taking from the pool leaves every such condition as it was except
 * the pure ones (`τ2` empty): `slack_c = min over c's bids τ still to come of (others' supply before
 * τ − c's demand up to τ)` drops by `F − δ_c`. So the bid must take at least
 * `need_c = F − slack_c` from each `c ≠ c0` with a positive need (Hall for the sets "c's bids and
 * this bid" guarantees `need_c ≤ pool_c`, and the existence of a flow that `Σ need_c ≤ F`); the
 * rest may come from anyone, and is taken from the participants with the least slack first.
 * `slack_c + ServedTotal = key_c` only changes at `c`'s own events, so a min tree over
 * participants finds the needy ones in O(log P) each.
 *
 * Within one participant's pool units are interchangeable for what follows, so they are taken
 * cheapest (then earliest) first. Every pair but the last of a bid from each participant empties
 * an offer; on the books we tried K never exceeded N + M − 1 (the size of a basic solution).
 *
 * **In order** (`order: 'rank'`, the `welfare-optimal` mechanism's trades): the rest is taken
 * offer by offer in unit-price rank (cheapest, then earliest `seq`, then id) instead, each offer
 * as much as the rest allows. The feasible choices of a bid are exactly "at least `need_c` from
 * each `c`, at most its pool, `F` in all", so this is the lexicographically first pairing: bids
 * from the lowest price up (at one price in unit-price rank), each taking from the offers in
 * unit-price rank as much as the bids after it still allow. A min tree over participants keyed by
 * the rank of their first pooled offer finds the next offer in O(log P).
 *
 * @module
 * @internal
 */
import type { CarrierOrders, Relaxation } from './relaxation.js';

/** Pairs as three parallel columns: offer and bid positions in rank order, scaled quantity. */
export interface Pairs {
  readonly offer: number[];
  readonly bid: number[];
  readonly qty: number[];
}

/** Above any real key (sums of scaled quantities stay far below 2^100). */
const NO_DEMAND = 1n << 120n;
/** A participant with nothing in the pool. */
const EMPTY = 1n << 121n;
const NO_FLOW = 'pairUp: these fills and sales admit no compatible flow';

/**
 * Pairs realising `fill` and `sold`.
 *
 * @param orders - the carrier's orders.
 * @param allocation - what each bid fills and each offer sells; a compatible flow must exist.
 * @param order - how a bid takes what no later bid needs: from the participants with the least
 *   slack first (`slack`), or offer by offer in unit-price rank (`rank`, the lexicographically
 *   first pairing; see the module's notes).
 * @throws Error when it does not (a bug in the caller: the relaxation always yields one).
 */
export function pairUp(
  orders: CarrierOrders,
  allocation: Relaxation,
  order: 'slack' | 'rank' = 'slack',
): Pairs {
  const { offerPrice, offerParty, bidPrice, bidParty } = orders;
  const { fill, sold } = allocation;
  const parties = orders.parties;
  const m = offerPrice.length;
  const n = bidPrice.length;

  // The sweep order: offers (rank order) then bids (rank order) at each price, ascending.
  // Events are offer positions j ≥ 0, or bid positions i as −1 − i.
  const events: number[] = [];
  {
    let o = 0;
    let b = n - 1;
    while (o < m || b >= 0) {
      const price =
        b < 0 || (o < m && offerPrice[o]! <= bidPrice[b]!) ? offerPrice[o]! : bidPrice[b]!;
      for (; o < m && offerPrice[o] === price; o++) if (sold[o]! > 0) events.push(o);
      let lo = b;
      while (lo >= 0 && bidPrice[lo] === price) lo--;
      for (let i = lo + 1; i <= b; i++) if (fill[i]! > 0) events.push(-1 - i);
      b = lo;
    }
  }

  // For each bid i that fills (participant c): the minimum, over c's bids from i on in the sweep,
  // of G_c(τ) = others' supply before τ − c's demand up to τ; and c's next bid after i.
  const suffixMin: bigint[] = new Array<bigint>(n);
  const nextOfParty = new Int32Array(n).fill(-1);
  const firstBid = new Int32Array(parties).fill(-1);
  {
    const supplyBy: bigint[] = new Array<bigint>(parties).fill(0n);
    const demandBy: bigint[] = new Array<bigint>(parties).fill(0n);
    let supplyAll = 0n;
    for (const ev of events) {
      if (ev >= 0) {
        const q = BigInt(sold[ev]!);
        supplyAll += q;
        supplyBy[offerParty[ev]!]! += q;
      } else {
        const i = -1 - ev;
        const c = bidParty[i]!;
        demandBy[c]! += BigInt(fill[i]!);
        suffixMin[i] = supplyAll - supplyBy[c]! - demandBy[c]!;
      }
    }
    for (let e = events.length - 1; e >= 0; e--) {
      const ev = events[e]!;
      if (ev >= 0) continue;
      const i = -1 - ev;
      const c = bidParty[i]!;
      const later = firstBid[c]!;
      if (later >= 0 && suffixMin[later]! < suffixMin[i]!) suffixMin[i] = suffixMin[later]!;
      nextOfParty[i] = later;
      firstBid[c] = i;
    }
  }
  const nextMin: bigint[] = new Array<bigint>(parties);
  for (let c = 0; c < parties; c++) {
    const i = firstBid[c]!;
    nextMin[c] = i < 0 ? NO_DEMAND : suffixMin[i]!;
  }

  // key_c = slack_c + served in total; the tree holds it for participants with pool left.
  const taken: bigint[] = new Array<bigint>(parties).fill(0n);
  const served: bigint[] = new Array<bigint>(parties).fill(0n);
  const pool: bigint[] = new Array<bigint>(parties).fill(0n);
  const queue: number[][] = Array.from({ length: parties }, () => []);
  const head = new Int32Array(parties);
  const left = Float64Array.from(sold);
  const key = (c: number): bigint =>
    nextMin[c] === NO_DEMAND ? NO_DEMAND : nextMin[c]! + taken[c]! + served[c]!;
  const tree = new MinTree(parties, EMPTY);
  // In rank order: each participant's first pooled offer (its queue's head), by rank position.
  const heads = order === 'rank' ? new MinTree(parties, EMPTY) : undefined;
  const headOf = (c: number): bigint => (pool[c]! > 0n ? BigInt(queue[c]![head[c]!]!) : EMPTY);
  const refresh = (c: number): void => {
    tree.set(c, pool[c]! > 0n ? key(c) : EMPTY);
    heads?.set(c, headOf(c));
  };
  let servedTotal = 0n;

  const out: Pairs = { offer: [], bid: [], qty: [] };
  const take = (c: number, amount: number, i: number): void => {
    taken[c]! += BigInt(amount);
    pool[c]! -= BigInt(amount);
    const q = queue[c]!;
    let rest = amount;
    while (rest > 0) {
      const j = q[head[c]!]!;
      const t = Math.min(rest, left[j]!);
      out.offer.push(j);
      out.bid.push(i);
      out.qty.push(t);
      left[j]! -= t;
      rest -= t;
      if (left[j] === 0) head[c]!++;
    }
  };

  for (const ev of events) {
    if (ev >= 0) {
      const c = offerParty[ev]!;
      queue[c]!.push(ev);
      pool[c]! += BigInt(sold[ev]!);
      refresh(c);
      continue;
    }
    const i = -1 - ev;
    const own = bidParty[i]!;
    const want = fill[i]!;
    // The bidder's own pool is out of reach: hide it while choosing.
    tree.set(own, EMPTY);
    heads?.set(own, EMPTY);
    const threshold = BigInt(want) + servedTotal;
    const needy = tree.below(threshold);
    const needs = needy.map((c) => threshold - key(c));
    let rest = want;
    needy.forEach((c, k) => {
      if (needs[k]! > pool[c]!) throw new Error(NO_FLOW);
      rest -= Number(needs[k]!);
    });
    if (rest < 0) throw new Error(NO_FLOW);
    needy.forEach((c, k) => {
      take(c, Number(needs[k]!), i);
      refresh(c);
    });
    // The rest from the participants with the least slack first, or offer by offer in rank
    // order (the own leaf stays hidden in both trees).
    while (rest > 0) {
      const c = heads === undefined ? tree.argmin() : heads.argmin();
      if ((heads ?? tree).value(c) === EMPTY) throw new Error(NO_FLOW);
      const t = Math.min(
        rest,
        heads === undefined ? Number(pool[c]!) : left[queue[c]![head[c]!]!]!,
      );
      take(c, t, i);
      refresh(c);
      rest -= t;
    }
    served[own]! += BigInt(want);
    servedTotal += BigInt(want);
    const after = nextOfParty[i]!;
    nextMin[own] = after < 0 ? NO_DEMAND : suffixMin[after]!;
    refresh(own);
  }
  return out;
}

/** The smaller of two bigints (`Math.min` does not take them). */
function smaller(a: bigint, b: bigint): bigint {
  if (a <= b) return a;
  return b;
}

/** A min segment tree of `bigint`s over participants: point updates, argmin, all below a value. */
class MinTree {
  private readonly size: number;
  private readonly node: bigint[];

  constructor(count: number, fill: bigint) {
    let size = 1;
    while (size < count) size *= 2;
    this.size = size;
    this.node = new Array<bigint>(2 * size).fill(fill);
  }

  set(at: number, value: bigint): void {
    let i = this.size + at;
    this.node[i] = value;
    // Stop where an ancestor keeps its value: nothing above it changes either.
    for (i >>= 1; i >= 1; i >>= 1) {
      const v = smaller(this.node[2 * i]!, this.node[2 * i + 1]!);
      if (v === this.node[i]) return;
      this.node[i] = v;
    }
  }

  value(at: number): bigint {
    return this.node[this.size + at]!;
  }

  /** The leftmost position holding the minimum. */
  argmin(): number {
    let i = 1;
    while (i < this.size) i = this.node[2 * i]! <= this.node[2 * i + 1]! ? 2 * i : 2 * i + 1;
    return i - this.size;
  }

  /** Every position whose value is below `limit`, ascending; O((k + 1) log P) for k of them. */
  below(limit: bigint): number[] {
    const out: number[] = [];
    if (this.node[1]! >= limit) return out;
    const stack = [1];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (i >= this.size) out.push(i - this.size);
      else {
        // Right first, so that positions come out ascending.
        if (this.node[2 * i + 1]! < limit) stack.push(2 * i + 1);
        if (this.node[2 * i]! < limit) stack.push(2 * i);
      }
    }
    return out;
  }
}

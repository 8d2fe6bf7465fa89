/**
 * Remaining compatible capacity for all-or-none bids: Σ quantity left over entries with
 * ask ≤ price and participant ≠ P, in O(log M), exactly (`bigint` sums: totals may pass 2^53).
 * One Fenwick tree over all entries sorted by ask, minus one per participant for its own entries.
 *
 * @module
 * @internal
 */

class Fenwick {
  readonly tree: bigint[];
  constructor(values: readonly bigint[]) {
    const n = values.length;
    this.tree = new Array<bigint>(n + 1).fill(0n);
    for (let i = 0; i < n; i++) {
      this.tree[i + 1] = this.tree[i + 1]! + values[i]!;
      const j = i + 1 + ((i + 1) & -(i + 1));
      if (j <= n) this.tree[j] = this.tree[j]! + this.tree[i + 1]!;
    }
  }
  /** Σ of the first `count` values. */
  prefix(count: number): bigint {
    let s = 0n;
    for (let i = count; i > 0; i -= i & -i) s += this.tree[i]!;
    return s;
  }
  add(index: number, delta: bigint): void {
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i] = this.tree[i]! + delta;
  }
}

interface SortedSide {
  /** Asks in ascending order. */
  readonly asks: Float64Array;
  /** Rank position → position in `asks`. */
  readonly slot: Map<number, number>;
  readonly tree: Fenwick;
}

function buildSide(entries: readonly number[], asks: Float64Array, qty: Float64Array): SortedSide {
  const sorted = entries.slice().sort((a, b) => asks[a]! - asks[b]! || a - b);
  const sortedAsks = new Float64Array(sorted.length);
  const slot = new Map<number, number>();
  const values: bigint[] = new Array(sorted.length);
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k]!;
    sortedAsks[k] = asks[i]!;
    slot.set(i, k);
    values[k] = BigInt(qty[i]!);
  }
  return { asks: sortedAsks, slot, tree: new Fenwick(values) };
}

/** Number of asks ≤ price in an ascending array. */
function upperBound(asks: Float64Array, price: number): number {
  let lo = 0;
  let hi = asks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (asks[mid]! <= price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class CompatibleCapacity {
  private readonly all: SortedSide;
  private readonly own = new Map<number, SortedSide>();
  private readonly ownerOf: Int32Array;
  /** Lowest ask among unlimited entries (the grid), which never run out. */
  private readonly unlimitedAsk: number;

  constructor(asks: Float64Array, parties: Int32Array, qty: Float64Array) {
    const finite: number[] = [];
    const byParty = new Map<number, number[]>();
    let unlimited = Number.POSITIVE_INFINITY;
    for (let i = 0; i < asks.length; i++) {
      if (qty[i] === Number.POSITIVE_INFINITY) {
        unlimited = Math.min(unlimited, asks[i]!);
        continue;
      }
      finite.push(i);
      const list = byParty.get(parties[i]!);
      if (list === undefined) byParty.set(parties[i]!, [i]);
      else list.push(i);
    }
    this.unlimitedAsk = unlimited;
    this.ownerOf = parties;
    this.all = buildSide(finite, asks, qty);
    for (const [party, list] of byParty) this.own.set(party, buildSide(list, asks, qty));
  }

  /** Whether entries with ask ≤ price of participants other than `party` can supply `need` in full. */
  canFill(price: number, party: number, need: number): boolean {
    if (this.unlimitedAsk <= price) return true;
    return this.available(price, party) >= BigInt(need);
  }

  /** Σ left over compatible finite entries. */
  available(price: number, party: number): bigint {
    let sum = this.all.tree.prefix(upperBound(this.all.asks, price));
    const own = this.own.get(party);
    if (own !== undefined) sum -= own.tree.prefix(upperBound(own.asks, price));
    return sum;
  }

  /** Entry `i` lost `taken` units. */
  take(i: number, taken: number): void {
    const slot = this.all.slot.get(i);
    if (slot === undefined) return; // unlimited
    const delta = -BigInt(taken);
    this.all.tree.add(slot, delta);
    const own = this.own.get(this.ownerOf[i]!)!;
    own.tree.add(own.slot.get(i)!, delta);
  }
}

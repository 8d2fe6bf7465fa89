/**
 * Remaining compatible capacity for all-or-none bids: Σ quantity left over entries with
 * ask ≤ price and participant ≠ P, in O(log M), exactly. One Fenwick tree over all entries sorted
 * by ask, minus one per participant over its own entries.
 *
 * Layout: every tree is a segment of one flat array (a participant's tree of `len` entries owns
 * `len + 1` cells), so building costs a few typed arrays, not a few per participant.
 * Sums are exact: when the carrier's total quantity is below 2^53 every partial sum is too, so
 * the cells are float64 integers; otherwise they are `bigint`s.
 *
 * @module
 * @internal
 */

import { HEAP, type Scratch } from '../internal/arena.js';
import { argsortKeys } from '../internal/radix-sort.js';
import { keepShape } from '../internal/shapes.js';

/** Fenwick trees laid out in one array; `base` is the cell before a tree's first cell. */
interface Cells {
  /** Turns the raw values in `[base + 1, base + len]` into a Fenwick tree, in place. */
  build(base: number, len: number): void;
  prefix(base: number, count: number): number | bigint;
  add(base: number, len: number, index: number, delta: number): void;
}

class NumberCells implements Cells {
  constructor(private readonly t: Float64Array) {
    keepShape(this);
  }
  build(base: number, len: number): void {
    const t = this.t;
    buildFenwick(base, len, (to, from) => {
      t[to] = t[to]! + t[from]!;
    });
  }
  prefix(base: number, count: number): number {
    let s = 0;
    for (let i = count; i > 0; i -= i & -i) s += this.t[base + i]!;
    return s;
  }
  add(base: number, len: number, index: number, delta: number): void {
    for (let i = index + 1; i <= len; i += i & -i) this.t[base + i] = this.t[base + i]! + delta;
  }
}

class BigCells implements Cells {
  private readonly t: bigint[];
  constructor(values: Float64Array) {
    keepShape(this);
    this.t = Array.from(values, (v) => BigInt(v));
  }
  /** In bigint: partial sums past 2^53 would round in float64. */
  build(base: number, len: number): void {
    const t = this.t;
    buildFenwick(base, len, (to, from) => {
      t[to] = t[to]! + t[from]!;
    });
  }
  prefix(base: number, count: number): bigint {
    let s = 0n;
    for (let i = count; i > 0; i -= i & -i) s += this.t[base + i]!;
    return s;
  }
  add(base: number, len: number, index: number, delta: number): void {
    const d = BigInt(delta);
    for (let i = index + 1; i <= len; i += i & -i) this.t[base + i] = this.t[base + i]! + d;
  }
}

/**
 * Builds a Fenwick tree in place over cells `[base + 1, base + len]` holding raw values, in O(len):
 * `addTo(to, from)` adds cell `from` into cell `to`, in the cells' own arithmetic.
 */
function buildFenwick(base: number, len: number, addTo: (to: number, from: number) => void): void {
  // Stryker disable next-line EqualityOperator: at i = len the step lands past len and adds nothing
  for (let i = 1; i <= len; i++) {
    const j = i + (i & -i);
    if (j <= len) addTo(base + j, base + i);
  }
}

/** First index in the ascending `asks[from, to)` whose ask is above `price`. */
function above(asks: Float64Array, from: number, to: number, price: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (asks[mid]! <= price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class CompatibleCapacity {
  /** Global tree: asks ascending in `asks[0, n)`, cells at base -1 of `cells`. */
  private readonly n: number;
  /** Per participant group g: asks in `asks[n + off[g], n + off[g] + len[g])`. */
  private readonly off: Int32Array;
  private readonly len: Int32Array;
  private readonly asks: Float64Array;
  private readonly cells: Cells;
  private readonly slot: Int32Array;
  private readonly ownSlot: Int32Array;
  private readonly groupOf: Int32Array;
  /** Lowest ask among unlimited entries (the grid), which never run out. */
  private readonly unlimitedAsk: number;

  /**
   * @param asks - scaled asks in rank order.
   * @param parties - participant ids (≥ -1) in rank order.
   * @param qty - scaled quantities; `Infinity` for an unlimited entry.
   * @param memory - where the arrays come from (the argsort's are taken and given back).
   */
  constructor(asks: Float64Array, parties: Int32Array, qty: Float64Array, memory: Scratch = HEAP) {
    keepShape(this);
    const m = asks.length;
    let unlimited = Number.POSITIVE_INFINITY;
    let total = 0;
    let n = 0;
    // Stryker disable next-line UnaryOperator: more groups than participants leave the extra groups empty
    let maxParty = -1;
    for (let i = 0; i < m; i++) {
      if (qty[i] === Number.POSITIVE_INFINITY) unlimited = Math.min(unlimited, asks[i]!);
      else {
        n++;
        total += qty[i]!;
        if (parties[i]! > maxParty) maxParty = parties[i]!;
      }
    }
    const groups = maxParty + 2; // party -1 (the platform) is group 0
    const len = memory.i32(groups);
    // Stryker disable next-line UnaryOperator: unlimited entries' groups are never read
    const groupOf = memory.i32(m).fill(-1);
    const off = memory.i32(groups);
    const allAsks = memory.f64(2 * n);
    const raw = memory.f64(n + 1 + n + groups);
    // Stryker disable next-line UnaryOperator: unlimited entries' slots are never read
    const slot = memory.i32(m).fill(-1);
    // Stryker disable next-line UnaryOperator: unlimited entries' slots are never read
    const ownSlot = memory.i32(m).fill(-1);
    const fill = memory.i32(groups);
    // The finite entries and their asks, then their order by ask: one radix argsort, no search.
    // Needed while building only: taken last, given back once the slots are known.
    const mark = memory.mark();
    const finite = memory.i32(n);
    const keys = memory.f64(n);
    // Stryker disable next-line EqualityOperator: a pass at i = m reads undefined and writes past typed arrays' ends, a no-op
    for (let i = 0, k = 0; i < m; i++) {
      if (qty[i] === Number.POSITIVE_INFINITY) continue;
      finite[k] = i;
      // `+ 0` turns a -0 into 0, which the radix order (over the bits) needs.
      keys[k++] = asks[i]! + 0;
      const g = parties[i]! + 1;
      groupOf[i] = g;
      len[g]!++;
    }
    const order = argsortKeys(keys, memory);
    // Stryker disable next-line EqualityOperator: off[groups] is past the typed array's end, a no-op
    for (let g = 1; g < groups; g++) off[g] = off[g - 1]! + len[g - 1]!;

    // Asks: the global side, then each group's, each ascending (walking the global order fills each
    // group in order). Slots: an entry's place in each. Cells: the global tree at [0, n], group g's
    // at [n + 1 + off[g] + g, … + len[g]]; equal asks may take their slots in any order, since a
    // prefix up to an upper bound holds them all.
    for (let k = 0; k < n; k++) {
      const i = finite[order[k]!]!;
      const a = asks[i]!;
      const g = groupOf[i]!;
      allAsks[k] = a;
      slot[i] = k;
      raw[k + 1] = qty[i]!;
      const o = fill[g]!;
      fill[g] = o + 1;
      allAsks[n + off[g]! + o] = a;
      ownSlot[i] = o;
      raw[ownBase(n, off[g]!, g) + o + 1] = qty[i]!;
    }
    memory.release(mark);
    const cells = total <= Number.MAX_SAFE_INTEGER ? new NumberCells(raw) : new BigCells(raw);
    cells.build(0, n);
    for (let g = 0; g < groups; g++) if (len[g]! > 0) cells.build(ownBase(n, off[g]!, g), len[g]!);

    this.n = n;
    this.off = off;
    this.len = len;
    this.asks = allAsks;
    this.cells = cells;
    this.slot = slot;
    this.ownSlot = ownSlot;
    this.groupOf = groupOf;
    this.unlimitedAsk = unlimited;
  }

  /** Whether entries with ask ≤ price of participants other than `party` can supply `need` in full. */
  canFill(price: number, party: number, need: number): boolean {
    if (this.unlimitedAsk <= price) return true;
    const have = this.available(price, party);
    return typeof have === 'bigint' ? have >= BigInt(need) : have >= need;
  }

  /** Σ left over compatible finite entries (a number when exact as one, else a bigint). */
  available(price: number, party: number): number | bigint {
    const n = this.n;
    const sum = this.cells.prefix(0, above(this.asks, 0, n, price));
    const g = party + 1;
    if (g >= this.len.length || this.len[g] === 0) return sum;
    const start = n + this.off[g]!;
    const count = above(this.asks, start, start + this.len[g]!, price) - start;
    const mine = this.cells.prefix(ownBase(n, this.off[g]!, g), count);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: sum and mine come from the same cells, so both branches subtract alike
    return typeof sum === 'bigint' ? sum - (mine as bigint) : sum - (mine as number);
  }

  /** Entry `i` lost `taken` units. */
  take(i: number, taken: number): void {
    const g = this.groupOf[i]!;
    if (g < 0) return; // unlimited
    this.cells.add(0, this.n, this.slot[i]!, -taken);
    this.cells.add(ownBase(this.n, this.off[g]!, g), this.len[g]!, this.ownSlot[i]!, -taken);
  }
}

/** The cell before group g's first Fenwick cell: after the global tree's n + 1 cells, one spare cell per group. */
function ownBase(n: number, off: number, g: number): number {
  return n + 1 + off + g;
}

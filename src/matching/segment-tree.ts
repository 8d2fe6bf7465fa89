/**
 * A segment tree over the supply side in rank order that finds, in O(log M), the first entry
 * with quantity left whose ask is ≤ a bid's price and whose participant is not the bidder's.
 *
 * Each node keeps the minimum ask `m1` of its live entries, that entry's participant `p1`, and
 * `m2`, the minimum ask among live entries of any *other* participant than `p1`. A subtree holds
 * a compatible entry for (price, P) exactly when `(m1 ≤ price and p1 ≠ P) or m2 ≤ price`: if
 * `p1 = P`, the best entry of someone else is `m2`. Without the `m2` field a participant with
 * many offers below a bid of its own would be skipped one by one, which is quadratic.
 *
 * @module
 * @internal
 */

import { type Allocator, HEAP } from '../internal/arena.js';
import { keepShape } from '../internal/shapes.js';

// Stryker disable next-line UnaryOperator: an empty leaf's ask is +Infinity, so its party is never compared
const EMPTY_PARTY = -2;

export class CompatibleSupplyTree {
  private readonly size: number;
  private readonly m1: Float64Array;
  private readonly p1: Int32Array;
  private readonly m2: Float64Array;

  /**
   * @param asks - scaled asks in rank order.
   * @param parties - participant ids in rank order (≥ -1; -1 is "the platform").
   * @param live - whether each entry starts with quantity left.
   */
  constructor(
    asks: Float64Array,
    parties: Int32Array,
    live: (i: number) => boolean,
    memory: Allocator = HEAP,
  ) {
    keepShape(this);
    let size = 1;
    while (size < asks.length) size <<= 1;
    this.size = size;
    this.m1 = memory.f64(2 * size).fill(Number.POSITIVE_INFINITY);
    this.m2 = memory.f64(2 * size).fill(Number.POSITIVE_INFINITY);
    this.p1 = memory.i32(2 * size).fill(EMPTY_PARTY);
    // Stryker disable next-line EqualityOperator: entry asks.length is never live (its quantity reads undefined)
    for (let i = 0; i < asks.length; i++) {
      if (!live(i)) continue;
      this.m1[size + i] = asks[i]!;
      this.p1[size + i] = parties[i]!;
    }
    for (let node = size - 1; node >= 1; node--) this.pull(node);
  }

  /** Marks entry `i` as sold out. */
  remove(i: number): void {
    let node = this.size + i;
    this.m1[node] = Number.POSITIVE_INFINITY;
    this.p1[node] = EMPTY_PARTY;
    node >>= 1;
    while (node >= 1) {
      this.pull(node);
      node >>= 1;
    }
  }

  /** The first entry in rank order with ask ≤ `price` and participant ≠ `party`, or -1. */
  findFirst(price: number, party: number): number {
    if (!this.holds(1, price, party)) return -1;
    let node = 1;
    while (node < this.size) {
      node = this.holds(2 * node, price, party) ? 2 * node : 2 * node + 1;
    }
    return node - this.size;
  }

  private holds(node: number, price: number, party: number): boolean {
    return (this.m1[node]! <= price && this.p1[node] !== party) || this.m2[node]! <= price;
  }

  private pull(node: number): void {
    const l = 2 * node;
    const r = l + 1;
    const m1l = this.m1[l]!;
    const m1r = this.m1[r]!;
    const p1l = this.p1[l]!;
    const p1r = this.p1[r]!;
    // Stryker disable next-line EqualityOperator: on equal asks either child's party may stand for the node; the search still goes left first
    if (m1l <= m1r) {
      this.m1[node] = m1l;
      this.p1[node] = p1l;
      this.m2[node] = Math.min(this.m2[l]!, p1r !== p1l ? m1r : this.m2[r]!);
    } else {
      this.m1[node] = m1r;
      this.p1[node] = p1r;
      this.m2[node] = Math.min(this.m2[r]!, p1l !== p1r ? m1l : this.m2[l]!);
    }
  }
}

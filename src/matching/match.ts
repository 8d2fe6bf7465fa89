/**
 * Scenario 1 and scenario 2 matching (docs/rules.md §4–6): bids in rank order, each filled from the
 * compatible supply entries with quantity left, in rank order, `min(bid left, entry left)` each
 * time. The same routine serves P2P offers (participants differ) and platform lots (party -1).
 *
 * Cost: every `findFirst` either fills the bid or empties an entry, so there are at most N + M
 * searches of O(log M) each; all-or-none checks are O(log M) each.
 *
 * @module
 * @internal
 */
import { type Allocator, HEAP, type Scratch } from '../internal/arena.js';
import { keepShape } from '../internal/shapes.js';
import { CompatibleCapacity } from './capacity.js';
import { CompatibleSupplyTree } from './segment-tree.js';

/** Both sides in rank order, as scaled integers. */
export interface MatchInput {
  readonly bidPrice: Float64Array;
  readonly bidQty: Float64Array;
  readonly bidParty: Int32Array;
  readonly bidAllOrNone: Uint8Array;
  readonly askPrice: Float64Array;
  /** `Infinity` for an unlimited entry (the grid). */
  readonly askQty: Float64Array;
  readonly askParty: Int32Array;
}

/** Fills in the order they happened, and what is left on each side. */
export interface MatchOutput {
  readonly fillBid: Int32Array;
  readonly fillAsk: Int32Array;
  readonly fillQty: Float64Array;
  readonly fillCount: number;
  readonly bidLeft: Float64Array;
  readonly askLeft: Float64Array;
  /** 1 where an all-or-none bid was refused although some compatible supply was left. */
  readonly allOrNoneRefused: Uint8Array;
}

/**
 * The fills, in typed arrays sized once: every fill but a bid's last exhausts an ask, so a match
 * makes at most `bids + asks` fills and the buffer never grows (growing would leave copies for the
 * collector, and V8 runs a full collection per 64 MB of such buffers).
 */
class FillBuffer {
  readonly bid: Int32Array;
  readonly ask: Int32Array;
  readonly qty: Float64Array;
  count = 0;
  constructor(capacity: number, memory: Allocator) {
    keepShape(this);
    this.bid = memory.i32(capacity);
    this.ask = memory.i32(capacity);
    this.qty = memory.f64(capacity);
  }
  push(b: number, a: number, q: number): void {
    this.bid[this.count] = b;
    this.ask[this.count] = a;
    this.qty[this.count] = q;
    this.count++;
  }
}

/**
 * Runs the greedy first-order matching. Inputs are not modified. The output's arrays come from
 * `memory`; the search structures are taken from it and given back before returning.
 */
export function match(input: MatchInput, memory: Scratch = HEAP): MatchOutput {
  const n = input.bidPrice.length;
  const m = input.askPrice.length;
  const askLeft = memory.f64(m);
  askLeft.set(input.askQty);
  const bidLeft = memory.f64(n);
  const refused = memory.u8(n);
  const fills = new FillBuffer(n + m, memory);
  const mark = memory.mark();
  const tree = new CompatibleSupplyTree(
    input.askPrice,
    input.askParty,
    (i) => askLeft[i]! > 0,
    memory,
  );
  let capacity: CompatibleCapacity | undefined;
  if (m > 0 && input.bidAllOrNone.includes(1)) {
    capacity = new CompatibleCapacity(input.askPrice, input.askParty, askLeft, memory);
  }
  // Stryker disable next-line EqualityOperator: a pass at b = n reads and writes past typed arrays' ends, which does nothing
  for (let b = 0; b < n; b++) {
    const price = input.bidPrice[b]!;
    const party = input.bidParty[b]!;
    let left = input.bidQty[b]!;
    if (input.bidAllOrNone[b] === 1) {
      if (capacity === undefined || !capacity.canFill(price, party, left)) {
        if (capacity !== undefined && capacity.available(price, party) > 0) refused[b] = 1;
        bidLeft[b] = left;
        continue;
      }
    }
    while (left > 0) {
      const a = tree.findFirst(price, party);
      if (a < 0) break;
      const have = askLeft[a]!;
      const take = Math.min(have, left);
      fills.push(b, a, take);
      left -= take;
      askLeft[a] = have - take;
      capacity?.take(a, take);
      if (askLeft[a] === 0) tree.remove(a);
    }
    bidLeft[b] = left;
  }
  memory.release(mark);
  return {
    fillBid: fills.bid,
    fillAsk: fills.ask,
    fillQty: fills.qty,
    fillCount: fills.count,
    bidLeft,
    askLeft,
    allOrNoneRefused: refused,
  };
}

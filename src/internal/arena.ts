/**
 * A cycle's typed arrays carved out of two large buffers instead of allocated one by one.
 *
 * Why: V8 starts a full garbage collection for about every 64 MB of new `ArrayBuffer` memory,
 * and a full collection marks everything alive — above all the caller's order book (~300 ms for
 * a million orders a side). A cycle of that size made ~460 MB of typed arrays one by one and so
 * ran five or six full collections; reserving its memory in two allocations runs at most one or
 * two (none in the 10^6 random benchmark cycle). Pages never written are never touched, so a
 * generous reservation costs address space, not memory (large buffers are mapped zeroed, page by
 * page on first write). Small cycles, with no collection to save, allocate array by array.
 *
 * Two regions: `keep` for the columns a result may hold on to (validated orders, outcomes,
 * trades, accounts) and `scratch`, a stack reused phase by phase for what a phase throws away
 * (sort buffers, search trees, fills), so transient memory is written once and reused.
 *
 * @module
 * @internal
 */

/** @internal Makes zeroed typed arrays of `n` elements. */
export interface Allocator {
  f64(n: number): Float64Array;
  i32(n: number): Int32Array;
  u32(n: number): Uint32Array;
  u8(n: number): Uint8Array;
}

/** @internal An {@link Allocator} whose arrays made after a {@link mark} are given back by {@link release}. */
export interface Scratch extends Allocator {
  /** A point to come back to. */
  mark(): number;
  /** Arrays made since `mark` are no longer used: their memory is handed out again. */
  release(mark: number): void;
  /** No array made here is used any more: the memory goes back (later arrays are made on their own). */
  drop(): void;
}

/** @internal Where a cycle's arrays come from. */
export interface Arena {
  /** Arrays that live as long as the result. */
  readonly keep: Allocator;
  /** Arrays used within one phase. */
  readonly scratch: Scratch;
}

/** @internal Plain `new` for every array: outside a cycle (tools, tests, small helpers). */
export const HEAP: Scratch = Object.freeze({
  f64: (n: number) => new Float64Array(n),
  i32: (n: number) => new Int32Array(n),
  u32: (n: number) => new Uint32Array(n),
  u8: (n: number) => new Uint8Array(n),
  // Stryker disable next-line ArrowFunction: any mark is fine where release does nothing
  mark: () => 0,
  release: (_mark: number) => {},
  drop: () => {},
});

/**
 * Frees a buffer's memory now instead of at the next full collection. A region lives through a
 * whole cycle, so its buffer is in V8's old space, which only a full collection sweeps: until then
 * the pages a cycle wrote stay resident — ~170 MB of scratch at 10^6 orders a side, while the
 * caller goes on to build `result.trades`. Transferring the buffer (structured clone) moves its
 * memory to a new buffer that nothing keeps, young, freed by the next scavenge, and leaves this
 * one detached (length 0), which every view made from it sees as empty. Where a transfer is
 * refused (no `structuredClone`, a buffer that cannot be transferred) the collector frees it as
 * before.
 */
function giveBack(buffer: ArrayBuffer): void {
  try {
    structuredClone(buffer, { transfer: [buffer] });
  } catch {
    // Left to the collector: the same memory, freed later.
  }
}

/** @internal An {@link Arena} that allocates every array on its own. */
export const HEAP_ARENA: Arena = Object.freeze({ keep: HEAP, scratch: HEAP });

/**
 * Bump allocation in one buffer, made on the first request. A request that no longer fits gets an
 * array of its own, so a low estimate costs speed, never correctness.
 */
class Region implements Scratch {
  private buffer: ArrayBuffer | undefined;
  private top = 0;
  /** Bytes below this may hold values of released arrays. */
  private dirty = 0;
  /** The reservation was refused or dropped: every array is made on its own. */
  private refused = false;

  /**
   * @param capacity - bytes reserved.
   * @param givesBack - `drop()` frees the buffer at once ({@link giveBack}) rather than leaving it
   *   to the collector.
   */
  constructor(
    private readonly capacity: number,
    private readonly givesBack: boolean,
  ) {}

  f64(n: number): Float64Array {
    const at = this.take(8 * n);
    return at < 0 ? new Float64Array(n) : this.clean(new Float64Array(this.buffer!, at, n), at, 8);
  }
  i32(n: number): Int32Array {
    const at = this.take(4 * n);
    return at < 0 ? new Int32Array(n) : this.clean(new Int32Array(this.buffer!, at, n), at, 4);
  }
  u32(n: number): Uint32Array {
    const at = this.take(4 * n);
    return at < 0 ? new Uint32Array(n) : this.clean(new Uint32Array(this.buffer!, at, n), at, 4);
  }
  u8(n: number): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(n) : this.clean(new Uint8Array(this.buffer!, at, n), at, 1);
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  drop(): void {
    const buffer = this.buffer;
    this.buffer = undefined;
    this.refused = true;
    if (buffer !== undefined && this.givesBack) giveBack(buffer);
  }

  /** The byte offset of `bytes` more, 8-aligned; -1 when they do not fit. */
  private take(bytes: number): number {
    const at = Math.ceil(this.top / 8) * 8;
    if (at + bytes > this.capacity) return -1;
    if (this.buffer === undefined) {
      if (this.refused) return -1;
      try {
        this.buffer = new ArrayBuffer(this.capacity);
      } catch {
        // No room for the reservation (a small address space, overcommit off): array by array.
        // Stryker disable next-line BooleanLiteral: trying again each time gives the same arrays (speed only)
        this.refused = true;
        return -1;
      }
    }
    this.top = at + bytes;
    return at;
  }

  /** Zeroes the part of a new array that released arrays wrote. */
  private clean<A extends Float64Array | Int32Array | Uint32Array | Uint8Array>(
    a: A,
    at: number,
    size: number,
  ): A {
    // Stryker disable next-line MethodExpression,ArithmeticOperator: zeroing more than the written part gives the same zeros (speed only)
    if (at < this.dirty) a.fill(0, 0, Math.min(a.length, Math.ceil((this.dirty - at) / size)));
    this.dirty = Math.max(this.dirty, at + a.length * size);
    return a;
  }
}

/**
 * Bytes reserved per order, above the most the benchmark books were seen to use at 10^3–10^6
 * orders a side (kept: 100–175, two million distinct participants the most; scratch: 30–115, plus
 * a fixed 256 KiB, all-or-none books the most — measured before the trade loop's rank-ordered
 * copies of ids and names, ~30 more). A cycle that needs more makes the rest one by one.
 */
const KEEP_PER_ORDER = 224;
const SCRATCH_PER_ORDER = 160;
/** The largest reservation (1 GiB a region); past it, arrays are made one by one. */
const MAX_REGION = 2 ** 30;

/**
 * Below this many orders a cycle allocates well under 64 MB of arrays, so there is no collection
 * to save, and arrays made one by one reuse memory the allocator already holds, where a new
 * reservation each cycle is faulted in page by page (10^4 orders a side: ~3 ms a cycle slower).
 */
const ARENA_MIN_ORDERS = 1 << 16;

/**
 * @internal The arena of a cycle over `orders` orders (bids, offers and storage lots): plain
 * allocation below {@link ARENA_MIN_ORDERS}.
 */
export function cycleArena(orders: number): Arena {
  if (orders < ARENA_MIN_ORDERS) return HEAP_ARENA;
  const size = (perOrder: number) => Math.min(MAX_REGION, 2 ** 20 + perOrder * orders);
  return arenaOf(size(KEEP_PER_ORDER), size(SCRATCH_PER_ORDER));
}

/**
 * @internal A scratch region at least this large gives its buffer back when the cycle ends
 * ({@link giveBack}); a smaller one is left to the collector. The transfer counts the buffer's
 * memory as new to V8, which starts a marking of the whole heap: measured in the bench's process
 * (clear, then read every trade), at 10^6 orders a side (a 321 MB region) peak RSS fell by
 * 100–220 MiB with all-in time unchanged within the machine's noise, while at 10^5 and 3 × 10^5
 * (33 and 97 MB) peak RSS did not move (a full collection during the read freed the scratch
 * anyway) and the warm cycle was 5–15 % slower.
 */
export const GIVE_BACK_MIN = 2 ** 28;

/**
 * @internal An arena reserving `keep` and `scratch` bytes; its scratch region gives its buffer
 * back at `drop()` when `givesBack` (by default when it is at least {@link GIVE_BACK_MIN}).
 */
export function arenaOf(
  keep: number,
  scratch: number,
  givesBack = scratch >= GIVE_BACK_MIN,
): Arena {
  return { keep: new Region(keep, false), scratch: new Region(scratch, givesBack) };
}

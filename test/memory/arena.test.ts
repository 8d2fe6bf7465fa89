import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBook } from '../../src/cli/generators.js';
import { clearWith } from '../../src/engine/clear.js';
import type { Carrier } from '../../src/index.js';
import {
  type Allocator,
  type Arena,
  arenaOf,
  cycleArena,
  GIVE_BACK_MIN,
  HEAP,
  HEAP_ARENA,
  type Scratch,
} from '../../src/internal/arena.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { runs, T0 } from '../helpers/books.js';

type AnyArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

describe('Region: typed arrays carved from one buffer', () => {
  it('hands out zeroed, aligned arrays of one buffer while they fit', () => {
    const { scratch } = arenaOf(1024, 1024);
    const bytes = scratch.u8(3);
    const doubles = scratch.f64(4);
    const ints = scratch.i32(5);
    const words = scratch.u32(2);
    expect(doubles.buffer).toBe(bytes.buffer);
    expect(ints.buffer).toBe(bytes.buffer);
    expect(words.buffer).toBe(bytes.buffer);
    expect(doubles.byteOffset % 8).toBe(0);
    expect(doubles.byteOffset).toBeGreaterThanOrEqual(3);
    expect([doubles.length, ints.length, words.length, bytes.length]).toEqual([4, 5, 2, 3]);
    for (const a of [bytes, doubles, ints, words] as AnyArray[])
      expect(a.every((v) => v === 0)).toBe(true);
    // No two arrays overlap.
    const spans = [bytes, doubles, ints, words]
      .map((a) => [a.byteOffset, a.byteOffset + a.byteLength] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('reuses released memory, zeroed again, and keeps what was made before the mark', () => {
    const { scratch } = arenaOf(0, 4096);
    const kept = scratch.f64(8).fill(7);
    const mark = scratch.mark();
    const used = scratch.i32(100).fill(-1);
    scratch.u8(10).fill(255);
    scratch.release(mark);
    const again = scratch.f64(60);
    expect(again.buffer).toBe(used.buffer);
    expect(again.byteOffset).toBe(used.byteOffset);
    expect(again.every((v) => v === 0)).toBe(true);
    expect(kept.every((v) => v === 7)).toBe(true);
    // Past the part written before, memory is fresh; the whole array still reads zero.
    const tail = scratch.u8(2000);
    expect(tail.every((v) => v === 0)).toBe(true);
  });

  it('makes an array of its own when a request does not fit, and goes on carving after it', () => {
    const { keep } = arenaOf(64, 0);
    const big = keep.f64(100);
    expect(big.length).toBe(100);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(800);
    const small = keep.i32(4);
    const next = keep.i32(4);
    expect(next.buffer).toBe(small.buffer);
    expect(next.byteOffset).toBe(small.byteOffset + 16);
  });

  it('carves an exact fit, and every kind can come first', () => {
    const { keep } = arenaOf(24, 0);
    const first = keep.f64(1);
    const exact = keep.f64(2);
    expect(exact.buffer).toBe(first.buffer);
    expect(exact.byteOffset).toBe(8);
    expect(keep.u8(1).buffer).not.toBe(first.buffer);
    for (const first of ['f64', 'i32', 'u32', 'u8'] as const) {
      const { scratch } = arenaOf(0, 64);
      const a = scratch[first](2);
      const b = scratch.u8(1);
      expect(a.buffer).toBe(b.buffer);
      expect(a.byteOffset).toBe(0);
    }
  });

  it('when the reservation cannot be made, makes every array on its own', () => {
    // 2^53 bytes: no ArrayBuffer can be that long, so the reservation throws at once.
    const { keep } = arenaOf(2 ** 53, 0);
    for (let i = 0; i < 2; i++) {
      const a = keep.f64(3);
      expect(a.length).toBe(3);
      expect(a.buffer.byteLength).toBe(24);
      expect(Array.from(a)).toEqual([0, 0, 0]);
    }
  });

  it('after drop, every array has a buffer of its own', () => {
    const { scratch } = arenaOf(0, 4096);
    const before = scratch.u32(4);
    scratch.drop();
    const after = scratch.u32(4);
    const later = scratch.u32(4);
    expect(after.buffer).not.toBe(before.buffer);
    expect(after.buffer).not.toBe(later.buffer);
    expect(after.buffer.byteLength).toBe(16);
  });

  it('a region that gives back empties its arrays at drop; others keep theirs for the collector', () => {
    const giving = arenaOf(0, 4096, true).scratch;
    const made = giving.f64(8).fill(3);
    const own = giving.u8(8192).fill(1);
    giving.drop();
    expect(made.length).toBe(0);
    expect(made.buffer.byteLength).toBe(0);
    // An array made on its own (it did not fit) is the caller's, untouched.
    expect(own.length).toBe(8192);
    expect(own[0]).toBe(1);
    // Dropping twice, or a region never used, is harmless.
    giving.drop();
    arenaOf(0, 4096, true).scratch.drop();

    const keeping = arenaOf(0, 4096).scratch;
    const kept = keeping.f64(8).fill(3);
    keeping.drop();
    expect(kept.length).toBe(8);
    expect(kept[7]).toBe(3);
  });

  it('gives back only a scratch region of GIVE_BACK_MIN bytes or more, never a keep region', () => {
    const sizes = [GIVE_BACK_MIN - 8, GIVE_BACK_MIN];
    const [small, large] = sizes.map((n) => arenaOf(n, n));
    // A buffer is reserved, not written: these cost address space only.
    const arrays = [small!.scratch.u8(1), large!.scratch.u8(1), large!.keep.u8(1)];
    small!.scratch.drop();
    large!.scratch.drop();
    expect(arrays.map((a) => a.length)).toEqual([1, 0, 1]);
    // At 10^6 orders a side a cycle's scratch is that large; at 10^5 it is not.
    const atMillion = cycleArena(2_000_000).scratch;
    const atHundredK = cycleArena(200_000).scratch;
    const both = [atMillion.u8(1), atHundredK.u8(1)];
    atMillion.drop();
    atHundredK.drop();
    expect(both.map((a) => a.length)).toEqual([0, 1]);
  });

  it('sizes a cycle arena by its order count; small cycles allocate array by array', () => {
    expect(cycleArena(0)).toBe(HEAP_ARENA);
    expect(cycleArena(65_535)).toBe(HEAP_ARENA);
    const large = cycleArena(65_536);
    const a = large.keep.f64(1000);
    expect(large.keep.f64(10).buffer).toBe(a.buffer);
    expect(a.buffer.byteLength).toBe(2 ** 20 + 224 * 65_536);
    expect(large.scratch.u8(1).buffer.byteLength).toBe(2 ** 20 + 160 * 65_536);
    // HEAP makes every array on its own.
    expect(HEAP.f64(2).buffer).not.toBe(HEAP.f64(2).buffer);
  });
});

/**
 * An arena that poisons scratch arrays when they are released: a cycle that read one after its
 * phase gave it back would read NaN or huge numbers and clear differently.
 */
function poisoning(): Arena {
  const live: AnyArray[] = [];
  const poison = (a: AnyArray) => {
    if (a instanceof Float64Array) a.fill(Number.NaN);
    else if (a instanceof Uint8Array) a.fill(0xab);
    else a.fill(0x3ade68b1);
  };
  const made = <A extends AnyArray>(a: A): A => {
    live.push(a);
    return a;
  };
  const release = (mark: number) => {
    for (const a of live.splice(mark)) poison(a);
  };
  const scratch: Scratch = {
    f64: (n) => made(new Float64Array(n)),
    i32: (n) => made(new Int32Array(n)),
    u32: (n) => made(new Uint32Array(n)),
    u8: (n) => made(new Uint8Array(n)),
    mark: () => live.length,
    release,
    drop: () => release(0),
  };
  const keep: Allocator = HEAP;
  return { keep, scratch };
}

describe('a cycle clears the same whatever its arrays are carved from', () => {
  const arenas: Record<string, (orders: number) => Arena> = {
    'one array at a time': () => HEAP_ARENA,
    'scratch poisoned on release': poisoning,
    'regions too small for most arrays': () => arenaOf(512, 700),
    'regions that fit a few arrays': (orders) => arenaOf(40 * orders, 24 * orders),
  };
  const clear = (book: unknown, config: object, arena?: (orders: number) => Arena) =>
    JSON.stringify(clearWith(book, config, { timestamp: T0 }, arena ? { arena } : {}));

  it('small books under any configuration', () => {
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const expected = clear(book, config);
        for (const arena of Object.values(arenas))
          expect(clear(book, config, arena)).toBe(expected);
      }),
      runs(120),
    );
  });

  it('books of hundreds of orders (radix sorts, capacity trees, several carriers)', () => {
    const kinds = ['random', 'adversarial', 'all-or-none'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 256, max: 700 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.boolean(),
        (kind, size, seed, four) => {
          const carriers: Carrier[] = four
            ? ['electricity', 'heat', 'cold', 'gas']
            : ['electricity'];
          const book = generateBook({ kind, size, seed, carriers });
          const config = { limits: { maxOrders: 10_000 } };
          const expected = clear(book, config);
          for (const arena of Object.values(arenas))
            expect(clear(book, config, arena)).toBe(expected);
        },
      ),
      runs(12),
    );
  });
});

/** An array an arena handed out, and its length then. */
interface Made {
  readonly array: AnyArray;
  readonly length: number;
}

/** An arena of two regions that lists every array it hands out, keep and scratch apart. */
function recording(orders: number, givesBack = false) {
  const { keep, scratch } = arenaOf(256 * orders, 256 * orders, givesBack);
  const made = { keep: [] as Made[], scratch: [] as Made[] };
  const listed = <A extends AnyArray>(list: Made[], array: A): A => {
    list.push({ array, length: array.length });
    return array;
  };
  const arena: Arena = {
    keep: {
      f64: (n) => listed(made.keep, keep.f64(n)),
      i32: (n) => listed(made.keep, keep.i32(n)),
      u32: (n) => listed(made.keep, keep.u32(n)),
      u8: (n) => listed(made.keep, keep.u8(n)),
    },
    scratch: {
      f64: (n) => listed(made.scratch, scratch.f64(n)),
      i32: (n) => listed(made.scratch, scratch.i32(n)),
      u32: (n) => listed(made.scratch, scratch.u32(n)),
      u8: (n) => listed(made.scratch, scratch.u8(n)),
      mark: () => scratch.mark(),
      release: (mark) => scratch.release(mark),
      drop: () => scratch.drop(),
    },
  };
  return { arena, made };
}

describe("a cycle's memory", () => {
  const book = generateBook({ kind: 'random', size: 3000, seed: 7, carriers: ['electricity'] });
  const orders = 6000;

  it('numbers participants in scratch: the result keeps no hash table', () => {
    const { arena, made } = recording(orders);
    clearWith(book, {}, { timestamp: T0 }, { arena: () => arena });
    // A table for n strings has at least 4n cells (two a slot, half full at most); no other
    // Int32Array is near that long.
    const ints = (list: Made[]) => list.filter((m) => m.array instanceof Int32Array);
    expect(ints(made.keep).length).toBeGreaterThan(0);
    expect(Math.max(...ints(made.keep).map((m) => m.length))).toBeLessThan(2 * orders);
    expect(ints(made.scratch).some((m) => m.length >= 4 * orders)).toBe(true);
  });

  it('gives its scratch back when it ends: every scratch array is then empty, no kept one', () => {
    const { arena, made } = recording(orders, true);
    const r = clearWith(book, {}, { timestamp: T0 }, { arena: () => arena });
    expect(made.scratch.filter((m) => m.length > 0).length).toBeGreaterThan(10);
    expect(made.scratch.every((m) => m.array.length === 0)).toBe(true);
    expect(made.keep.every((m) => m.array.length === m.length)).toBe(true);
    // The result reads what a cycle with plain arrays gives.
    expect(JSON.stringify(r)).toBe(JSON.stringify(clearWith(book, {}, { timestamp: T0 }, {})));
  });
});

/**
 * Growing columns of numbers in typed arrays, and exact scaled integers that stay numbers while
 * they are safe.
 *
 * @module
 * @internal
 */
import { mulScaled, Sum } from '../decimal/fixed.js';
import type { Allocator } from './arena.js';
import { keepShape } from './shapes.js';

type Typed = Float64Array | Int32Array | Uint8Array;

/**
 * @internal A growing column of numbers in a typed array: off the JS heap, so a cycle's millions of
 * trades add nothing for the garbage collector to mark, and no slack of a JS array's growth.
 * Indices and counts (below 2^31) take an `Int32Array`, quantities a `Float64Array`, codes and
 * scales a `Uint8Array`.
 */
export class Column<A extends Typed> {
  private data: A;
  length = 0;

  constructor(private readonly make: (size: number) => A) {
    keepShape(this);
    this.data = make(64);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.reserve(2 * this.length);
    this.data[this.length++] = v;
  }

  /** Room for `total` values, made in one step when the count is known. */
  reserve(total: number): void {
    if (total <= this.data.length) return;
    const next = this.make(total);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  get(i: number): number {
    return this.data[i]!;
  }
}

/** @internal A column of indices or counts. */
export const intColumn = (memory: Allocator): Column<Int32Array> =>
  new Column((n) => memory.i32(n));
/** @internal A column of scaled quantities. */
export const numberColumn = (memory: Allocator): Column<Float64Array> =>
  new Column((n) => memory.f64(n));
/** @internal A column of small codes (scales, reasons). */
export const byteColumn = (memory: Allocator): Column<Uint8Array> =>
  new Column((n) => memory.u8(n));

/**
 * @internal A column of exact scaled integers: a number while it is a safe integer, a bigint past
 * 2^53 (kept aside by index, rarely made).
 */
export class ScaledColumn {
  private readonly low: Column<Float64Array>;
  private readonly big = new Map<number, bigint>();

  constructor(memory: Allocator) {
    keepShape(this);
    this.low = numberColumn(memory);
  }

  get length(): number {
    return this.low.length;
  }

  reserve(total: number): void {
    this.low.reserve(total);
  }

  /** Appends `v`. */
  push(v: number | bigint): void {
    if (typeof v === 'number') this.low.push(v);
    else {
      this.big.set(this.low.length, v);
      this.low.push(Number.NaN);
    }
  }

  /** Value `i`. */
  get(i: number): number | bigint {
    const v = this.low.get(i);
    return Number.isNaN(v) ? this.big.get(i)! : v;
  }
}

/** @internal A bigint as a number when that is exact. */
export function exact(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** @internal a × b exactly: a number while the product is a safe integer, a bigint otherwise. */
export function times(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return mulScaled(a, b);
  return BigInt(a) * BigInt(b);
}

/**
 * @internal `out[i] = f(rows[i])` for every row: `TypedArray.from(rows, f)` without the iterator
 * protocol, which costs several times more in V8.
 */
export function fillFrom<A extends Typed, T>(out: A, rows: readonly T[], f: (row: T) => number): A {
  for (let i = 0; i < rows.length; i++) out[i] = f(rows[i]!);
  return out;
}

/** @internal The exact sum of scaled quantities (a {@link Sum}: in number while that stays safe). */
export function exactSum(qs: Float64Array): bigint {
  const sum = new Sum();
  for (let i = 0; i < qs.length; i++) sum.addScaled(qs[i]!, 0);
  return sum.v;
}

/**
 * @internal Writes into `out` the indices of the non-zero entries of `values`, in order, and
 * returns how many there are. A loop with nothing else in it: V8 optimises it at once and keeps
 * it, where a loop that does rare work for a few entries of millions runs unoptimised while its
 * rare path's first visits throw the optimised code away.
 */
export function nonZeroAt(values: Float64Array, out: Int32Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) out[count++] = i;
  return count;
}

/**
 * Sorting for ranking: a stable LSD radix argsort on a float key (16-bit digits over the IEEE 754
 * bits, which order non-negative doubles like their values), then each run of equal keys
 * re-sorted by the exact comparator. Float multiplication is monotone, so a key `q × p` computed
 * in floating point never orders two rows against their exact products; only ties of the key
 * need the exact comparator. O(n) for the radix passes plus O(k log k) per run of k equal keys.
 *
 * @module
 * @internal
 */

import { type Allocator, HEAP, type Scratch } from './arena.js';

/** Below this many rows a comparator sort is faster than the radix passes. */
const RADIX_MIN = 256;

/** Whether typed arrays are little-endian here (the low word of a double comes first). */
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indices of `keys` in ascending key order, stable. Keys must be ≥ 0 (or +Infinity); NaN is not
 * allowed.
 */
export function argsortKeys(keys: Float64Array, memory: Allocator = HEAP): Uint32Array {
  const n = keys.length;
  let idx = memory.u32(n);
  // Stryker disable next-line EqualityOperator: writing idx[n] is a no-op on a typed array
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n < 2) return idx;
  // Few keys: a comparator sort beats clearing four 64K-entry digit counts.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: both paths give the same stable order (speed only)
  if (n < RADIX_MIN)
    return idx.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let tmp = memory.u32(n);
  const count = memory.u32(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 === LITTLE ? 0 : 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * i + word]! >>> shift) & 0xffff]!++;
    // A digit every key shares moves nothing.
    if (count[(words[word]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    // Stryker disable next-line EqualityOperator: count[65536] is a no-op on a typed array
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      tmp[count[(words[2 * j + word]! >>> shift) & 0xffff]!++] = j;
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  return idx;
}

/**
 * `rows` sorted by `compare`, given a float `key` consistent with it: `key(a) < key(b)` implies
 * `compare(a, b) < 0` (or `> 0` when `descending`). A new array; `rows` is not touched.
 */
export function sortByKey<T>(
  rows: ArrayLike<T>,
  key: (row: T) => number,
  descending: boolean,
  compare: (a: T, b: T) => number,
  memory: Scratch = HEAP,
): T[] {
  const n = rows.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: both paths give the comparator's order (speed only)
  if (n < RADIX_MIN) return Array.from(rows).sort(compare);
  // The keys and the argsort's buffers are needed only here.
  const mark = memory.mark();
  const keys = memory.f64(n);
  // Stryker disable next-line ConditionalExpression: equal keys make one run that the comparator sorts (speed only)
  for (let i = 0; i < n; i++) keys[i] = key(rows[i]!);
  const order = argsortKeys(keys, memory);
  // Stryker disable next-line ArrayDeclaration: the same array either way
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[order[descending ? n - 1 - i : i]!]!;
  // Runs of equal keys: the exact comparator decides.
  let start = 0;
  for (let i = 1; i <= n; i++) {
    // Stryker disable LogicalOperator: longer runs are re-sorted by the comparator (speed only)
    if (
      i < n &&
      keys[order[descending ? n - 1 - i : i]!] === keys[order[descending ? n - i : i - 1]!]
    )
      continue;
    // Stryker restore LogicalOperator
    // Stryker disable next-line ArithmeticOperator: re-sorting a run of one changes nothing
    if (i - start > 1) {
      const shape = runShape(out, start, i, compare);
      if (shape === DESCENDING) reverse(out, start, i);
      else if (shape === UNORDERED) {
        const run = out.slice(start, i).sort(compare);
        for (let k = 0; k < run.length; k++) out[start + k] = run[k]!;
      }
    }
    start = i;
  }
  memory.release(mark);
  return out;
}

const IN_ORDER = 0;
const DESCENDING = 1;
const UNORDERED = 2;

/**
 * How `rows[from…to)` stands to `compare`: already in its order (`IN_ORDER`), in strictly the
 * opposite order (`DESCENDING`), or neither. The radix sort is stable, so a run of equal keys is in
 * input order (reversed for a descending sort), and that is often the comparator's own order or its
 * exact opposite (equal values, `seq` by input index). Checking takes one comparison a row where
 * sorting takes log₂ of the run's length. The stable sort leaves a run in order as it is, and
 * sorts a strictly opposite one into its reverse, so neither changes the result.
 */
function runShape<T>(
  rows: readonly T[],
  from: number,
  to: number,
  compare: (a: T, b: T) => number,
): number {
  let up = true;
  let down = true;
  for (let k = from + 1; k < to && (up || down); k++) {
    const c = compare(rows[k - 1]!, rows[k]!);
    if (c > 0) up = false;
    // Stryker disable next-line EqualityOperator: compare is 0 only for rows no ranking tells apart (same seq and id: never two orders of a side)
    if (c <= 0) down = false;
  }
  return up ? IN_ORDER : down ? DESCENDING : UNORDERED;
}

/** Reverses `rows[from…to)` in place. */
function reverse<T>(rows: T[], from: number, to: number): void {
  for (let a = from, b = to - 1; a < b; a++, b--) {
    const t = rows[a]!;
    rows[a] = rows[b]!;
    rows[b] = t;
  }
}

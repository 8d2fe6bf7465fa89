/**
 * Canonical JSON written as UTF-8 straight into one reused byte buffer and hashed from it: fixed
 * parts, JSON string literals and canonical decimals, with no string made per record or number.
 *
 * @module
 * @internal
 */

import { formatScaled } from '../decimal/decimal.js';
import { highLimb, LIMB } from '../decimal/fixed.js';
import type { BlockHasher, IncrementalHash } from '../ledger/hasher.js';
import { type Allocator, HEAP } from './arena.js';
import { keepShape } from './shapes.js';

/** Bytes of an ASCII text, for the fixed parts of a record. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * @internal The JSON string literals of many strings, as UTF-8 back to back: entry `i` is
 * `bytes[start[i]]` up to `bytes[start[i + 1]]`. Built once a cycle, in input order (so reading
 * the strings walks memory in order), it turns every later use of an id into a short copy from
 * one contiguous buffer instead of a visit to a string somewhere in the heap.
 */
export interface JsonTable {
  readonly bytes: Uint8Array;
  readonly start: Int32Array;
}

/** @internal A hasher whose "digest" is a view of the bytes written: lets a {@link ByteWriter} collect bytes. */
export const COLLECT: BlockHasher = Object.freeze({
  // Stryker disable next-line StringLiteral: never recorded: the bytes are collected, not sealed
  id: 'collect',
  outputLen: 0,
  digest: (bytes: Uint8Array) => bytes,
});

/** @internal The {@link JsonTable} of `count` strings, `text(i)` the i-th; its arrays from `memory`. */
export function jsonTable(
  count: number,
  text: (i: number) => string,
  memory: Allocator = HEAP,
): JsonTable {
  // Sized for the ASCII case up front: growing by doubling would leave copies for the collector.
  let size = 0;
  for (let i = 0; i < count; i++) size += text(i).length + 2;
  const w = new ByteWriter(COLLECT, size, memory);
  const start = memory.i32(count + 1);
  for (let i = 0; i < count; i++) {
    w.json(text(i));
    start[i + 1] = w.length;
  }
  return { bytes: w.digest(), start };
}

/**
 * @internal Entries `order[0]`, `order[1]`, … of `table` as a new table (its entry k is entry
 * `order[k]`); arrays from `memory`. A loop that does nothing but copy: the cache misses of
 * reading a large table out of order overlap here, where a writer that reads the same entries
 * between other work waits for each in turn.
 */
export function gatherTable(table: JsonTable, order: Int32Array, memory: Allocator): JsonTable {
  const n = order.length;
  const from = table.start;
  const src = table.bytes;
  const start = memory.i32(n + 1);
  let size = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    size += from[i + 1]! - from[i]!;
    start[k + 1] = size;
  }
  const bytes = memory.u8(size);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    let at = start[k]!;
    for (let j = from[i]!, end = from[i + 1]!; j < end; j++) bytes[at++] = src[j]!;
  }
  return { bytes, start };
}

/** The buffer grows to this, then streams (when the hasher can). */
const CHUNK = 1 << 16;
/** 2^31: below it, digits come from small-integer arithmetic. */
const SMALL = 2 ** 31;
/** The last and the first digit of 0…99, as ASCII. */
const ONES = /* @__PURE__ */ Uint8Array.from({ length: 100 }, (_, r) => 48 + (r % 10));
const TENS = /* @__PURE__ */ Uint8Array.from({ length: 100 }, (_, r) => 48 + Math.floor(r / 10));

/**
 * @internal Writes UTF-8 into a buffer whose bytes are hashed by {@link digest}: past 64 KiB the
 * bytes so far go to the hasher's incremental form when it has one (so memory stays bounded),
 * else the buffer grows. Every method writes exactly the bytes of the text named in its doc.
 */
export class ByteWriter {
  private buf: Uint8Array;
  /** {@link buf} as a `DataView`: {@link lit} stores four bytes at a time. */
  private view: DataView;
  private len = 0;
  /** Set when the bytes outgrew the buffer and the hasher streams: the bytes before `buf`. */
  private partial: IncrementalHash | undefined;
  /** Digits of one number, right-aligned. */
  private readonly digits = new Uint8Array(24);
  private readonly encoder = new TextEncoder();

  /**
   * @param initial - the buffer's first size in bytes.
   * @param memory - where that first buffer comes from.
   */
  constructor(
    private readonly hasher: BlockHasher,
    initial: number = CHUNK,
    memory: Allocator = HEAP,
  ) {
    keepShape(this);
    this.buf = memory.u8(initial);
    this.view = viewOf(this.buf);
  }

  /** Writes one byte. */
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  /** How many bytes are held (written since the last digest, less any streamed). */
  get length(): number {
    return this.len;
  }

  /** Writes entry `i` of a {@link JsonTable}. */
  entry(table: JsonTable, i: number): void {
    const from = table.start[i]!;
    const to = table.start[i + 1]!;
    // Stryker disable next-line ArithmeticOperator: more room than needed changes no byte (speed only)
    this.room(to - from);
    const buf = this.buf;
    const src = table.bytes;
    let at = this.len;
    // Ids are short: a loop beats making a subarray view to copy natively.
    for (let k = from; k < to; k++) buf[at++] = src[k]!;
    this.len = at;
  }

  /** Writes fixed ASCII bytes. */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    // A native copy: about half the time of a byte loop even for a dozen bytes.
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /**
   * Writes `n` fixed bytes, 1 ≤ n ≤ 16, given as little-endian 32-bit words: `a` holds bytes 0–3,
   * `b` 4–7, and so on. The generated record writers store their keys and punctuation so
   * (scripts/gen-records.ts): ~6 ns a piece against ~15 ns for {@link bytes}, whose native copy
   * costs more than it moves at this size. Whole words are stored, so up to three bytes past the
   * `n`th are written too (room is made for them); what is written next overwrites them.
   */
  lit(n: number, a: number, b = 0, c = 0, d = 0): void {
    this.room(n + 3);
    const v = this.view;
    const at = this.len;
    v.setUint32(at, a, true);
    if (n > 4) v.setUint32(at + 4, b, true);
    if (n > 8) v.setUint32(at + 8, c, true);
    if (n > 12) v.setUint32(at + 12, d, true);
    this.len = at + n;
  }

  /** Writes any text as UTF-8. */
  text(s: string): void {
    this.room(3 * s.length);
    this.len += this.encoder.encodeInto(s, this.buf.subarray(this.len)).written;
  }

  /** Writes `JSON.stringify(s)` as UTF-8 (the RFC 8785 form of a string without lone surrogates). */
  json(s: string): void {
    this.room(s.length + 2);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      // Printable ASCII other than `"` and `\` stands for itself; anything else takes the general path.
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.text(JSON.stringify(s));
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = 0x22;
    this.len = at;
  }

  /** Writes the canonical decimal of `value / 10^scale` (what `formatScaled` spells). */
  decimal(value: number | bigint, scale: number): void {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.text(formatScaled(value, scale));
      return;
    }
    let v = value;
    if (v < 0) {
      this.room(1);
      this.buf[this.len++] = 0x2d;
      v = -v;
    }
    this.scaledDigits(this.fill(v, this.digits.length, 1), scale);
  }

  /**
   * Writes a value held as limbs or whole: `(hi × 10^8 + lo) / 10^scale` when `lo` is a number
   * (as {@link limbs}), `lo / 10^scale` when it is a bigint (as {@link decimal}; `hi` unused).
   */
  limbsOrWhole(lo: number | bigint, hi: number, scale: number): void {
    if (typeof lo === 'number') this.limbs(hi, lo, scale);
    else this.decimal(lo, scale);
  }

  /**
   * Writes the canonical decimal of `(hi × 10^8 + lo) / 10^scale` for safe integers `hi ≥ 0` and
   * `0 ≤ lo < 10^8` (the limbs of `mulLimbs`), what `formatLimbs` spells.
   */
  limbs(hi: number, lo: number, scale: number): void {
    if (hi === 0) {
      this.decimal(lo, scale);
      return;
    }
    this.scaledDigits(this.fill(hi, this.fillSmall(lo, this.digits.length, 8), 1), scale);
  }

  /** The digest of everything written; the writer starts again empty. */
  digest(): Uint8Array {
    const bytes = this.buf.subarray(0, this.len);
    let out: Uint8Array;
    if (this.partial !== undefined) {
      this.partial.update(bytes);
      out = this.partial.digest();
      this.partial = undefined;
    } else out = this.hasher.digest(bytes);
    this.len = 0;
    return out;
  }

  /** Makes room for `n` more bytes: streams the bytes so far when the hasher can, else grows. */
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    if (this.hasher.create !== undefined && n <= CHUNK) {
      this.partial ??= this.hasher.create();
      // `update` reads the bytes before it returns (its contract), so the buffer is reused: a new
      // one per 64 KiB would be ~400 MB of short-lived buffers for a million trades.
      this.partial.update(this.buf.subarray(0, this.len));
      this.len = 0;
      // A writer made with a small first size: n ≤ CHUNK fits a chunk.
      if (this.buf.length < n) {
        this.buf = new Uint8Array(CHUNK);
        this.view = viewOf(this.buf);
      }
      return;
    }
    const next = new Uint8Array(Math.max(2 * this.buf.length, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = viewOf(next);
  }

  /**
   * Writes the decimal digits of the safe integer `v ≥ 0` right-aligned to end before `end`, at
   * least `width` of them (leading zeros); returns where they start. Past 2^31 it splits off the
   * low eight digits ({@link highLimb}), so the
   * digit loops run on small integers.
   */
  private fill(value: number, end: number, width: number): number {
    if (value < SMALL) return this.fillSmall(value, end, width);
    const hi = highLimb(value);
    return this.fillSmall(hi, this.fillSmall(value - hi * LIMB, end, 8), 1);
  }

  /** {@link fill} for `0 ≤ value < 2^31`. */
  private fillSmall(value: number, end: number, width: number): number {
    const d = this.digits;
    // An int32 from here on: V8 divides it by a constant without floating point.
    let v = value | 0;
    let i = end;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the one-digit loop below writes any digits left (speed only)
    while (v >= 100) {
      const q = (v / 100) | 0;
      const r = v - 100 * q;
      d[--i] = ONES[r]!;
      d[--i] = TENS[r]!;
      v = q;
    }
    do {
      const q = (v / 10) | 0;
      d[--i] = 48 + v - 10 * q;
      v = q;
    } while (v > 0);
    while (end - i < width) d[--i] = 48;
    return i;
  }

  /** Writes the digits from `start` to the end of `digits` as a number scaled by 10^scale. */
  private scaledDigits(start: number, scale: number): void {
    const d = this.digits;
    let end = d.length;
    let places = scale;
    while (places > 0 && end - start > 1 && d[end - 1] === 48) {
      end--;
      places--;
    }
    // Zero (one digit `0`) at any scale is `0`.
    if (end - start === 1 && d[start] === 48) places = 0;
    const n = end - start;
    this.room(n + places + 2);
    const buf = this.buf;
    let at = this.len;
    if (places === 0) {
      for (let i = start; i < end; i++) buf[at++] = d[i]!;
    } else if (n > places) {
      const point = end - places;
      for (let i = start; i < point; i++) buf[at++] = d[i]!;
      buf[at++] = 0x2e;
      for (let i = point; i < end; i++) buf[at++] = d[i]!;
    } else {
      buf[at++] = 48;
      buf[at++] = 0x2e;
      for (let i = n; i < places; i++) buf[at++] = 48;
      for (let i = start; i < end; i++) buf[at++] = d[i]!;
    }
    this.len = at;
  }
}

/** A `DataView` over exactly the bytes of `b`. */
function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

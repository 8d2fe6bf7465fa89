/**
 * Merkle tree over a cycle's transaction records (SPEC §7), RFC 6962 style: leaves hashed with a
 * 0x00 prefix, inner nodes with 0x01, an odd node promoted rather than paired with a copy of
 * itself (CVE-2012-2459), so the root commits to every record and their order.
 *
 * A leaf is a run of up to `leafSize` consecutive records: `0x00 ‖ r₁ ‖ 0x0A ‖ r₂ ‖ 0x0A …`, each
 * `rᵢ` the UTF-8 of the record's canonical JSON followed by a newline, which canonical JSON never
 * contains unescaped; so moving a record boundary changes the leaf bytes.
 *
 * @module
 */

import { formatScaled } from '../decimal/decimal.js';
import { utf8 } from './canonical-json.js';
import type { BlockHasher, IncrementalHash } from './hasher.js';

const NODE = 0x01;

/**
 * @internal Hash of one leaf made of canonical record texts. U+0000 encodes as the single byte
 * 0x00 and `\n` as 0x0A, so one UTF-8 encoding of the joined text gives the leaf bytes.
 */
export function leafHash(records: readonly string[], hasher: BlockHasher): Uint8Array {
  return hasher.digest(utf8(`\u0000${records.join('\n')}\n`));
}

/** @internal Hash of an inner node. */
export function nodeHash(left: Uint8Array, right: Uint8Array, hasher: BlockHasher): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = NODE;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hasher.digest(buf);
}

/** Bytes of an ASCII text, for the fixed parts of a record. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The buffer a leaf is written into grows to this, then streams (when the hasher can). */
const CHUNK = 1 << 16;
/** 2^31: below it, digits come from small-integer arithmetic. */
const SMALL = 2 ** 31;
/** 10^8, the low limb's base. */
const LIMB = 100_000_000;

/**
 * @internal Hashes records into leaves as they come, keeping only the leaf hashes: a cycle with
 * millions of trades never holds all their texts at once. Records are written as UTF-8 straight
 * into one reused byte buffer — fixed parts, JSON string literals and canonical decimals — with no
 * string made per record or per number; `end()` closes a record. The bytes are exactly those of
 * {@link leafHash} over the records' canonical JSON (a differential property in the tests).
 */
export class LeafStream {
  /** The pending leaf's bytes so far: `0x00`, then each record and `0x0A`. */
  private buf = new Uint8Array(CHUNK);
  private len = 1;
  /** Set when a leaf outgrew the buffer and the hasher streams: the leaf's bytes before `buf`. */
  private partial: IncrementalHash | undefined;
  private pending = 0;
  /** Digits of one number, right-aligned. */
  private readonly digits = new Uint8Array(24);
  private readonly encoder = new TextEncoder();
  readonly leaves: Uint8Array[] = [];
  count = 0;

  constructor(
    private readonly leafSize: number,
    private readonly hasher: BlockHasher,
  ) {}

  /** Seals a whole record given as text. */
  push(record: string): void {
    this.text(record);
    this.end();
  }

  /** Ends the record being written. */
  end(): void {
    this.room(1);
    this.buf[this.len++] = 0x0a;
    this.count++;
    if (++this.pending === this.leafSize) this.seal();
  }

  /** Writes fixed ASCII bytes. */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
    this.len = at;
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

  /** The leaf hashes, the last (partial) leaf included. */
  finish(): Uint8Array[] {
    if (this.pending > 0) this.seal();
    return this.leaves;
  }

  /**
   * Writes the decimal digits of the safe integer `v ≥ 0` right-aligned to end before `end`, at
   * least `width` of them (leading zeros); returns where they start. Past 2^31 it splits off the
   * low eight digits (`%` and the division of an exact multiple are exact on doubles), so the
   * digit loops run on small integers.
   */
  private fill(value: number, end: number, width: number): number {
    if (value < SMALL) return this.fillSmall(value, end, width);
    const lo = value % LIMB;
    return this.fillSmall((value - lo) / LIMB, this.fillSmall(lo, end, 8), 1);
  }

  /** {@link fill} for `0 ≤ value < 2^31`. */
  private fillSmall(value: number, end: number, width: number): number {
    const d = this.digits;
    let v = value;
    let i = end;
    do {
      const q = (v / 10) | 0;
      d[--i] = 48 + v - 10 * q;
      v = q;
    } while (v > 0 || end - i < width);
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

  /** Makes room for `n` more bytes: streams the leaf so far when the hasher can, else grows. */
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    if (this.hasher.create !== undefined && n <= CHUNK) {
      this.partial ??= this.hasher.create();
      // The hasher may keep what it is given: it gets this buffer, and writing goes on in a new one.
      this.partial.update(this.buf.subarray(0, this.len));
      this.buf = new Uint8Array(CHUNK);
      this.len = 0;
      return;
    }
    const next = new Uint8Array(Math.max(2 * this.buf.length, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private seal(): void {
    const bytes = this.buf.subarray(0, this.len);
    if (this.partial !== undefined) {
      this.partial.update(bytes);
      this.leaves.push(this.partial.digest());
      this.partial = undefined;
      this.buf = new Uint8Array(CHUNK);
    } else this.leaves.push(this.hasher.digest(bytes));
    this.buf[0] = 0x00;
    this.len = 1;
    this.pending = 0;
  }
}

/** @internal Leaf hashes of records in runs of `leafSize`. */
export function leafHashes(
  records: readonly string[],
  leafSize: number,
  hasher: BlockHasher,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < records.length; i += leafSize)
    out.push(leafHash(records.slice(i, i + leafSize), hasher));
  return out;
}

/**
 * @internal The root over leaf hashes; the hash of the empty string for no leaves (RFC 6962 §2.1).
 * Pairing bottom-up and promoting an odd last node builds RFC 6962's left-complete tree.
 */
export function merkleRoot(leaves: readonly Uint8Array[], hasher: BlockHasher): Uint8Array {
  if (leaves.length === 0) return hasher.digest(new Uint8Array(0));
  // Stryker disable next-line MethodExpression: levels are replaced, never written, so the input is safe either way
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(nodeHash(level[i]!, level[i + 1]!, hasher));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/**
 * One step of an inclusion proof: the sibling's hash and on which side it stands.
 *
 * @example
 * ```ts
 * const step: ProofStep = { side: 'right', hash: 'ab'.repeat(32) };
 * ```
 */
export interface ProofStep {
  /** Which side the sibling stands on. */
  readonly side: 'left' | 'right';
  /** The sibling's hash, hex. */
  readonly hash: string;
}

/** @internal The audit path of leaf `index`, bottom-up. */
export function auditPath(
  leaves: readonly Uint8Array[],
  index: number,
  hasher: BlockHasher,
  hex: (b: Uint8Array) => string,
): ProofStep[] {
  const path: ProofStep[] = [];
  // Stryker disable next-line MethodExpression: levels are replaced, never written, so the input is safe either way
  let level = leaves.slice();
  let i = index;
  while (level.length > 1) {
    const sibling = i ^ 1;
    if (sibling < level.length)
      // Stryker disable next-line EqualityOperator: a sibling is never the node itself
      path.push({ side: sibling < i ? 'left' : 'right', hash: hex(level[sibling]!) });
    const next: Uint8Array[] = [];
    for (let k = 0; k + 1 < level.length; k += 2)
      next.push(nodeHash(level[k]!, level[k + 1]!, hasher));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
    i >>= 1;
  }
  return path;
}

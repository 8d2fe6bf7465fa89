/**
 * Merkle tree over a cycle's transaction records (docs/ledger.md), RFC 6962 style: leaves hashed with a
 * 0x00 prefix, inner nodes with 0x01, an odd node promoted rather than paired with a copy of
 * itself (CVE-2012-2459), so the root commits to every record and their order.
 *
 * A leaf is a run of up to `leafSize` consecutive records: `0x00 ‖ r₁ ‖ 0x0A ‖ r₂ ‖ 0x0A …`, each
 * `rᵢ` the UTF-8 of the record's canonical JSON followed by a newline, which canonical JSON never
 * contains unescaped; so moving a record boundary changes the leaf bytes.
 *
 * @module
 */

import { ByteWriter, COLLECT } from '../internal/byte-writer.js';
import { keepShape } from '../internal/shapes.js';
import { utf8 } from './canonical-json.js';
import type { BlockHasher } from './hasher.js';

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

/**
 * @internal Hashes records into leaves as they come, keeping only the leaf hashes: a cycle with
 * millions of trades never holds all their texts at once. A record is written as UTF-8 straight
 * into {@link out} (see {@link ByteWriter}), then `end()` closes it. The bytes are exactly those
 * of {@link leafHash} over the records' canonical JSON (a differential property in the tests).
 */
export class LeafStream {
  /** Where the pending leaf is written: `0x00`, then each record and `0x0A`. */
  readonly out: ByteWriter;
  private pending = 0;
  readonly leaves: Uint8Array[] = [];
  count = 0;

  constructor(
    private readonly leafSize: number,
    hasher: BlockHasher,
  ) {
    keepShape(this);
    this.out = new ByteWriter(hasher);
    this.out.byte(0x00);
  }

  /** Seals a whole record given as text. */
  push(record: string): void {
    this.out.text(record);
    this.end();
  }

  /** Ends the record written into {@link out}. */
  end(): void {
    this.out.byte(0x0a);
    this.count++;
    if (++this.pending === this.leafSize) this.seal();
  }

  /** Seals every record of a {@link RecordLog}, in order. */
  append(log: RecordLog): void {
    const bytes = log.out.digest();
    let from = 0;
    for (const to of log.ends) {
      this.out.bytes(bytes.subarray(from, to));
      this.end();
      from = to;
    }
  }

  /** The leaf hashes, the last (partial) leaf included. */
  finish(): Uint8Array[] {
    if (this.pending > 0) this.seal();
    return this.leaves;
  }

  private seal(): void {
    this.leaves.push(this.out.digest());
    this.out.byte(0x00);
    this.pending = 0;
  }
}

/**
 * @internal Records written now and sealed later ({@link LeafStream.append}): the block holds
 * pool records after every trade, but they are made carrier by carrier with the trades.
 */
export class RecordLog {
  /** Where a record is written; {@link end} closes it. */
  readonly out = new ByteWriter(COLLECT);
  /** Where each record ends in `out`. */
  readonly ends: number[] = [];

  constructor() {
    keepShape(this);
  }

  end(): void {
    this.ends.push(this.out.length);
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

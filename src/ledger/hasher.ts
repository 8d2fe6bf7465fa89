/**
 * The pluggable block hasher (docs/ledger.md) and SHA-256, the default, from @noble/hashes so it runs
 * the same in browsers and Node.
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * A synchronous hash function for blocks and Merkle trees, modelled on noble-hashes' contract:
 * a tiny frozen object with metadata and one function.
 *
 * @example
 * ```ts
 * import type { BlockHasher } from 'microgrid-clearing';
 * import { createHash } from 'node:crypto';
 * const nodeSha256: BlockHasher = Object.freeze({
 *   id: 'sha256',
 *   outputLen: 32,
 *   digest: (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest()),
 * });
 * ```
 */
export interface BlockHasher {
  /** Recorded in every block; a verifier must use a hasher with the same id. */
  readonly id: string;
  /** Digest length in bytes. */
  readonly outputLen: number;
  /** The digest of `bytes`; must not keep or modify them. */
  digest(bytes: Uint8Array): Uint8Array;
  /**
   * Optional incremental form, `create().update(a).update(b).digest()` = `digest(a ‖ b)`: lets
   * large inputs be hashed without holding them whole.
   */
  create?(): IncrementalHash;
}

/**
 * An incremental hash: feed bytes in pieces, then take the digest once.
 *
 * @example
 * ```ts
 * import { sha256Hasher, toHex, type IncrementalHash } from 'microgrid-clearing';
 * const h: IncrementalHash = sha256Hasher.create!();
 * h.update(new TextEncoder().encode('a'));
 * h.update(new TextEncoder().encode('bc'));
 * toHex(h.digest()); // SHA-256 of 'abc'
 * ```
 */
export interface IncrementalHash {
  /**
   * Feeds more bytes. They are read before `update` returns: the caller may reuse the buffer
   * afterwards (as `node:crypto` and @noble/hashes allow), so an implementation that needs them
   * later must copy them.
   */
  update(bytes: Uint8Array): unknown;
  /** The digest of everything fed. */
  digest(): Uint8Array;
}

/**
 * SHA-256 (FIPS 180-4) from @noble/hashes: the default {@link BlockHasher}.
 *
 * @example
 * ```ts
 * import { sha256Hasher, toHex } from 'microgrid-clearing';
 * toHex(sha256Hasher.digest(new TextEncoder().encode('abc')));
 * // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export const sha256Hasher: BlockHasher = /* @__PURE__ */ Object.freeze({
  id: 'sha256',
  outputLen: 32,
  digest: (bytes: Uint8Array): Uint8Array => sha256(bytes),
  create: (): IncrementalHash => sha256.create(),
});

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lower-case hex of bytes.
 *
 * @param bytes - any bytes.
 * @returns two hex digits a byte.
 * @example
 * ```ts
 * import { toHex } from 'microgrid-clearing';
 * toHex(new Uint8Array([0, 255])); // '00ff'
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** @internal Bytes of lower-case or upper-case hex; `undefined` when malformed. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

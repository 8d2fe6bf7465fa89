/**
 * The hasher used when none is given. This module is the pure one: the pure build (browsers)
 * resolves it, and so does code run from source. The Node build of the package (tsup.config.ts,
 * the `node` export condition) swaps it for `src/node/default-hasher.ts`, the same SHA-256 on
 * `node:crypto` — same id, same bytes, a 10k × 10k cycle ~1.7× faster in Node.
 *
 * @module
 */
import { type BlockHasher, sha256Hasher } from './hasher.js';

/**
 * The {@link BlockHasher} a cycle, a chain check or a market uses when given none: SHA-256 (id
 * `'sha256'`) on `node:crypto` in Node (the package's `node` export condition), on @noble/hashes
 * ({@link sha256Hasher}) in browsers, their bundles and anything else. Both give the same bytes,
 * so a block sealed by one verifies with the other.
 *
 * @remarks In Node it is the very object `nodeSha256Hasher` of `microgrid-clearing/node`. Pass
 *   a hasher explicitly to pin one (docs/ledger.md, "The hasher").
 * @example
 * ```ts
 * import { defaultHasher, toHex } from 'microgrid-clearing';
 * defaultHasher.id; // 'sha256'
 * toHex(defaultHasher.digest(new TextEncoder().encode('abc')));
 * // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export const defaultHasher: BlockHasher = sha256Hasher;

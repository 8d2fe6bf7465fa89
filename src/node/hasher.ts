/**
 * SHA-256 on `node:crypto`.
 *
 * @module
 * @internal
 */
import { createHash } from 'node:crypto';
import type { BlockHasher, IncrementalHash } from '../ledger/hasher.js';

/**
 * SHA-256 on Node's `node:crypto` (OpenSSL). Same id and bytes as `sha256Hasher`, so blocks
 * sealed with one verify with the other. In Node it is already the default (`defaultHasher` of
 * `microgrid-clearing`, the very same object): passing it only pins it.
 *
 * @example
 * ```ts
 * import { clearCycle } from 'microgrid-clearing';
 * import { nodeSha256Hasher } from 'microgrid-clearing/node';
 * clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z', hasher: nodeSha256Hasher });
 * ```
 */
export const nodeSha256Hasher: BlockHasher = Object.freeze({
  id: 'sha256',
  outputLen: 32,
  digest: (bytes: Uint8Array): Uint8Array => {
    const d = createHash('sha256').update(bytes).digest();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  },
  create: (): IncrementalHash => {
    const h = createHash('sha256');
    return {
      update: (bytes: Uint8Array) => h.update(bytes),
      digest: () => {
        const d = h.digest();
        return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      },
    };
  },
});

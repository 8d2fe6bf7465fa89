/**
 * The Node-only entry, `microgrid-clearing/node`: SHA-256 on `node:crypto` (already the default
 * hasher of `microgrid-clearing` in Node), and {@link clearMany} and {@link ClearingPool}, which
 * clear independent markets across worker threads.
 *
 * @packageDocumentation
 */

export { nodeSha256Hasher } from './hasher.js';
export { ClearingPool, type ClearManyOptions, clearMany } from './many.js';
export type { MarketJob } from './protocol.js';

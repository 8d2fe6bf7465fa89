/**
 * The Node-only entry, `microgrid-clearing/node`: a faster SHA-256 on `node:crypto`, and
 * {@link clearMany}, which clears independent markets across worker threads.
 *
 * @packageDocumentation
 */

export { nodeSha256Hasher } from './hasher.js';
export { type ClearManyOptions, clearMany } from './many.js';
export type { MarketJob } from './protocol.js';

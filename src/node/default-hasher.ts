/**
 * The default hasher of the Node build: tsup.config.ts resolves `src/ledger/default-hasher.ts` to
 * this module in every Node entry (`index.node`, `node`, `worker`, `postgres`, the CLI), so a
 * cycle cleared in Node without a hasher runs SHA-256 on `node:crypto`. Same id and bytes as the
 * pure default.
 *
 * @module
 * @internal
 */
import type { BlockHasher } from '../ledger/hasher.js';
import { nodeSha256Hasher } from './hasher.js';

/** The Node build's default: {@link nodeSha256Hasher}. */
export const defaultHasher: BlockHasher = nodeSha256Hasher;

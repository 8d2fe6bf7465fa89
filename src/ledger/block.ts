/**
 * Blocks (docs/ledger.md, paper step 5): seal a cycle's transaction records into a block whose
 * header hash chains it to the one before. Chains are verified in `chain.ts`, single
 * transactions proved in `proof.ts`.
 *
 * @module
 */
import { ClearingError } from '../errors.js';
import type {
  Block,
  Counters,
  CycleResult,
  PoolPurchase,
  PoolTrade,
  Trade,
} from '../model/result.js';
import { canonicalJson, utf8 } from './canonical-json.js';
import { type BlockHasher, toHex } from './hasher.js';
import { merkleRoot } from './merkle.js';
import { compareTimestamps } from './timestamp.js';

/**
 * One transaction as it is sealed: a P2P trade, a pool purchase or a scenario 2 trade, tagged
 * with `type`. Its canonical JSON is what the Merkle tree commits to.
 *
 * @example
 * ```ts
 * const r: TransactionRecord = { type: 'poolPurchase', offerId: 's1', seller: 'p1', carrier: 'electricity', quantity: '2', price: '0.43', amount: '0.86' };
 * ```
 */
export type TransactionRecord =
  | ({
      /** A scenario 1 trade. */
      readonly type: 'trade';
    } & Trade)
  | ({
      /** Idle supply bought by the pool. */
      readonly type: 'poolPurchase';
    } & PoolPurchase)
  | ({
      /** A scenario 2 trade. */
      readonly type: 'poolTrade';
    } & PoolTrade);

/**
 * The previous block, or what a chain needs of it.
 *
 * @example
 * ```ts
 * const tip: ChainTip = { height: 41, hash: 'ab'.repeat(32), timestamp: '2026-01-01T00:20:30Z' };
 * ```
 */
export interface ChainTip {
  /** The previous block's height. */
  readonly height: number;
  /** The previous block's hash, hex. */
  readonly hash: string;
  /** When present, the new block's timestamp must not be earlier. */
  readonly timestamp?: string;
}

/**
 * 64 zeros: the `previousHash` of the first block (SHA-256; other hashers use twice their
 * `outputLen` zeros).
 *
 * @example
 * ```ts
 * import { clearCycle, GENESIS_PREVIOUS_HASH } from 'microgrid-clearing';
 * clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' }).block.previousHash === GENESIS_PREVIOUS_HASH; // true
 * ```
 */
export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

/**
 * The transaction records of a cycle result, in sealing order: trades, then pool purchases, then
 * pool trades (each list in the result's own order).
 *
 * @param result - the trades, pool purchases and pool trades of a cycle.
 * @returns the records the block's Merkle root commits to.
 * @example
 * ```ts
 * import { clearCycle, transactionRecords } from 'microgrid-clearing';
 * const result = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * transactionRecords(result).length; // 0
 * ```
 */
export function transactionRecords(
  result: Pick<CycleResult, 'trades' | 'poolPurchases' | 'poolTrades'>,
): TransactionRecord[] {
  const out: TransactionRecord[] = [];
  for (const t of result.trades) out.push({ type: 'trade', ...t });
  for (const p of result.poolPurchases) out.push({ type: 'poolPurchase', ...p });
  for (const p of result.poolTrades) out.push({ type: 'poolTrade', ...p });
  return out;
}

/** @internal What goes into a block besides the chain position. */
export interface SealInput {
  /** Leaf hashes of the records (see `LeafStream`). */
  readonly leaves: readonly Uint8Array[];
  readonly transactionCount: number;
  readonly inputsHash: string;
  readonly timestamp: string;
  readonly counters: Counters;
  readonly leafSize: number;
  readonly previous?: ChainTip | undefined;
  readonly hasher: BlockHasher;
}

/**
 * @internal Builds the block of a cycle from its canonical record texts. The caller has checked
 * `input.timestamp` (clearCycle refuses a malformed one with a ValidationError first).
 */
export function sealBlock(input: SealInput): Block {
  const prev = input.previous;
  if (prev !== undefined) {
    if (
      !Number.isSafeInteger(prev.height) ||
      prev.height < 0 ||
      typeof prev.hash !== 'string' ||
      !isHexDigest(prev.hash, input.hasher)
    ) {
      throw new ClearingError(
        'invalid_previous',
        "previous block must have a height ≥ 0 and a hex hash of the hasher's length",
      );
    }
    if (prev.timestamp !== undefined && compareTimestamps(input.timestamp, prev.timestamp) < 0) {
      throw new ClearingError(
        'timestamp_before_previous',
        `timestamp ${input.timestamp} is earlier than the previous block's ${prev.timestamp}`,
      );
    }
  }
  const root = merkleRoot(input.leaves, input.hasher);
  const header: Omit<Block, 'hash'> = {
    height: prev === undefined ? 0 : prev.height + 1,
    previousHash: prev === undefined ? zeroHash(input.hasher) : prev.hash,
    timestamp: input.timestamp,
    merkleRoot: toHex(root),
    inputsHash: input.inputsHash,
    hasher: input.hasher.id,
    leafSize: input.leafSize,
    transactionCount: input.transactionCount,
    counters: input.counters,
  };
  return Object.freeze({
    ...header,
    counters: Object.freeze({ ...input.counters }),
    hash: headerHash(header, input.hasher),
  });
}

/** @internal The all-zero hash a first block links to. */
export function zeroHash(hasher: BlockHasher): string {
  return '0'.repeat(hasher.outputLen * 2);
}

/** @internal A lower-case hex digest of the hasher's length. */
export function isHexDigest(text: string, hasher: BlockHasher): boolean {
  return text.length === hasher.outputLen * 2 && /^[0-9a-f]+$/.test(text);
}

/** @internal `H(canonicalJson(header))` in hex. */
export function headerHash(header: Omit<Block, 'hash'>, hasher: BlockHasher): string {
  const {
    height,
    previousHash,
    timestamp,
    merkleRoot,
    inputsHash,
    leafSize,
    transactionCount,
    counters,
  } = header;
  const h = {
    height,
    previousHash,
    timestamp,
    merkleRoot,
    inputsHash,
    hasher: header.hasher,
    leafSize,
    transactionCount,
    counters,
  };
  return toHex(hasher.digest(utf8(canonicalJson(h))));
}

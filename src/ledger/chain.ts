/**
 * Chains of blocks (docs/ledger.md): what a chain entry is, and its verification, whole or one
 * entry at a time as a reader streams it.
 *
 * @module
 */
import type { Block } from '../model/result.js';
import { headerHash, isHexDigest, type TransactionRecord, zeroHash } from './block.js';
import { canonicalJson } from './canonical-json.js';
import { defaultHasher } from './default-hasher.js';
import { type BlockHasher, toHex } from './hasher.js';
import { leafHashes, merkleRoot } from './merkle.js';
import { compareTimestamps, timestampProblem } from './timestamp.js';

/**
 * A block as stored in a chain file, optionally with its transaction records so the Merkle root
 * can be checked too.
 *
 * @example
 * ```ts
 * import { clearCycle, transactionRecords, type ChainEntry } from 'microgrid-clearing';
 * const r = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * const entry: ChainEntry = { ...r.block, transactions: transactionRecords(r) };
 * ```
 */
export type ChainEntry = Block & {
  /** The block's transaction records, so a verifier can recompute the Merkle root. */
  readonly transactions?: readonly TransactionRecord[];
};

/**
 * The outcome of {@link verifyChain}: the height of the first bad block and why.
 *
 * @example
 * ```ts
 * const bad: ChainVerdict = { ok: false, height: 3, reason: 'previousHash does not match block 2' };
 * ```
 */
export type ChainVerdict =
  | {
      /** Every block holds. */
      readonly ok: true;
    }
  | {
      /** Some block does not hold. */
      readonly ok: false;
      /** The first bad block's height (its position in the chain). */
      readonly height: number;
      /** Why it is bad. */
      readonly reason: string;
    };

/**
 * Recomputes every block hash and link of a chain, oldest first, and every Merkle root for
 * entries that carry their transactions. Stops at the first bad block.
 *
 * @param blocks - the chain, starting at height 0: an array or any iterable (a generator reading a
 *   file line by line, say), read once, one entry at a time.
 * @param hasher - must have the id recorded in the blocks. @defaultValue {@link defaultHasher}
 * @returns `{ ok: true }` or `{ ok: false, height, reason }` naming the first bad block
 *   (`height` is the position in the chain when the block's own height cannot be trusted).
 * @example
 * ```ts
 * import { clearCycle, verifyChain } from 'microgrid-clearing';
 * const a = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * const b = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:30Z', previous: a.block });
 * verifyChain([a.block, b.block]); // { ok: true }
 * verifyChain([b.block]); // { ok: false, height: 0, reason: 'the first block must have height 0 ...' }
 * ```
 */
export function verifyChain(
  blocks: Iterable<ChainEntry>,
  hasher: BlockHasher = defaultHasher,
): ChainVerdict {
  const checker = new ChainChecker(hasher);
  for (const block of blocks) {
    const reason = checker.push(block);
    if (reason !== undefined) return { ok: false, height: checker.length, reason };
  }
  return { ok: true };
}

/**
 * @internal {@link verifyChain} one entry at a time, for readers that stream a chain (a file read
 * line by line, a database read page by page) and must not hold it whole.
 */
export class ChainChecker {
  private last: Block | undefined;
  private count = 0;

  constructor(private readonly hasher: BlockHasher) {}

  /** How many entries held so far (the height of the next one). */
  get length(): number {
    return this.count;
  }

  /** The last entry that held, or `undefined` before the first. */
  get tip(): Block | undefined {
    return this.last;
  }

  /**
   * Why `block` cannot follow the entries so far, or `undefined` (and it becomes the tip).
   * `more` is a last check of the caller's (a streamed Merkle root, say), made after every check
   * of the header and before the block is taken.
   */
  push(block: unknown, more?: () => string | undefined): string | undefined {
    const i = this.count;
    const prev = this.last;
    const hasher = this.hasher;
    const shape = blockShapeProblem(block, hasher, true);
    if (shape !== undefined) return shape;
    const b = block as ChainEntry;
    if (b.height !== i)
      return i === 0
        ? `the first block must have height 0, got ${b.height}`
        : `expected height ${i} after block ${i - 1}, got ${b.height}`;
    const expectedPrevious = prev === undefined ? zeroHash(hasher) : prev.hash;
    if (b.previousHash !== expectedPrevious)
      return prev === undefined
        ? "the first block's previousHash must be all zeros"
        : `previousHash does not match the hash of block ${i - 1}`;
    if (prev !== undefined && compareTimestamps(b.timestamp, prev.timestamp) < 0)
      return `timestamp ${b.timestamp} is earlier than block ${i - 1}'s ${prev.timestamp}`;
    if (headerHash(b, hasher) !== b.hash) return 'hash does not match the block header';
    if (b.transactions !== undefined) {
      const problem = transactionsProblem(b, hasher);
      if (problem !== undefined) return problem;
    }
    const last = more?.();
    if (last !== undefined) return last;
    this.last = headerOf(b);
    this.count = i + 1;
    return undefined;
  }
}

/** A block's header fields alone (an entry's transactions are not kept). */
function headerOf(b: ChainEntry): Block {
  if (b.transactions === undefined) return b;
  const { transactions: _transactions, ...header } = b;
  return header;
}

function transactionsProblem(b: ChainEntry, hasher: BlockHasher): string | undefined {
  const txs = b.transactions!;
  if (!Array.isArray(txs)) return 'transactions must be an array';
  if (txs.length !== b.transactionCount)
    return `holds ${txs.length} transactions; the header says ${b.transactionCount}`;
  let texts: string[];
  try {
    texts = txs.map((t) => canonicalJson(t));
  } catch (err) {
    return `a transaction is not canonical JSON: ${(err as Error).message}`;
  }
  const root = toHex(merkleRoot(leafHashes(texts, b.leafSize, hasher), hasher));
  return root === b.merkleRoot ? undefined : 'merkleRoot does not match the transactions';
}

const BLOCK_FIELDS = [
  'height',
  'previousHash',
  'timestamp',
  'merkleRoot',
  'inputsHash',
  'hasher',
  'leafSize',
  'transactionCount',
  'counters',
  'hash',
] as const;
const BLOCK_FIELD_SET: ReadonlySet<string> = new Set(BLOCK_FIELDS);
const COUNTER_FIELDS = ['p2pTrades', 'p2pFailedBids', 'poolTrades', 'unservedBids'] as const;

/** @internal Why a value is not a well-formed block, or `undefined`. */
export function blockShapeProblem(
  value: unknown,
  hasher: BlockHasher,
  entry = false,
): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'is not a block object';
  const b = value as Record<string, unknown>;
  for (const f of BLOCK_FIELDS) if (!Object.hasOwn(b, f)) return `is missing "${f}"`;
  // A field the hash does not cover could say anything about the block unchecked: refused.
  for (const f of Object.keys(b))
    if (!(BLOCK_FIELD_SET.has(f) || (entry && f === 'transactions')))
      return `has the field ${JSON.stringify(f)}, which the block hash does not cover`;
  for (const f of ['height', 'leafSize', 'transactionCount'] as const) {
    if (!Number.isSafeInteger(b[f]) || (b[f] as number) < (f === 'leafSize' ? 1 : 0))
      return `"${f}" must be a non-negative integer`;
  }
  if (b['hasher'] !== hasher.id)
    return `was hashed with "${String(b['hasher'])}", not "${hasher.id}"`;
  for (const f of ['previousHash', 'merkleRoot', 'inputsHash', 'hash'] as const) {
    if (typeof b[f] !== 'string' || !isHexDigest(b[f] as string, hasher))
      return `"${f}" is not a ${hasher.outputLen * 2}-digit lower-case hex hash`;
  }
  const ts = timestampProblem(b['timestamp']);
  if (ts !== undefined) return `"timestamp": ${ts}`;
  const c = b['counters'];
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    return '"counters" must be an object';
  for (const f of Object.keys(c))
    if (!(COUNTER_FIELDS as readonly string[]).includes(f))
      return `"counters" has the field ${JSON.stringify(f)}, which no block has`;
  for (const f of COUNTER_FIELDS) {
    const v = (c as Record<string, unknown>)[f];
    if (!Number.isSafeInteger(v) || (v as number) < 0)
      return `"counters.${f}" must be a non-negative integer`;
  }
  return undefined;
}

/**
 * Blocks (docs/ledger.md, paper step 5): seal a cycle's transaction records, verify a chain, prove one
 * transaction.
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
import { type BlockHasher, fromHex, sha256Hasher, toHex } from './hasher.js';
import { auditPath, leafHash, leafHashes, merkleRoot, nodeHash, type ProofStep } from './merkle.js';
import { compareTimestamps, timestampProblem } from './timestamp.js';

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

function zeroHash(hasher: BlockHasher): string {
  return '0'.repeat(hasher.outputLen * 2);
}

function isHexDigest(text: string, hasher: BlockHasher): boolean {
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
 * The outcome of {@link verifyProof}.
 *
 * @example
 * ```ts
 * const v: ProofVerdict = { ok: false, reason: 'the proof is for another block' };
 * ```
 */
export type ProofVerdict =
  | {
      /** The transaction is in the block. */
      readonly ok: true;
    }
  | {
      /** The proof does not hold. */
      readonly ok: false;
      /** Why. */
      readonly reason: string;
    };

/**
 * Recomputes every block hash and link of a chain, oldest first, and every Merkle root for
 * entries that carry their transactions. Stops at the first bad block.
 *
 * @param blocks - the chain, starting at height 0: an array or any iterable (a generator reading a
 *   file line by line, say), read once, one entry at a time.
 * @param hasher - must have the id recorded in the blocks. @defaultValue {@link sha256Hasher}
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
  hasher: BlockHasher = sha256Hasher,
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

/**
 * A proof that one transaction is in a block: its leaf's records, its place in the leaf, and the
 * audit path from the leaf to the Merkle root.
 *
 * @example
 * ```ts
 * import { clearCycle, proveTransaction, type TransactionProof } from 'microgrid-clearing';
 * const r = clearCycle(
 *   { offers: [{ id: 's1', participant: 'p1', carrier: 'heat', quantity: '1', price: '0.1' }],
 *     bids: [{ id: 'c1', participant: 'h1', carrier: 'heat', quantity: '1', price: '0.2' }] },
 *   {}, { timestamp: '2026-01-01T00:00:00Z' });
 * const proof: TransactionProof = proveTransaction(r, 0);
 * ```
 */
export interface TransactionProof {
  /** Position of the transaction among all the block's records. */
  readonly index: number;
  /** The transaction proven. */
  readonly transaction: TransactionRecord;
  /** The records of its leaf, in order (the transaction among them). */
  readonly leaf: readonly TransactionRecord[];
  /** Which leaf holds it. */
  readonly leafIndex: number;
  /** Sibling hashes from the leaf up to the root. */
  readonly path: readonly ProofStep[];
  /** The block the proof is for (its hash covers the Merkle root). */
  readonly blockHash: string;
}

/**
 * Builds an inclusion proof for transaction `index` of a cycle.
 *
 * @param result - a cleared cycle (its records and block).
 * @param index - position among {@link transactionRecords} of the result.
 * @param hasher - the block's hasher. @defaultValue {@link sha256Hasher}
 * @returns the proof; check it with {@link verifyProof} against the block alone.
 * @throws {@link ClearingError} `invalid_option` when `index` is out of range.
 * @example
 * ```ts
 * import { clearCycle, proveTransaction, verifyProof } from 'microgrid-clearing';
 * const r = clearCycle(
 *   { offers: [{ id: 's1', participant: 'p1', carrier: 'heat', quantity: '1', price: '0.1' }],
 *     bids: [{ id: 'c1', participant: 'h1', carrier: 'heat', quantity: '1', price: '0.2' }] },
 *   {}, { timestamp: '2026-01-01T00:00:00Z' });
 * verifyProof(proveTransaction(r, 0), r.block); // { ok: true }
 * ```
 */
export function proveTransaction(
  result: Pick<CycleResult, 'trades' | 'poolPurchases' | 'poolTrades' | 'block'>,
  index: number,
  hasher: BlockHasher = sha256Hasher,
): TransactionProof {
  const records = transactionRecords(result);
  if (!Number.isSafeInteger(index) || index < 0 || index >= records.length) {
    throw new ClearingError(
      'invalid_option',
      `transaction index ${index} is out of range 0..${records.length - 1}`,
    );
  }
  const size = result.block.leafSize;
  const texts = records.map((r) => canonicalJson(r));
  const leaves = leafHashes(texts, size, hasher);
  const leafIndex = Math.floor(index / size);
  return Object.freeze({
    index,
    transaction: records[index]!,
    leaf: records.slice(leafIndex * size, leafIndex * size + size),
    leafIndex,
    path: auditPath(leaves, leafIndex, hasher, toHex),
    blockHash: result.block.hash,
  });
}

/**
 * Checks an inclusion proof against a block, with nothing else: the block's own hash, the
 * transaction's place in its leaf, and the path up to the block's Merkle root.
 *
 * @param proof - from {@link proveTransaction}.
 * @param block - the block the proof claims.
 * @param hasher - the block's hasher. @defaultValue {@link sha256Hasher}
 * @returns `{ ok: true }` or `{ ok: false, reason }`.
 * @example
 * ```ts
 * import { clearCycle, proveTransaction, verifyProof } from 'microgrid-clearing';
 * const r = clearCycle(
 *   { offers: [{ id: 's1', participant: 'p1', carrier: 'heat', quantity: '1', price: '0.1' }],
 *     bids: [{ id: 'c1', participant: 'h1', carrier: 'heat', quantity: '1', price: '0.2' }] },
 *   {}, { timestamp: '2026-01-01T00:00:00Z' });
 * const proof = proveTransaction(r, 0);
 * verifyProof({ ...proof, transaction: { ...proof.transaction, quantity: '2' } }, r.block).ok; // false
 * ```
 */
export function verifyProof(
  proof: TransactionProof,
  block: Block,
  hasher: BlockHasher = sha256Hasher,
): ProofVerdict {
  try {
    if (headerHash(block, hasher) !== block.hash)
      return { ok: false, reason: 'the block hash does not match its header' };
    if (proof.blockHash !== block.hash)
      return { ok: false, reason: 'the proof is for another block' };
    const size = block.leafSize;
    const within = proof.index - proof.leafIndex * size;
    if (
      !Number.isSafeInteger(within) ||
      within < 0 ||
      within >= size ||
      within >= proof.leaf.length
    ) {
      return { ok: false, reason: 'the index does not fall in the leaf' };
    }
    if (proof.index >= block.transactionCount)
      return { ok: false, reason: "the index is past the block's transactions" };
    const text = canonicalJson(proof.transaction);
    if (canonicalJson(proof.leaf[within]) !== text)
      return { ok: false, reason: 'the transaction is not at its place in the leaf' };
    const fullLeaves = Math.ceil(block.transactionCount / size);
    const lastLeafSize = block.transactionCount - (fullLeaves - 1) * size;
    const expectedLeafLength = proof.leafIndex === fullLeaves - 1 ? lastLeafSize : size;
    if (proof.leaf.length !== expectedLeafLength)
      return { ok: false, reason: 'the leaf holds the wrong number of records' };
    if (proof.path.length !== expectedPathLength(fullLeaves, proof.leafIndex))
      return { ok: false, reason: 'the audit path has the wrong length' };
    let hash = leafHash(
      proof.leaf.map((r) => canonicalJson(r)),
      hasher,
    );
    for (const step of proof.path) {
      const sibling = fromHex(step.hash);
      if (sibling === undefined || sibling.length !== hasher.outputLen)
        return { ok: false, reason: 'the audit path holds a malformed hash' };
      hash =
        step.side === 'left' ? nodeHash(sibling, hash, hasher) : nodeHash(hash, sibling, hasher);
    }
    return toHex(hash) === block.merkleRoot
      ? { ok: true }
      : { ok: false, reason: "the audit path does not lead to the block's merkleRoot" };
  } catch (err) {
    return { ok: false, reason: `the proof is malformed: ${(err as Error).message}` };
  }
}

/** Number of siblings on the way up from leaf `index` in a tree of `n` leaves (odd nodes are promoted). */
function expectedPathLength(n: number, index: number): number {
  let steps = 0;
  let i = index;
  let size = n;
  while (size > 1) {
    if ((i ^ 1) < size) steps++;
    i >>= 1;
    size = Math.ceil(size / 2);
  }
  return steps;
}

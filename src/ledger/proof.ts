/**
 * Proof that one transaction is in a block (docs/ledger.md, "Proofs"): its record and the Merkle
 * audit path from its leaf to the block's root, checked against the block header alone.
 *
 * @module
 */
import { ClearingError } from '../errors.js';
import type { Block, CycleResult } from '../model/result.js';
import { headerHash, type TransactionRecord, transactionRecords } from './block.js';
import { canonicalJson } from './canonical-json.js';
import { defaultHasher } from './default-hasher.js';
import { type BlockHasher, fromHex, toHex } from './hasher.js';
import { auditPath, leafHash, leafHashes, nodeHash, type ProofStep } from './merkle.js';
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
 * @param hasher - the block's hasher. @defaultValue {@link defaultHasher}
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
  hasher: BlockHasher = defaultHasher,
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
 * @param hasher - the block's hasher. @defaultValue {@link defaultHasher}
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
  hasher: BlockHasher = defaultHasher,
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

/**
 * `verifyCycle`: re-execute a cycle like a smart contract and compare it with its block.
 *
 * @module
 */
import type { CommissionPolicy } from '../commission/commission.js';
import { ClearingError, ValidationError } from '../errors.js';
import { headerHash } from '../ledger/block.js';
import { blockShapeProblem } from '../ledger/chain.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import type { BlockHasher } from '../ledger/hasher.js';
import type { Block } from '../model/result.js';
import type { ClearingConfig, OrderBook, ResolvedConfig } from '../model/types.js';
import { own } from '../validate/common.js';
import { clearWith } from './clear.js';

/**
 * The outcome of {@link verifyCycle}.
 *
 * @example
 * ```ts
 * const v: CycleVerdict = { ok: false, reason: 'merkleRoot differs: the block does not hold the transactions this book clears to' };
 * ```
 */
export type CycleVerdict =
  | {
      /** The block is the honest clearing of the inputs. */
      readonly ok: true;
    }
  | {
      /** The block does not match. */
      readonly ok: false;
      /** What differs. */
      readonly reason: string;
    };

/**
 * Checks that a block is the honest clearing of a book: the inputs hash matches the book and
 * config, clearing them again gives the same transactions (Merkle root) and the same block hash.
 *
 * @param book - the book the platform says it cleared.
 * @param config - its configuration.
 * @param block - the block to check.
 * @param options - the hasher, the custom commission policy if one was used, and a `Market`
 *   cycle's `resting` offers.
 * @returns `{ ok: true }` or `{ ok: false, reason }`.
 * @example
 * ```ts
 * import { clearCycle, verifyCycle } from 'microgrid-clearing';
 * const book = { offers: [{ id: 's1', participant: 'p1', carrier: 'heat' as const, quantity: '3', price: '0.1' }], bids: [] };
 * const { block } = clearCycle(book, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * verifyCycle(book, {}, block); // { ok: true }
 * verifyCycle(book, { fixedPrice: '0.5' }, block).ok; // false: another config
 * ```
 */
export function verifyCycle(
  book: OrderBook | string,
  config: ClearingConfig | ResolvedConfig | undefined,
  block: Block,
  options: {
    readonly hasher?: BlockHasher;
    readonly commission?: CommissionPolicy;
    /** For a `Market` cycle: the offers kept resting (its `resting` list). */
    readonly resting?: readonly string[];
  } = {},
): CycleVerdict {
  // Own properties only: a polluted `Object.prototype.commission` is no option.
  const hasher = (own(options, 'hasher') as BlockHasher | undefined) ?? defaultHasher;
  const commission = own(options, 'commission') as CommissionPolicy | undefined;
  const resting = own(options, 'resting') as readonly string[] | undefined;
  // A block checked for form first: a whole result, or anything else, is named for what it is.
  const shape = blockShapeProblem(block, hasher, true);
  if (shape !== undefined) {
    const has = (key: string) =>
      typeof block === 'object' && block !== null && Object.hasOwn(block, key);
    return {
      ok: false,
      reason: has('block')
        ? 'expected a block, got a cycle result: pass its `block` (result.block)'
        : has('result')
          ? "expected a block, got a market's cycle: pass `cycle.result.block`"
          : `the block ${shape}`,
    };
  }
  if (headerHash(block, hasher) !== block.hash)
    return { ok: false, reason: 'the block hash does not match its header' };
  let again: Block;
  try {
    again = clearWith(
      book,
      config,
      {
        timestamp: block.timestamp,
        previous:
          block.height === 0 ? undefined : { height: block.height - 1, hash: block.previousHash },
        hasher,
        commission,
      },
      { resting: new Set(resting ?? []) },
    ).block;
  } catch (err) {
    if (err instanceof ValidationError || err instanceof ClearingError)
      return { ok: false, reason: `the inputs do not clear: ${err.message}` };
    throw err;
  }
  if (again.inputsHash !== block.inputsHash)
    return {
      ok: false,
      reason: 'inputsHash differs: this is not the book and config the block committed to',
    };
  if (again.merkleRoot !== block.merkleRoot)
    return {
      ok: false,
      reason: 'merkleRoot differs: the block does not hold the transactions this book clears to',
    };
  if (again.hash !== block.hash)
    return {
      ok: false,
      reason:
        'the block header differs from the re-executed cycle (counters, leaf size or chain position)',
    };
  return { ok: true };
}

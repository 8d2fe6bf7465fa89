/**
 * The options of a cycle (`clearCycle`, `clearCycleReference`), read once by own property and
 * checked: both engines read them here, so they refuse the same options with the same issues.
 *
 * @module
 */
import type { CommissionPolicy } from '../commission/commission.js';
import { ClearingError, type Issue } from '../errors.js';
import type { ChainTip } from '../ledger/block.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import type { BlockHasher } from '../ledger/hasher.js';
import { timestampProblem } from '../ledger/timestamp.js';
import { own } from './common.js';

/**
 * Options of one cycle: what the core cannot make up itself.
 *
 * @example
 * ```ts
 * const options: ClearOptions = { timestamp: '2026-01-01T00:00:30Z' };
 * ```
 */
export interface ClearOptions {
  /** ISO 8601 UTC, e.g. `2026-01-01T00:00:30Z`. The core never reads a clock. */
  readonly timestamp: string;
  /** The previous block (or its height, hash and timestamp); absent for the first block. */
  readonly previous?: ChainTip | undefined;
  /** @defaultValue {@link defaultHasher}: node:crypto in Node, @noble/hashes elsewhere (same bytes) */
  readonly hasher?: BlockHasher | undefined;
  /** A custom commission policy; overrides `config.commission`, and its `id` is hashed into `inputsHash`. */
  readonly commission?: CommissionPolicy | undefined;
}

/** @internal Options read once, with the problems found in them (to be listed with the book's). */
export interface ReadOptions {
  readonly timestamp: string;
  readonly previous: ChainTip | undefined;
  readonly hasher: BlockHasher;
  readonly commission: CommissionPolicy | undefined;
  readonly issues: readonly Issue[];
}

/**
 * @internal Reads a cycle's options: own properties only (a polluted `Object.prototype.commission`
 * is no option). A malformed timestamp and a previous block at the last safe height are issues,
 * returned so that they are listed with the book's and the config's in one `ValidationError`.
 * @throws {@link ClearingError} `invalid_option` when `options` is no object.
 */
export function readClearOptions(options: unknown): ReadOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClearingError(
      'invalid_option',
      'clearCycle needs options with a timestamp: { timestamp: "2026-01-01T00:00:30Z" }',
    );
  }
  const timestamp = own(options, 'timestamp') as string;
  const previous = previousOf(own(options, 'previous'));
  const issues: Issue[] = [];
  const problem = timestampProblem(timestamp);
  if (problem !== undefined)
    issues.push({ path: 'timestamp', code: 'invalid_timestamp', message: problem });
  if (previous?.height === Number.MAX_SAFE_INTEGER) {
    // Refused before the cycle runs: its block, of height 2^53, would fail verifyChain.
    issues.push({
      path: 'previous.height',
      code: 'out_of_range',
      message:
        "is 2^53 − 1, the last safe integer: no block can follow it (the next block's height would not be exact)",
    });
  }
  return {
    timestamp,
    previous,
    hasher: (own(options, 'hasher') as BlockHasher | undefined) ?? defaultHasher,
    commission: own(options, 'commission') as CommissionPolicy | undefined,
    issues,
  };
}

/**
 * The previous block's height, hash and timestamp, read once by own property (a block or a
 * {@link ChainTip}); sealing checks their form.
 */
function previousOf(value: unknown): ChainTip | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return value as ChainTip;
  const timestamp = own(value, 'timestamp') as string | undefined;
  const height = own(value, 'height') as number;
  const hash = own(value, 'hash') as string;
  return timestamp === undefined ? { height, hash } : { height, hash, timestamp };
}

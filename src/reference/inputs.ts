/**
 * A cycle's inputs, checked as `clearCycle` checks them (docs/rules.md §2): the options, the
 * config and the book, every problem at once. Validation is not a clearing rule: the book and the
 * config are read by the library's public `parseBook` and `parseConfig`, so both engines refuse
 * the same inputs with the same issues.
 *
 * @module
 * @internal
 */
import type { CommissionPolicy } from '../commission/commission.js';
import type { ClearOptions } from '../engine/clear.js';
import { ClearingError, type Issue, ValidationError } from '../errors.js';
import type { ChainTip } from '../ledger/block.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import type { BlockHasher } from '../ledger/hasher.js';
import { timestampProblem } from '../ledger/timestamp.js';
import type { ClearingConfig, OrderBook, ResolvedConfig } from '../model/types.js';
import { parseBook } from '../validate/book.js';
import { parseConfig } from '../validate/config.js';

/** A cycle's inputs, valid: the book with canonical decimals and every `seq` filled in. */
export interface CycleInputs {
  readonly book: OrderBook;
  /** The resolved config; a custom policy's id as its `commission`. */
  readonly config: ResolvedConfig;
  readonly timestamp: string;
  readonly previous: ChainTip | undefined;
  readonly hasher: BlockHasher;
  readonly commission: CommissionPolicy | undefined;
}

/** An own property: a polluted `Object.prototype.commission` is no option (docs/rules.md §2). */
function own(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * Reads and checks the inputs of a cycle: a malformed timestamp, a previous block at the last
 * safe height, and every problem of the config and the book in one `ValidationError`; options
 * that are no object, and a custom policy without a usable id, as `ClearingError`
 * `invalid_option`.
 */
export function readInputs(
  book: unknown,
  config: ClearingConfig | ResolvedConfig | undefined,
  options: ClearOptions,
): CycleInputs {
  if (typeof options !== 'object' || options === null) {
    throw new ClearingError(
      'invalid_option',
      'clearCycle needs options with a timestamp: { timestamp: "2026-01-01T00:00:30Z" }',
    );
  }
  const timestamp = own(options, 'timestamp') as string;
  const commission = own(options, 'commission') as CommissionPolicy | undefined;
  const previous = previousOf(own(options, 'previous'));
  const optionIssues: Issue[] = [];
  const problem = timestampProblem(timestamp);
  if (problem !== undefined)
    optionIssues.push({ path: 'timestamp', code: 'invalid_timestamp', message: problem });
  if (previous?.height === Number.MAX_SAFE_INTEGER) {
    optionIssues.push({
      path: 'previous.height',
      code: 'out_of_range',
      message:
        "is 2^53 − 1, the last safe integer: no block can follow it (the next block's height would not be exact)",
    });
  }
  let cfg: ResolvedConfig;
  let valid: OrderBook;
  try {
    cfg = parseConfig(config ?? {});
    if (commission !== undefined) cfg = withCustomCommission(cfg, commission.id);
    valid = parseBook(book, cfg.limits);
  } catch (err) {
    if (optionIssues.length > 0 && err instanceof ValidationError)
      throw new ValidationError([...optionIssues, ...err.issues]);
    throw err;
  }
  if (optionIssues.length > 0) throw new ValidationError(optionIssues);
  return {
    book: valid,
    config: cfg,
    timestamp,
    previous,
    hasher: (own(options, 'hasher') as BlockHasher | undefined) ?? defaultHasher,
    commission,
  };
}

/**
 * docs/configuration.md: a custom policy replaces `config.commission`, and its id is what the
 * inputs hash commits to.
 */
function withCustomCommission(config: ResolvedConfig, id: string): ResolvedConfig {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
    throw new ClearingError(
      'invalid_option',
      'a custom commission policy needs a non-empty string id',
    );
  }
  return { ...config, commission: { kind: 'custom', id } };
}

/** The previous block's height, hash and timestamp, each read once as an own property. */
function previousOf(value: unknown): ChainTip | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return value as ChainTip;
  const timestamp = own(value, 'timestamp') as string | undefined;
  const height = own(value, 'height') as number;
  const hash = own(value, 'hash') as string;
  return timestamp === undefined ? { height, hash } : { height, hash, timestamp };
}

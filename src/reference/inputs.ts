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
import { ValidationError } from '../errors.js';
import type { ChainTip } from '../ledger/block.js';
import type { BlockHasher } from '../ledger/hasher.js';
import type { ClearingConfig, OrderBook, ResolvedConfig } from '../model/types.js';
import { parseBook } from '../validate/book.js';
import { parseConfig, withCustomCommission } from '../validate/config.js';
import { type ClearOptions, readClearOptions } from '../validate/options.js';

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
  // Options are read as clearCycle reads them (validation, not a clearing rule).
  const opts = readClearOptions(options);
  const { timestamp, commission, previous, hasher } = opts;
  const optionIssues = opts.issues;
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
    hasher,
    commission,
  };
}

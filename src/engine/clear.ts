/**
 * `clearCycle`: validate → rank → match (scenario 1) → pool → scenario 2 → commission → settle →
 * seal. Pure: the same book, config and options give the same bytes. The phases are run by
 * `pipeline.ts`; this module reads the options, validates, and seals the block.
 *
 * @module
 */
import { feeCalculator } from '../commission/commission.js';
import { ClearingError, ValidationError } from '../errors.js';
import { type Arena, cycleArena } from '../internal/arena.js';
import { ByteWriter } from '../internal/byte-writer.js';
import { keepShapesOnce } from '../internal/shapes.js';
import { sealBlock } from '../ledger/block.js';
import { type BlockHasher, toHex } from '../ledger/hasher.js';
import { LeafStream } from '../ledger/merkle.js';
import type { BookTables } from '../ledger/records.js';
import type { ParsedBook } from '../model/columns.js';
import type { CycleResult } from '../model/result.js';
import type { ClearingConfig, OrderBook, ResolvedConfig } from '../model/types.js';
import { compareIds } from '../ranking/ranking.js';
import { validateBook } from '../validate/book.js';
import { toResolvedConfig, withCustomCommission } from '../validate/config.js';
import { type ClearOptions, readClearOptions } from '../validate/options.js';
import { exemplarBook } from './exemplar.js';
import { runCycle, sealPoolRecords } from './pipeline.js';
import { writeInputs } from './records/inputs.js';
import { assemble, resultColumns } from './views.js';

export type { ClearOptions } from '../validate/options.js';

/** @internal Hooks for the stateful Market. */
export interface CycleHooks {
  /** Offers whose remainder rests in the book this cycle instead of going to the pool. */
  readonly resting?: ReadonlySet<string>;
  /**
   * Called as each phase ends (`validate`, `rank`, `match`, `trades`, `pool`, `settle`,
   * `records`, `seal`), so a benchmark can time them with its own clock.
   */
  readonly mark?: (phase: string) => void;
  /** Where the cycle's typed arrays come from (tests give a small or a poisoning one). */
  readonly arena?: (orders: number) => Arena;
}

/**
 * Clears one cycle: scenario 1 peer-to-peer matching, the energy pool, scenario 2, commission,
 * exact settlement, and the block that seals it.
 *
 * @param book - the orders (validated here; an {@link OrderBook} or its JSON text). Typed, so an
 *   editor catches `carrier: 'electrcity'` or `quantity: 10`; a value of unknown shape (parsed
 *   from a request, say) is cast (`as OrderBook`) and still validated in full here. Text as read
 *   from a file or a request is best passed as it is: in the form `JSON.stringify` writes, it is
 *   read straight into the engine's columns, with no object per order.
 * @param config - configuration; defaults of docs/configuration.md for absent fields.
 * @param options - the cycle's timestamp, the previous block, the hasher, a custom commission.
 * @returns the cycle's {@link CycleResult}, frozen.
 * @throws {@link ValidationError} listing every problem of the book, config or timestamp; or,
 *   before anything else is read, a previous block at height 2^53 − 1 (`previous.height`), which
 *   no block can follow.
 * @throws {@link ClearingError} for a timestamp earlier than the previous block's, a malformed
 *   previous block, or a custom commission policy returning an invalid fee.
 * @remarks docs/rules.md §3–11. Inputs are never mutated.
 * @example
 * ```ts
 * import { clearCycle } from 'microgrid-clearing';
 * const result = clearCycle(
 *   {
 *     offers: [
 *       { id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '10', price: '0.30' },
 *       { id: 's2', participant: 'pv-2', carrier: 'electricity', quantity: '5', price: '0.40' },
 *     ],
 *     bids: [{ id: 'c1', participant: 'home-1', carrier: 'electricity', quantity: '4', price: '0.45' }],
 *   },
 *   { pricing: 'midpoint' },
 *   { timestamp: '2026-01-01T00:00:30Z' },
 * );
 * result.trades.map((t) => `${t.bidId}←${t.offerId} ${t.quantity} @ ${t.price}`); // ['c1←s2 4 @ 0.425']
 * ```
 */
export function clearCycle(
  book: OrderBook | string,
  config: ClearingConfig | ResolvedConfig | undefined,
  options: ClearOptions,
): CycleResult {
  return clearWith(book, config, options, {});
}

/** @internal clearCycle with Market hooks. */
export function clearWith(
  book: OrderBook | unknown,
  config: ClearingConfig | ResolvedConfig | undefined,
  options: ClearOptions,
  hooks: CycleHooks,
): CycleResult {
  // Every problem at once: a bad timestamp does not hide the book's or the config's.
  const opts = readClearOptions(options);
  const { timestamp, commission, previous, hasher } = opts;
  const optionIssues = opts.issues;
  if (optionIssues.length === 0) {
    const text = typeof book === 'string';
    keepShapesOnce(text ? WARM_UP_TEXT : WARM_UP_OBJECTS, () => warmUp(text));
  }
  let cfg: ResolvedConfig;
  let parsed: ParsedBook;
  try {
    cfg = toResolvedConfig(config as ClearingConfig | ResolvedConfig | undefined);
    if (commission !== undefined) cfg = withCustomCommission(cfg, commission.id);
    parsed = validateBook(book, cfg.limits, hooks.arena ?? cycleArena);
  } catch (err) {
    if (optionIssues.length > 0 && err instanceof ValidationError)
      throw new ValidationError([...optionIssues, ...err.issues]);
    throw err;
  }
  if (optionIssues.length > 0) {
    parsed.arena.scratch.drop();
    throw new ValidationError(optionIssues);
  }
  hooks.mark?.('validate');
  const leaves = new LeafStream(cfg.leafSize, hasher);
  const fees = feeCalculator(cfg, commission);
  const { cx, body } = runCycle(parsed, cfg, fees, leaves, hooks.resting, hooks.mark);
  sealPoolRecords(cx);
  hooks.mark?.('records');
  const block = sealBlock({
    leaves: leaves.finish(),
    transactionCount: leaves.count,
    inputsHash: inputsHash(parsed, cfg, hooks, hasher, cx.tables),
    timestamp,
    counters: body.counters,
    leafSize: cfg.leafSize,
    previous,
    hasher,
  });
  // The result keeps the validated columns and what the cycle made, never its scratch memory.
  // Dropped once the block is sealed: a large scratch is given back (internal/arena.ts), which
  // starts a marking of the heap; made earlier, that marking ended in a full collection inside
  // the seal (+0.7–1.2 s at 10^6 orders a side).
  parsed.arena.scratch.drop();
  hooks.mark?.('seal');
  return assemble(body, block, cx);
}

/** @internal The warm-ups' keys: one for books given as objects, one for JSON text. */
export const WARM_UP_OBJECTS = 'objects';
/** @internal See {@link WARM_UP_OBJECTS}. */
export const WARM_UP_TEXT = 'text';
const WARM_UP_TIMESTAMP = '2026-01-01T00:00:00Z';

/**
 * Clears the exemplar book (as JSON text when `text`, the book reader's other path) and reads every
 * part of its result, before the first cycle of a process that reads books that way (inside
 * `keepShapesOnce`): the objects this makes keep their classes' optimised code alive between
 * cycles (`internal/shapes.ts`).
 */
function warmUp(text: boolean): void {
  const book = exemplarBook();
  const input = text ? JSON.stringify(book) : book;
  // The defaults: no code of the caller's (a hasher, a fee policy) runs in the warm-up.
  const result = clearWith(input, undefined, { timestamp: WARM_UP_TIMESTAMP }, {});
  JSON.stringify(result);
  const columns = resultColumns(result);
  for (const list of [columns.trades, columns.poolPurchases, columns.poolTrades]) list.at(0);
}

/** @internal The hash of the canonical book and config: independent of input order given the `seq`s. */
export function inputsHash(
  parsed: ParsedBook,
  cfg: ResolvedConfig,
  hooks: CycleHooks,
  hasher: BlockHasher,
  tables: BookTables,
): string {
  const resting = hooks.resting === undefined ? [] : [...hooks.resting].sort(compareIds);
  const w = new ByteWriter(hasher);
  writeInputs(parsed, cfg, resting, tables, w);
  return toHex(w.digest());
}

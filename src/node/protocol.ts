/**
 * Messages between `clearMany` and its worker threads.
 *
 * @module
 * @internal
 */
import type { ResultTransfer } from '../engine/transfer.js';
import type { Issue } from '../errors.js';
import type { ChainTip } from '../ledger/block.js';
import type { ClearingConfig, ResolvedConfig } from '../model/types.js';

/**
 * One market for `clearMany`: what `clearCycle` takes, minus what cannot cross a thread
 * (functions: a custom commission policy or hasher).
 *
 * @example
 * ```ts
 * import type { MarketJob } from 'microgrid-clearing/node';
 * const job: MarketJob = {
 *   book: { offers: [], bids: [] },
 *   config: { pricing: 'midpoint' },
 *   timestamp: '2026-01-01T00:00:30Z',
 * };
 * ```
 */
export interface MarketJob {
  /** The market's orders: an `OrderBook` or its JSON text. */
  readonly book: unknown;
  /** Its configuration; defaults for absent fields. */
  readonly config?: ClearingConfig | ResolvedConfig | undefined;
  /** The cycle's timestamp, ISO 8601 UTC. */
  readonly timestamp: string;
  /** The market's previous block, if any. */
  readonly previous?: ChainTip | undefined;
}

/** @internal */
export interface WorkerRequest {
  readonly index: number;
  readonly market: MarketJob;
  /** `json`: the result as `JSON.stringify(result)`; `parts`: as {@link ResultParts}. */
  readonly mode: 'json' | 'parts';
  /** The book as its JSON text's bytes, all ASCII (transferred), when `market.book` is absent. */
  readonly bookBytes?: Uint8Array | undefined;
}

/**
 * A result as JSON texts: `head` is the result with each list of {@link LAZY_PARTS} replaced by
 * `0`, and `parts` holds each list's own JSON text, parsed only when it is read.
 */
export interface ResultParts {
  readonly head: string;
  readonly parts: Readonly<Record<string, string>>;
  /**
   * The trades, the order outcomes and the settled accounts as columns (their buffers
   * transferred, not copied), read on the caller's thread with the same code as a result of
   * `clearCycle`; `parts` then has no `.trades`, `.bidOutcomes`, `.offerOutcomes` or
   * `settlement.participants`.
   */
  readonly lists?: ResultTransfer | undefined;
}

/**
 * The lists that grow with the book, as `[parent key, key]` (`''` for the result itself): a
 * caller that never reads them never parses them.
 */
export const LAZY_PARTS: readonly (readonly [string, string])[] = [
  ['', 'trades'],
  ['', 'poolPurchases'],
  ['', 'poolTrades'],
  ['', 'unsold'],
  ['', 'supplyIdPool'],
  ['', 'consumerIdRest'],
  ['', 'bidOutcomes'],
  ['', 'offerOutcomes'],
  ['settlement', 'participants'],
];

/** @internal An error, as data that survives structured clone. */
export type ErrorData =
  | { readonly kind: 'validation'; readonly issues: readonly Issue[] }
  | { readonly kind: 'clearing'; readonly code: string; readonly message: string }
  | { readonly kind: 'other'; readonly message: string };

/** @internal */
export type WorkerReply =
  | { readonly index: number; readonly ok: true; readonly result: string | ResultParts }
  | { readonly index: number; readonly ok: false; readonly error: ErrorData };

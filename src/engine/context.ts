/**
 * What every phase of a cycle works with: the parsed book (data, read only), the resolved
 * config, the rules picked for this cycle, and where the phases write — the cycle log, the
 * accounts, the sealed records.
 *
 * @module
 * @internal
 */

import type { Scratch } from '../internal/arena.js';
import type { LeafStream, RecordLog } from '../ledger/merkle.js';
import type { BookTables } from '../ledger/records.js';
import type { ParsedBook } from '../model/columns.js';
import type { ResolvedConfig } from '../model/types.js';
import type { RankingPolicy } from '../ranking/ranking.js';
import type { Accounts } from '../settlement/settlement.js';
import type { CycleLog } from './log.js';
import type { FeeRule, TradeMoney, TradeRef } from './money.js';
import type { PoolTradeCursor, PurchaseCursor, TradeCursor } from './records/cursors.js';
import type { TradeSeal } from './records/seal.js';

/** @internal A cycle's inputs, rules and outputs, handed to each phase. */
export interface CycleContext {
  /** The validated book, in columns by input index. */
  readonly book: ParsedBook;
  readonly cfg: ResolvedConfig;
  /** The book's quantity and price scales. */
  readonly quantityScale: number;
  readonly priceScale: number;
  /** Eq. 1–3 ranking of the configured policy. */
  readonly ranking: RankingPolicy;
  readonly fees: FeeRule;
  /** Offers whose remainder rests in the book instead of going to the pool (Market). */
  readonly resting: ReadonlySet<string> | undefined;
  /** Every id and participant as JSON literal bytes, for the records. */
  readonly tables: BookTables;
  readonly log: CycleLog;
  readonly accounts: Accounts;
  /** Trades are sealed as they are made; pool records wait for every carrier's trades. */
  readonly leaves: LeafStream;
  readonly purchaseRecords: RecordLog;
  readonly poolTradeRecords: RecordLog;
  readonly tradeCursor: TradeCursor;
  /** The trade being made, as its sealed record reads it. */
  readonly tradeSeal: TradeSeal;
  readonly purchaseCursor: PurchaseCursor;
  readonly poolTradeCursor: PoolTradeCursor;
  /** The money and the identity of the trade being made, reused trade to trade. */
  readonly money: TradeMoney;
  readonly ref: TradeRef;
  /** Memory a phase throws away. */
  readonly scratch: Scratch;
}

/**
 * The result a user reads: its small fields plain, its long lists (trades, pool records, order
 * outcomes) as getters that build their frozen objects from the cycle log on first read; fast
 * JSON texts of those lists written from the log without the objects (`ClearingPool.clearToJson`);
 * and the log's columns for another thread (`ClearingPool.clear`), read there by the same code.
 *
 * @module
 * @internal
 */

import { formatScaled } from '../decimal/decimal.js';
import { asciiBytes, ByteWriter, COLLECT, type JsonTable } from '../internal/byte-writer.js';
import type {
  BidOutcome,
  Columns,
  CycleResult,
  OfferOutcome,
  ResultColumns,
  Trade,
} from '../model/result.js';
import { CARRIERS } from '../model/types.js';
import { Accounts } from '../settlement/settlement.js';
import type { CycleContext } from './context.js';
import { BID_REASONS, UNSOLD_REASONS } from './log.js';
import type { CycleBody } from './pipeline.js';
import { PoolTradeCursor, PurchaseCursor, TradeCursor } from './records/cursors.js';
import {
  poolPurchaseObject,
  poolTradeObject,
  tradeObject,
  writeTradeJson,
} from './records/generated.js';
import {
  POOL_PURCHASE_KEYS,
  POOL_TRADE_KEYS,
  PoolPurchaseColumns,
  PoolTradeColumns,
  TRADE_KEYS,
  TradeColumns,
} from './records/generated-columns.js';
import { TradeTextRun } from './records/trade-texts.js';
import {
  type OrderFacts,
  type OutcomesTransfer,
  type ResultTransfer,
  resultTransfer,
  transferredCursor,
} from './transfer.js';

/**
 * @internal A non-enumerable property of every result from `clearCycle`: fast JSON texts of its
 * large lists, written from the cycle's columns (`trades()` is `JSON.stringify(result.trades)`).
 * Worker threads use it; `JSON.stringify(result)` and equality checks do not see it.
 */
export const FAST_JSON: unique symbol = Symbol('microgrid-clearing.fastJson');

/** @internal The value of {@link FAST_JSON}. */
export interface FastJson {
  trades(): string;
  bidOutcomes(): string;
  offerOutcomes(): string;
}

/** The documented field order of a result (docs/file-formats.md lists these names). */
const RESULT_FIELDS = [
  'trades',
  'poolPurchases',
  'poolTrades',
  'unsold',
  'supplyIdPool',
  'consumerIdRest',
  'counters',
  'carriers',
  'settlement',
  'bidOutcomes',
  'offerOutcomes',
  'block',
] as const;

/**
 * @internal The result, with `trades` and the outcome lists as enumerable getters that build (and
 * keep) their arrays on first read: a caller that never reads them — a benchmark, a service that
 * only settles — never holds an object per trade or order. JSON.stringify and equality checks
 * read them like plain fields.
 */
export function assemble(
  body: CycleBody,
  block: CycleResult['block'],
  cx: CycleContext,
): CycleResult {
  const lazy: Record<string, () => unknown> = {
    trades: () => tradeList(cx.tradeCursor, cx.log.trades.length),
    poolPurchases: () =>
      listOf(cx.log.purchases.length, (i) => poolPurchaseObject(cx.purchaseCursor.at(i))),
    poolTrades: () =>
      listOf(cx.log.poolTrades.length, (i) => poolTradeObject(cx.poolTradeCursor.at(i))),
    bidOutcomes: () => listOf(cx.book.bids.length, (i) => bidOutcome(cx, i)),
    offerOutcomes: () => listOf(cx.book.offers.length, (i) => offerOutcome(cx, i)),
  };
  const plain: Record<string, unknown> = { ...body, block };
  const result: Record<string, unknown> = {};
  for (const key of RESULT_FIELDS) {
    const make = lazy[key];
    if (make === undefined) {
      result[key] = plain[key];
      continue;
    }
    let value: unknown;
    Object.defineProperty(result, key, {
      enumerable: true,
      get: () => {
        value ??= make();
        return value;
      },
    });
  }
  const fast: FastJson = {
    trades: () => tradesJson(cx),
    bidOutcomes: () => bidOutcomesJson(cx),
    offerOutcomes: () => offerOutcomesJson(cx),
  };
  Object.defineProperty(result, FAST_JSON, { value: fast });
  let columns: ResultColumns | undefined;
  Object.defineProperty(result, COLUMNS, {
    get: () => {
      columns ??= logColumns(cx);
      return columns;
    },
  });
  Object.defineProperty(result, RESULT_TRANSFER, { value: () => resultTransfer(cx) });
  return Object.freeze(result) as unknown as CycleResult;
}

/**
 * @internal A non-enumerable property of every result from `clearCycle`: a function giving its
 * long lists as a {@link ResultTransfer}, what a worker thread sends instead of their JSON text.
 */
export const RESULT_TRANSFER: unique symbol = Symbol('microgrid-clearing.resultTransfer');

/**
 * @internal Gives `result` — a result received from a worker thread, not yet frozen — its field
 * `key` (`trades`, `bidOutcomes` or `offerOutcomes`; or, given the result's `settlement`,
 * `participants`) from `t`: an enumerable getter that builds the frozen objects on first read, as
 * a result of `clearCycle` does. With `trades` come the
 * columns `resultColumns` reads (the trades from `t`'s columns, the pool lists from the
 * result's own lists).
 */
export function defineTransferred(
  result: Record<string, unknown>,
  key: TransferredKey,
  t: ResultTransfer,
): void {
  let value: readonly unknown[] | undefined;
  const make =
    key === 'trades'
      ? () => tradeList(transferredCursor(t.trades), t.trades.log.length)
      : key === 'bidOutcomes'
        ? () => listOf(t.outcomes.book.bids.length, (i) => bidOutcome(t.outcomes, i))
        : key === 'offerOutcomes'
          ? () => listOf(t.outcomes.book.offers.length, (i) => offerOutcome(t.outcomes, i))
          : () => Accounts.participantsOf(t.accounts);
  Object.defineProperty(result, key, {
    enumerable: true,
    get: () => {
      value ??= make();
      return value;
    },
  });
  if (key !== 'trades') return;
  let columns: ResultColumns | undefined;
  Object.defineProperty(result, COLUMNS, {
    get: () => {
      const own = result as unknown as CycleResult;
      columns ??= Object.freeze({
        trades: cursorColumns(transferredCursor(t.trades), t.trades.log.length),
        poolPurchases: listColumns(own.poolPurchases, POOL_PURCHASE_KEYS),
        poolTrades: listColumns(own.poolTrades, POOL_TRADE_KEYS),
      });
      return columns;
    },
  });
}

/** @internal The lists a {@link ResultTransfer} carries (`participants`: the settlement's). */
export type TransferredKey = 'trades' | 'bidOutcomes' | 'offerOutcomes' | 'participants';

/**
 * @internal Whether field `key` of `parent` (`''` for the result itself) is one of the lists a
 * {@link ResultTransfer} carries: the trades, the outcome lists, `settlement.participants`.
 */
export function isTransferred(parent: string, key: string): key is TransferredKey {
  if (parent === 'settlement') return key === 'participants';
  return parent === '' && (key === 'trades' || key === 'bidOutcomes' || key === 'offerOutcomes');
}

/** Trade columns over a cursor: a trade's values loaded once for all the fields read of it. */
function cursorColumns(trade: TradeCursor, length: number): TradeColumns {
  // NaN: none loaded yet, and no index equals it, NaN included.
  let at = Number.NaN;
  return new TradeColumns(length, (i) => {
    if (i !== at) {
      trade.at(checked(i, length));
      at = i;
    }
    return trade;
  });
}

/**
 * A non-enumerable property of every result from `clearCycle`, and of every `ClearingPool` result
 * (built from the transferred columns): its {@link ResultColumns}.
 */
const COLUMNS: unique symbol = Symbol('microgrid-clearing.columns');

/**
 * The long record lists of a result as columns, read field by field with no object made per
 * record: what a bulk reader (a database load, per-participant sums) should use instead of
 * `result.trades` on a large book. For a result of `clearCycle` the columns read the cycle's own
 * log (nothing is built until a field is read, and a string only for the field read); for a
 * result of `ClearingPool.clear` the trades read the columns its worker thread sent, the pool
 * lists its lists; for any other result (a parsed RESULT file) they read its lists.
 *
 * @example
 * ```ts
 * import { clearCycle, resultColumns } from 'microgrid-clearing';
 * const result = clearCycle(
 *   { offers: [{ id: 's1', participant: 'p1', carrier: 'electricity', quantity: '10', price: '0.30' }],
 *     bids: [{ id: 'c2', participant: 'h2', carrier: 'electricity', quantity: '8', price: '0.35' }] },
 *   {},
 *   { timestamp: '2026-01-01T00:00:30Z' },
 * );
 * const trades = resultColumns(result).trades;
 * for (let i = 0; i < trades.length; i++) console.log(trades.buyer(i), trades.amount(i)); // h2 2.6
 * ```
 */
export function resultColumns(result: CycleResult): ResultColumns {
  const own = (result as unknown as Record<symbol, ResultColumns | undefined>)[COLUMNS];
  if (own !== undefined) return own;
  return Object.freeze({
    trades: listColumns(result.trades, TRADE_KEYS),
    poolPurchases: listColumns(result.poolPurchases, POOL_PURCHASE_KEYS),
    poolTrades: listColumns(result.poolTrades, POOL_TRADE_KEYS),
  });
}

/** Columns over the cycle log, each list with a cursor of its own. */
function logColumns(cx: CycleContext): ResultColumns {
  const { book, tables, log, cfg } = cx;
  const purchase = new PurchaseCursor(book, tables, log, cfg);
  const poolTrade = new PoolTradeCursor(book, tables, log);
  return Object.freeze({
    trades: cursorColumns(new TradeCursor(book, tables, log.trades), log.trades.length),
    poolPurchases: new PoolPurchaseColumns(log.purchases.length, (i) =>
      purchase.at(checked(i, log.purchases.length)),
    ),
    poolTrades: new PoolTradeColumns(log.poolTrades.length, (i) =>
      poolTrade.at(checked(i, log.poolTrades.length)),
    ),
  });
}

/** `i`, if it is an index of a list of `length`; else a RangeError. */
function checked(i: number, length: number): number {
  if (Number.isInteger(i) && i >= 0 && i < length) return i;
  throw new RangeError(`index ${String(i)} is out of range: the list has ${length} records`);
}

/** Columns over a list of objects. */
function listColumns<T extends object>(list: readonly T[], keys: readonly (keyof T)[]): Columns<T> {
  const row = (i: number) => list[checked(i, list.length)]!;
  const columns: Record<string | symbol | number, unknown> = {
    length: list.length,
    at: row,
  };
  for (const key of keys) columns[key] = (i: number) => row(i)[key];
  return Object.freeze(columns) as Columns<T>;
}

/** `result.trades`: the `length` trades of `cursor` as frozen objects, their texts made in runs. */
function tradeList(cursor: TradeCursor, length: number): readonly Trade[] {
  const run = new TradeTextRun(cursor, length);
  return listOf(length, (i) => tradeObject(run.at(i)));
}

function listOf<T>(length: number, make: (i: number) => T): readonly T[] {
  const out: T[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = make(i);
  return Object.freeze(out);
}

/** What the outcome of an order reads: a cycle's context, or its {@link OutcomesTransfer}. */
type OutcomeSource = Pick<OutcomesTransfer, 'quantityScale'> & {
  readonly book: { readonly bids: OrderFacts; readonly offers: OrderFacts };
  readonly log: OutcomesTransfer['log'];
};

function bidOutcome(cx: OutcomeSource, i: number): BidOutcome {
  const bids = cx.book.bids;
  const orders = cx.log.orders;
  const qs = cx.quantityScale;
  const q = bids.q[i]!;
  const p2pLeft = orders.bidP2pLeft[i]!;
  const finalLeft = orders.bidFinalLeft[i]!;
  const out: { -readonly [K in keyof BidOutcome]: BidOutcome[K] } = {
    bidId: bids.id[i]!,
    carrier: CARRIERS[bids.carrier[i]!]!,
    quantity: formatScaled(q, qs),
    p2pFilled: formatScaled(q - p2pLeft, qs),
    poolFilled: formatScaled(p2pLeft - finalLeft, qs),
    unfilled: formatScaled(finalLeft, qs),
    status: finalLeft === 0 ? 'filled' : finalLeft === q ? 'unfilled' : 'partial',
  };
  const reason = BID_REASONS[orders.bidReason[i]!];
  const poolReason = BID_REASONS[orders.bidPoolReason[i]!];
  if (reason !== undefined) out.reason = reason;
  if (poolReason !== undefined) out.poolReason = poolReason;
  return Object.freeze(out);
}

function offerOutcome(cx: OutcomeSource, i: number): OfferOutcome {
  const offers = cx.book.offers;
  const orders = cx.log.orders;
  const qs = cx.quantityScale;
  const q = offers.q[i]!;
  const p2pLeft = orders.offerP2pLeft[i]!;
  const absorbed = orders.offerAbsorbed[i]!;
  const unsold = p2pLeft - absorbed;
  const out: { -readonly [K in keyof OfferOutcome]: OfferOutcome[K] } = {
    offerId: offers.id[i]!,
    carrier: CARRIERS[offers.carrier[i]!]!,
    quantity: formatScaled(q, qs),
    p2pSold: formatScaled(q - p2pLeft, qs),
    absorbed: formatScaled(absorbed, qs),
    unsold: formatScaled(unsold, qs),
  };
  const reason = UNSOLD_REASONS[orders.offerReason[i]!];
  if (unsold > 0 && reason !== undefined) out.reason = reason;
  return Object.freeze(out);
}

/** The average length of a {@link JsonTable}'s entries, rounded up: for sizing a buffer. */
function avgLength(table: JsonTable, count: number): number {
  return count === 0 ? 0 : Math.ceil(table.bytes.length / count);
}

const UTF8 = /* @__PURE__ */ new TextDecoder();

/** `JSON.stringify` of the P2P trades, written from the log without the objects. */
function tradesJson(cx: CycleContext): string {
  const { book, tables } = cx;
  const count = cx.log.trades.length;
  // Sized from the average JSON id and participant lengths: one buffer, no regrowth.
  const perTrade =
    160 +
    avgLength(tables.bids, book.bids.length) +
    avgLength(tables.offers, book.offers.length) +
    2 * avgLength(tables.parties, book.parties.names.length);
  const w = new ByteWriter(COLLECT, 2 + perTrade * count);
  w.byte(0x5b);
  for (let i = 0; i < count; i++) writeTradeJson(w, cx.tradeCursor.at(i), i === 0);
  w.byte(0x5d);
  return UTF8.decode(w.digest());
}

/** The fixed parts of bid and offer outcomes' JSON, in their field order (see `BidOutcome`). */
const O_BID_ID = asciiBytes('{"bidId":');
const O_NEXT_BID_ID = asciiBytes(',{"bidId":');
const O_CARRIER = CARRIERS.map((c) => asciiBytes(`,"carrier":"${c}","quantity":"`));
const O_OFFER_ID = asciiBytes('{"offerId":');
const O_NEXT_OFFER_ID = asciiBytes(',{"offerId":');
const O_P2P_FILLED = asciiBytes('","p2pFilled":"');
const O_POOL_FILLED = asciiBytes('","poolFilled":"');
const O_UNFILLED = asciiBytes('","unfilled":"');
const O_FILLED = asciiBytes('","status":"filled"');
const O_NOT_FILLED = asciiBytes('","status":"unfilled"');
const O_PARTIAL = asciiBytes('","status":"partial"');
const O_REASON = BID_REASONS.map((r) => asciiBytes(`,"reason":"${r}"`));
const O_POOL_REASON = BID_REASONS.map((r) => asciiBytes(`,"poolReason":"${r}"`));
const O_P2P_SOLD = asciiBytes('","p2pSold":"');
const O_ABSORBED = asciiBytes('","absorbed":"');
const O_UNSOLD = asciiBytes('","unsold":"');
const O_UNSOLD_REASON = UNSOLD_REASONS.map((r) => asciiBytes(`","reason":"${r}"}`));
const O_CLOSE = asciiBytes('"}');

/** `JSON.stringify` of the bid outcomes, written from the log without the objects. */
function bidOutcomesJson(cx: CycleContext): string {
  const bids = cx.book.bids;
  const orders = cx.log.orders;
  const qs = cx.quantityScale;
  const w = new ByteWriter(
    COLLECT,
    2 + (200 + avgLength(cx.tables.bids, bids.length)) * bids.length,
  );
  w.byte(0x5b);
  for (let i = 0; i < bids.length; i++) {
    const q = bids.q[i]!;
    const p2pLeft = orders.bidP2pLeft[i]!;
    const finalLeft = orders.bidFinalLeft[i]!;
    w.bytes(i === 0 ? O_BID_ID : O_NEXT_BID_ID);
    w.entry(cx.tables.bids, i);
    w.bytes(O_CARRIER[bids.carrier[i]!]!);
    w.decimal(q, qs);
    w.bytes(O_P2P_FILLED);
    w.decimal(q - p2pLeft, qs);
    w.bytes(O_POOL_FILLED);
    w.decimal(p2pLeft - finalLeft, qs);
    w.bytes(O_UNFILLED);
    w.decimal(finalLeft, qs);
    w.bytes(finalLeft === 0 ? O_FILLED : finalLeft === q ? O_NOT_FILLED : O_PARTIAL);
    const reason = orders.bidReason[i]!;
    const poolReason = orders.bidPoolReason[i]!;
    if (reason !== 0) w.bytes(O_REASON[reason]!);
    if (poolReason !== 0) w.bytes(O_POOL_REASON[poolReason]!);
    w.byte(0x7d);
  }
  w.byte(0x5d);
  return UTF8.decode(w.digest());
}

/** `JSON.stringify` of the offer outcomes, written from the log without the objects. */
function offerOutcomesJson(cx: CycleContext): string {
  const offers = cx.book.offers;
  const orders = cx.log.orders;
  const qs = cx.quantityScale;
  const w = new ByteWriter(
    COLLECT,
    2 + (160 + avgLength(cx.tables.offers, offers.length)) * offers.length,
  );
  w.byte(0x5b);
  const offerAbsorbed = orders.offerAbsorbed;
  for (let i = 0; i < offers.length; i++) {
    const q = offers.q[i]!;
    const p2pLeft = orders.offerP2pLeft[i]!;
    const absorbed = offerAbsorbed[i]!;
    const unsold = p2pLeft - absorbed;
    w.bytes(i === 0 ? O_OFFER_ID : O_NEXT_OFFER_ID);
    w.entry(cx.tables.offers, i);
    w.bytes(O_CARRIER[offers.carrier[i]!]!);
    w.decimal(q, qs);
    w.bytes(O_P2P_SOLD);
    w.decimal(q - p2pLeft, qs);
    w.bytes(O_ABSORBED);
    w.decimal(absorbed, qs);
    w.bytes(O_UNSOLD);
    w.decimal(unsold, qs);
    const reason = orders.offerReason[i]!;
    w.bytes(unsold > 0 && reason !== 0 ? O_UNSOLD_REASON[reason]! : O_CLOSE);
  }
  w.byte(0x5d);
  return UTF8.decode(w.digest());
}

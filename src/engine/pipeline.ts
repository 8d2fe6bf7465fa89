/**
 * The cycle, step by step as in the paper (section 5.2) and docs/rules.md §3–11: for each
 * carrier, rank both sides (Eq. 1–2), match peer to peer (scenario 1), say why bids were left
 * short, let the pool absorb idle supply, serve the leftover demand from pool, storage and grid
 * lots (scenario 2, Eq. 3), and sum it up; then settle every account. Each step is a phase in a
 * module of its own that appends to the cycle log; the timing marks live only here.
 *
 * @module
 * @internal
 */
import type { FeeCalculator } from '../commission/commission.js';
import type { Scratch } from '../internal/arena.js';
import { type LeafStream, RecordLog } from '../ledger/merkle.js';
import { bookTables } from '../ledger/records.js';
import type { OrderColumns, ParsedBook } from '../model/columns.js';
import type { CycleResult } from '../model/result.js';
import { CARRIERS, type ResolvedConfig } from '../model/types.js';
import { absorbIdleSupply } from '../pool/absorb.js';
import { serveFromLots } from '../pool/scenario2.js';
import { rankingPolicy } from '../ranking/ranking.js';
import { Accounts } from '../settlement/settlement.js';
import type { CycleContext } from './context.js';
import { CycleLog } from './log.js';
import { feeRule, TradeMoney, TradeRef } from './money.js';
import { matchAtOptimum } from './optimal.js';
import { makeP2PTrades, matchP2P, rankCarrier } from './p2p.js';
import { recordP2PLeft } from './reasons.js';
import { PoolTradeCursor, PurchaseCursor, TradeCursor } from './records/cursors.js';
import { TradeSeal } from './records/seal.js';
import { carrierSummary, sumCounters } from './summary.js';

/** @internal What a cycle's phases hand to sealing: the result's fields but the lazy lists and block. */
export type CycleBody = Omit<
  CycleResult,
  'block' | 'trades' | 'poolPurchases' | 'poolTrades' | 'bidOutcomes' | 'offerOutcomes'
>;

/** @internal Runs every phase of a cycle over a validated book; the records are left to seal. */
export function runCycle(
  book: ParsedBook,
  cfg: ResolvedConfig,
  fees: FeeCalculator,
  leaves: LeafStream,
  resting: ReadonlySet<string> | undefined,
  mark: ((phase: string) => void) | undefined,
): { readonly cx: CycleContext; readonly body: CycleBody } {
  const cx = cycleContext(book, cfg, fees, leaves, resting);
  const { log, scratch } = cx;
  const offers = byCarrier(book.offers, scratch);
  const bids = byCarrier(book.bids, scratch);
  const storage = byCarrier(book.storage, scratch);
  for (let c = 0; c < CARRIERS.length; c++) {
    if (offers[c]!.length + bids[c]!.length + storage[c]!.length === 0) continue;
    // Everything but the log, the accounts and the records is this carrier's alone.
    const carrierMark = scratch.mark();
    mark?.('validate');
    const ranked = rankCarrier(cx, c, offers[c]!, bids[c]!);
    mark?.('rank');
    const p2p =
      cfg.mechanism === 'welfare-optimal' ? matchAtOptimum(cx, ranked) : matchP2P(cx, ranked);
    mark?.('match');
    const p2pVolume = makeP2PTrades(cx, ranked, p2p);
    mark?.('trades');
    recordP2PLeft(cx, ranked, p2p);
    const pool = absorbIdleSupply(cx, ranked, p2p.askLeft);
    const served = serveFromLots(cx, ranked, p2p.bidLeft, pool.lots, storage[c]!);
    mark?.('pool');
    log.summaries.push(
      carrierSummary(ranked, cx.quantityScale, p2pVolume, p2p.fillCount, pool, served),
    );
    scratch.release(carrierMark);
  }
  const settlement = cx.accounts.settle(cfg.currencyScale, cx.quantityScale);
  mark?.('settle');
  return {
    cx,
    body: {
      unsold: Object.freeze(log.unsold),
      supplyIdPool: Object.freeze(log.supplyIdPool),
      consumerIdRest: Object.freeze(log.consumerIdRest),
      counters: sumCounters(log.summaries.map((s) => s.counters)),
      carriers: Object.freeze(log.summaries),
      settlement,
    },
  };
}

/** Seals the records that follow the trades: pool purchases, then pool trades. */
export function sealPoolRecords(cx: CycleContext): void {
  cx.leaves.append(cx.purchaseRecords);
  cx.leaves.append(cx.poolTradeRecords);
}

function cycleContext(
  book: ParsedBook,
  cfg: ResolvedConfig,
  fees: FeeCalculator,
  leaves: LeafStream,
  resting: ReadonlySet<string> | undefined,
): CycleContext {
  const keep = book.arena.keep;
  const rule = feeRule(fees, book);
  const log = new CycleLog(book.bids.length, book.offers.length, keep, rule.custom);
  const tables = bookTables(book);
  const money = new TradeMoney();
  return {
    book,
    cfg,
    quantityScale: book.limits.quantityScale,
    priceScale: book.limits.priceScale,
    ranking: rankingPolicy(cfg.ranking),
    fees: rule,
    resting,
    tables,
    log,
    accounts: new Accounts(book.parties.names, keep),
    leaves,
    purchaseRecords: new RecordLog(),
    poolTradeRecords: new RecordLog(),
    tradeCursor: new TradeCursor(book, tables, log.trades),
    tradeSeal: new TradeSeal(book, tables, money, rule.custom),
    purchaseCursor: new PurchaseCursor(book, tables, log, cfg),
    poolTradeCursor: new PoolTradeCursor(book, tables, log),
    money,
    ref: new TradeRef(),
    scratch: book.arena.scratch,
  };
}

/**
 * Each side's input indices, carrier by carrier (typed arrays: a JS array of a million indices
 * grown by push leaves its smaller copies for a full collection to find).
 */
function byCarrier(side: OrderColumns, scratch: Scratch): Int32Array[] {
  const count = new Int32Array(CARRIERS.length);
  for (let i = 0; i < side.length; i++) count[side.carrier[i]!]!++;
  const lists = CARRIERS.map((_, c) => scratch.i32(count[c]!));
  count.fill(0);
  for (let i = 0; i < side.length; i++) {
    const c = side.carrier[i]!;
    lists[c]![count[c]!++] = i;
  }
  return lists;
}

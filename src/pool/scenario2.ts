/**
 * Scenario 2 (docs/rules.md §6): demand left after scenario 1 is served from the pool's lots,
 * storage lots and the grid, ranked by Eq. 3, matched with the same rules as scenario 1.
 *
 * @module
 * @internal
 */
import { scaledBigInt } from '../decimal/decimal.js';
import { mulScaled, Sum } from '../decimal/fixed.js';
import type { CycleContext } from '../engine/context.js';
import type { RankedCarrier } from '../engine/p2p.js';
import { poolReason } from '../engine/reasons.js';
import { writePoolTradeRecord } from '../engine/records/generated.js';
import { fillFrom } from '../internal/column.js';
import { match } from '../matching/match.js';
import { CARRIERS } from '../model/types.js';
import { type LotRow, rankLots } from '../ranking/ranking.js';

/** @internal What scenario 2 did for a carrier. */
export interface Served {
  /** Scaled volume by lot kind: pool, storage, grid. */
  readonly volumes: readonly [bigint, bigint, bigint];
  readonly trades: number;
  /** Bids scenario 1 did not fill at all. */
  readonly failedBids: number;
  /** Scaled demand left, and the bids that have some. */
  readonly unserved: bigint;
  readonly unservedBids: number;
}

/**
 * @internal Serves a ranked carrier's leftover demand (`bidLeft`, what scenario 1 left of each
 * bid, in rank order) from the pool's lots, the carrier's storage lots (input indices) and the
 * grid; each trade booked, logged and written as a record.
 */
export function serveFromLots(
  cx: CycleContext,
  r: RankedCarrier,
  bidLeft: Float64Array,
  poolLots: LotRow[],
  storage: Int32Array,
): Served {
  const { cfg, log, scratch, quantityScale: qs, priceScale: ps, money: m, ref: t } = cx;
  const orders = log.orders;
  const ci = r.carrier;
  const carrier = CARRIERS[ci]!;
  const lotsIn = cx.book.storage;
  let lots = poolLots;
  for (const i of storage)
    lots.push({ id: lotsIn.id[i]!, kind: 1, q: lotsIn.q[i]!, p: lotsIn.p[i]! });
  const grid = cfg.gridPrice[carrier];
  if (grid !== null)
    lots.push({
      id: 'grid',
      kind: 2,
      q: Number.POSITIVE_INFINITY,
      p: Number(scaledBigInt(grid, ps)),
    });
  lots = rankLots(lots, cx.ranking, scratch);
  const n = r.bidIndex.length;
  const s2 = match(
    {
      bidPrice: r.bidPrice,
      bidQty: bidLeft,
      bidParty: r.bidParty,
      bidAllOrNone: r.bidAllOrNone,
      askPrice: fillFrom(scratch.f64(lots.length), lots, (l) => l.p),
      askQty: fillFrom(scratch.f64(lots.length), lots, (l) => l.q),
      askParty: scratch.i32(lots.length).fill(-1),
    },
    scratch,
  );
  // Exact sums that stay numbers while they are safe: no bigint a trade.
  const volumes = [new Sum(), new Sum(), new Sum()] as const;
  const sales = [cx.accounts.poolSales, cx.accounts.storageSales, cx.accounts.gridSales];
  t.carrier = carrier;
  t.bidCount = n;
  t.supplyCount = lots.length;
  m.priceScale = ps;
  m.amountScale = ps + qs;
  for (let f = 0; f < s2.fillCount; f++) {
    const bi = s2.fillBid[f]!;
    const li = s2.fillAsk[f]!;
    const q = s2.fillQty[f]!;
    const lot = lots[li]!;
    volumes[lot.kind]!.addScaled(q, 0);
    t.bid = r.bidIndex[bi]!;
    t.q = q;
    t.bidRank = bi;
    t.supplyRank = li;
    t.lotId = lot.id;
    m.price = lot.p;
    m.amount = mulScaled(lot.p, q);
    // Built-in policies charge nothing on a pool trade (docs/rules.md §8); a custom one decides.
    cx.fees.pool(m, t);
    cx.accounts.buy(
      r.bidParty[bi]!,
      ci,
      q,
      m.amount,
      m.amountScale,
      m.consumerFee,
      m.consumerScale,
    );
    sales[lot.kind]!.addScaled(m.amount, m.amountScale);
    log.poolTrades.push(t.bid, lot, q, m);
    writePoolTradeRecord(
      cx.poolTradeRecords.out,
      cx.poolTradeCursor.at(log.poolTrades.length - 1, r.bidParty[bi]!),
    );
    cx.poolTradeRecords.end();
  }
  let cheapest = Number.POSITIVE_INFINITY;
  for (const l of lots) cheapest = Math.min(cheapest, l.p);
  const unserved = new Sum();
  let unservedBids = 0;
  let failedBids = 0;
  // In rank order, and by input index only for a bid scenario 1 left short (recordP2PLeft wrote
  // every final rest as scenario 1's): on a book of millions most bids were filled.
  for (let i = 0; i < n; i++) {
    const left = bidLeft[i]!;
    if (left === r.bidQty[i]) failedBids++;
    if (left === 0) continue;
    const finalLeft = s2.bidLeft[i]!;
    const index = r.bidIndex[i]!;
    orders.bidFinalLeft[index] = finalLeft;
    if (finalLeft > 0) {
      unserved.addScaled(finalLeft, 0);
      unservedBids++;
      log.consumerIdRest.push(cx.book.bids.id[index]!);
      orders.bidPoolReason[index] = poolReason(
        s2.allOrNoneRefused[i] === 1,
        lots.length,
        cheapest,
        r.bidPrice[i]!,
      );
    }
  }
  return {
    volumes: [volumes[0].v, volumes[1].v, volumes[2].v],
    trades: s2.fillCount,
    failedBids,
    unserved: unserved.v,
    unservedBids,
  };
}

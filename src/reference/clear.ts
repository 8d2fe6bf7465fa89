/**
 * The reference clearing engine: docs/rules.md as code. It clears a cycle with plain decimal.js
 * and linear scans, rule by rule, each in its own module (ranking §3, scenario 1 §4, the pool §5,
 * scenario 2 §6, commission §8, settlement §9, outcomes §7 and §10, the block §11). It shares no
 * computation with the fast engine (`src/engine/`, `src/matching/`, `src/ranking/`,
 * `src/settlement/`, `src/commission/`), and gives the same bytes: `test/reference/shared.test.ts`
 * runs both on every conformance vector, fixture and thousands of random books.
 *
 * @module
 */
import type { CommissionContext, CommissionTrade } from '../commission/commission.js';
import type {
  CarrierSummary,
  CycleResult,
  PoolPurchase,
  PoolTrade,
  Trade,
  UnsoldOffer,
} from '../model/result.js';
import {
  CARRIERS,
  type Carrier,
  type ClearingConfig,
  type OrderBook,
  type ResolvedConfig,
  type StorageLot,
} from '../model/types.js';
import type { ClearOptions } from '../validate/options.js';
import { canonical, dec } from './decimal.js';
import { type Commission, commissionOf } from './fees.js';
import { readInputs } from './inputs.js';
import { type BidState, bidState, type Lot, type OfferState, offerState } from './model.js';
import { bidOutcome, carrierSummary, offerOutcome, totalCounters, unsoldPart } from './outcomes.js';
import { type Fill, p2pReason, scenario1, tradePrice } from './p2p.js';
import { absorbIdleSupply } from './pool.js';
import { bidOrder, offerOrder, ranked } from './ranking.js';
import { blockOf, transactionRecords } from './records.js';
import { poolReason, scenario2, scenario2Lots } from './scenario2.js';
import { settle } from './settlement.js';

/**
 * Clears one cycle by the rules of docs/rules.md, written for reading rather than speed: the
 * executable form of that page. Same inputs, same checks and the same result as
 * {@link clearCycle}, byte for byte (its JSON and its block hash).
 *
 * @param book - the orders (an {@link OrderBook} or its JSON text), validated as `clearCycle` does.
 * @param config - configuration; defaults of docs/configuration.md for absent fields.
 * @param options - the cycle's timestamp, the previous block, the hasher, a custom commission.
 * @returns the cycle's {@link CycleResult}, frozen.
 * @throws {@link ValidationError} listing every problem of the book, config or timestamp.
 * @throws {@link ClearingError} for a timestamp earlier than the previous block's, a malformed
 *   previous block, or a custom commission policy returning an invalid fee.
 * @remarks An executable specification: each rule is a function citing its `docs/rules.md §N`,
 *   on decimal.js, with O(N·M) scans (every bid looks at every offer). Use it to read the rules,
 *   to check {@link clearCycle} against them, or to verify a block independently of the fast
 *   engine — not at production sizes: thousands of orders, not millions. A `Market`'s resting
 *   offers are not part of it.
 * @example
 * ```ts
 * import { clearCycle, clearCycleReference } from 'microgrid-clearing';
 * const book = {
 *   offers: [{ id: 's1', participant: 'pv-1', carrier: 'electricity' as const, quantity: '10', price: '0.30' }],
 *   bids: [{ id: 'c1', participant: 'home-1', carrier: 'electricity' as const, quantity: '4', price: '0.45' }],
 * };
 * const options = { timestamp: '2026-01-01T00:00:30Z' };
 * const reference = clearCycleReference(book, {}, options);
 * reference.trades[0]?.price; // '0.375'
 * reference.block.hash === clearCycle(book, {}, options).block.hash; // true
 * ```
 */
export function clearCycleReference(
  book: OrderBook | string,
  config: ClearingConfig | ResolvedConfig | undefined,
  options: ClearOptions,
): CycleResult {
  const inputs = readInputs(book, config, options);
  const cfg = inputs.config;
  const commission = commissionOf(cfg, inputs.commission);
  const bids = inputs.book.bids.map(bidState);
  const offers = inputs.book.offers.map(offerState);
  const storage = inputs.book.storage ?? [];

  const cycles: CarrierRecords[] = [];
  for (const carrier of CARRIERS) {
    const mine = <T extends { readonly carrier: Carrier }>(list: readonly T[]) =>
      list.filter((x) => x.carrier === carrier);
    const market = { bids: mine(bids), offers: mine(offers), storage: mine(storage) };
    // docs/rules.md §10: only carriers with an order or a lot have a market this cycle.
    if (market.bids.length + market.offers.length + market.storage.length === 0) continue;
    cycles.push(clearCarrier(carrier, market, cfg, commission));
  }

  const trades = cycles.flatMap((c) => c.trades);
  const poolPurchases = cycles.flatMap((c) => c.poolPurchases);
  const poolTrades = cycles.flatMap((c) => c.poolTrades);
  const counters = totalCounters(cycles.map((c) => c.summary.counters));
  const block = blockOf(transactionRecords(trades, poolPurchases, poolTrades), {
    book: inputs.book,
    config: cfg,
    timestamp: inputs.timestamp,
    previous: inputs.previous,
    hasher: inputs.hasher,
    counters,
  });
  return deepFreeze({
    trades,
    poolPurchases,
    poolTrades,
    unsold: cycles.flatMap((c) => c.unsold),
    supplyIdPool: cycles.flatMap((c) => c.supplyIdPool),
    consumerIdRest: cycles.flatMap((c) => c.consumerIdRest),
    counters,
    carriers: cycles.map((c) => c.summary),
    settlement: settle(trades, poolPurchases, poolTrades, cfg.currencyScale),
    bidOutcomes: bids.map(bidOutcome),
    offerOutcomes: offers.map(offerOutcome),
    block,
  });
}

/** One carrier's orders: each carrier is a market of its own (no trade crosses carriers). */
interface CarrierMarket {
  readonly bids: readonly BidState[];
  readonly offers: readonly OfferState[];
  readonly storage: readonly StorageLot[];
}

/** What one carrier's market made, in the order the result lists it. */
interface CarrierRecords {
  readonly trades: Trade[];
  readonly poolPurchases: PoolPurchase[];
  readonly poolTrades: PoolTrade[];
  readonly unsold: UnsoldOffer[];
  readonly supplyIdPool: string[];
  readonly consumerIdRest: string[];
  readonly summary: CarrierSummary;
}

/**
 * One carrier's cycle: rank (§3), scenario 1 (§4) and its reasons (§7), the pool (§5),
 * scenario 2 (§6) and its reasons (§7), with each trade's fees (§8) as it is made.
 */
function clearCarrier(
  carrier: Carrier,
  market: CarrierMarket,
  cfg: ResolvedConfig,
  commission: Commission,
): CarrierRecords {
  // The uniform-price auction fills in price-then-time priority: the unit-price ranking
  // (docs/rules.md §4, docs/configuration.md `mechanism`). As in clearCycle, that order then
  // serves the whole cycle — the pool's visit (§5), scenario 2's bids (§6), the priority
  // commission's ranks (§8) — though those sections say Eq. 1–2 (docs/reference.md, point 1).
  const ranking = cfg.mechanism === 'uniform-price' ? 'unit-price' : cfg.ranking;
  const bids = ranked(market.bids, bidOrder(ranking));
  const offers = ranked(market.offers, offerOrder(ranking));

  const s1 = scenario1(bids, offers, cfg);
  const trades = s1.fills.map((fill) =>
    p2pTrade(fill, cfg, s1.clearingPrice, bids.length, offers.length, commission),
  );
  for (const bid of bids) bid.reason = p2pReason(bid, market.offers, s1, cfg);

  const absorbed = absorbIdleSupply(carrier, offers, cfg);
  const buyPrice = cfg.poolBuyPrice[carrier];
  const poolPurchases = absorbed.map(
    ({ offer, quantity }): PoolPurchase => ({
      offerId: offer.id,
      seller: offer.participant,
      carrier,
      quantity: canonical(quantity),
      price: buyPrice,
      amount: canonical(dec(buyPrice).times(quantity)),
    }),
  );
  const unsold = offers
    .filter((offer) => unsoldPart(offer).gt(0))
    .map(
      (offer): UnsoldOffer => ({
        offerId: offer.id,
        carrier,
        quantity: canonical(unsoldPart(offer)),
        reason: offer.reason!,
      }),
    );

  const lots = scenario2Lots(carrier, absorbed, market.storage, cfg);
  const s2 = scenario2(bids, lots);
  const poolTrades = s2.fills.map((fill) => poolTrade(fill, bids.length, lots.length, commission));
  for (const bid of bids) bid.poolReason = poolReason(bid, lots, s2);

  const records = { trades, poolPurchases, poolTrades, unsold };
  return {
    ...records,
    supplyIdPool: absorbed.map(({ offer }) => offer.id),
    consumerIdRest: bids.filter((b) => b.left.gt(0)).map((b) => b.id),
    summary: carrierSummary({ carrier, bids, offers, ...records }),
  };
}

/** A P2P trade (docs/rules.md §4): its price, `amount = price × quantity`, and its fees (§8). */
function p2pTrade(
  fill: Fill<OfferState>,
  cfg: ResolvedConfig,
  clearingPrice: ReturnType<typeof scenario1>['clearingPrice'],
  bidCount: number,
  offerCount: number,
  commission: Commission,
): Trade {
  const { bid, supply: offer } = fill;
  const price = tradePrice(bid, offer, cfg, clearingPrice);
  const trade: CommissionTrade = {
    bidId: bid.id,
    supplyId: offer.id,
    carrier: bid.carrier,
    quantity: canonical(fill.quantity),
    price: canonical(price),
    amount: canonical(price.times(fill.quantity)),
  };
  const context: CommissionContext = {
    scenario: 'p2p',
    carrier: bid.carrier,
    bidRank: fill.bidRank,
    bidCount,
    supplyRank: fill.supplyRank,
    supplyCount: offerCount,
  };
  const fees = commission(trade, context);
  return {
    bidId: bid.id,
    offerId: offer.id,
    buyer: bid.participant,
    seller: offer.participant,
    carrier: bid.carrier,
    quantity: trade.quantity,
    price: trade.price,
    amount: trade.amount,
    supplierFee: canonical(fees.supplierFee),
    consumerFee: canonical(fees.consumerFee),
  };
}

/** A scenario 2 trade (docs/rules.md §6): at the lot's price, the buyer's fee by §8. */
function poolTrade(
  fill: Fill<Lot>,
  bidCount: number,
  lotCount: number,
  commission: Commission,
): PoolTrade {
  const { bid, supply: lot } = fill;
  const trade: CommissionTrade = {
    bidId: bid.id,
    supplyId: lot.id,
    carrier: bid.carrier,
    quantity: canonical(fill.quantity),
    price: canonical(lot.price),
    amount: canonical(lot.price.times(fill.quantity)),
  };
  const fees = commission(trade, {
    scenario: 'pool',
    carrier: bid.carrier,
    bidRank: fill.bidRank,
    bidCount,
    supplyRank: fill.supplyRank,
    supplyCount: lotCount,
  });
  return {
    bidId: bid.id,
    buyer: bid.participant,
    lotId: lot.id,
    source: lot.source,
    carrier: bid.carrier,
    quantity: trade.quantity,
    price: trade.price,
    amount: trade.amount,
    consumerFee: canonical(fees.consumerFee),
  };
}

/** Freezes a result and everything in it, as `clearCycle`'s result is. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The energy pool absorbs idle supply (docs/rules.md §5): what each offer has left after scenario
 * 1, in Eq. 2 order, bought at the carrier's fixed pool price up to the pool's capacity; the
 * platform then sells it again as pool lots at the pool's sell price in scenario 2.
 *
 * @module
 * @internal
 */
import { formatScaled, scaledBigInt } from '../decimal/decimal.js';
import { parse, Sum } from '../decimal/fixed.js';
import type { CycleContext } from '../engine/context.js';
import { unsoldCode } from '../engine/log.js';
import type { RankedCarrier } from '../engine/p2p.js';
import { writePoolPurchaseRecord } from '../engine/records/generated.js';
import { exact, nonZeroAt, times } from '../internal/column.js';
import { CARRIERS } from '../model/types.js';
import type { LotRow } from '../ranking/ranking.js';

/** @internal What the pool did with a carrier's idle supply. */
export interface Absorbed {
  /** The pool lots it will sell in scenario 2, in Eq. 2 order of the offers they came from. */
  readonly lots: LotRow[];
  /** Scaled totals: bought by the pool, and left unsold. */
  readonly absorbed: bigint;
  readonly unsold: bigint;
}

/**
 * @internal Runs the pool over a ranked carrier's offers: each purchase booked to the seller and
 * the platform and written as a record (sealed after every trade), each offer's rest and its
 * reason in the log. `askLeft` is what scenario 1 left of each offer, in rank order: on a book of
 * millions most offers have nothing left, and the pool visits only the others (found in one tight
 * pass, not by reading each offer's rest by input index, a cache miss a rank).
 */
export function absorbIdleSupply(
  cx: CycleContext,
  r: RankedCarrier,
  askLeft: Float64Array,
): Absorbed {
  const { cfg, log, quantityScale: qs, priceScale: ps } = cx;
  const offers = cx.book.offers;
  const orders = log.orders;
  const ci = r.carrier;
  const carrier = CARRIERS[ci]!;
  const buyPrice = cfg.poolBuyPrice[carrier];
  const buyFixed = parse(buyPrice);
  const buyV = exact(buyFixed.v);
  const amountScale = buyFixed.s + qs;
  log.purchases.amountScale[ci] = amountScale;
  const buyScaled = Number(scaledBigInt(buyPrice, ps));
  const sellScaled = Number(scaledBigInt(cfg.poolSellPrice[carrier], ps));
  const capacity = cfg.poolCapacity[carrier];
  let capLeft = capacity === null ? null : scaledBigInt(capacity, qs);
  const lots: LotRow[] = [];
  // Exact sums that stay numbers while they are safe: no bigint an offer.
  const absorbed = new Sum();
  const unsold = new Sum();
  const idle = cx.scratch.i32(askLeft.length);
  const idleCount = nonZeroAt(askLeft, idle);
  for (let k = 0; k < idleCount; k++) {
    const j = idle[k]!;
    const left = askLeft[j]!;
    const oi = r.askIndex[j]!;
    const id = offers.id[oi]!;
    if (cx.resting?.has(id)) {
      orders.offerReason[oi] = unsoldCode('resting');
      log.unsold.push(
        Object.freeze({
          offerId: id,
          carrier,
          quantity: formatScaled(left, qs),
          reason: 'resting',
        }),
      );
      unsold.addScaled(left, 0);
      continue;
    }
    let take = 0;
    if (cfg.absorb === 'all' || r.askPrice[j]! <= buyScaled) {
      take = capLeft === null || BigInt(left) <= capLeft ? left : Number(capLeft);
    }
    if (take > 0) {
      if (capLeft !== null) capLeft -= BigInt(take);
      absorbed.addScaled(take, 0);
      const amount = times(buyV, take);
      cx.accounts.sell(r.askParty[j]!, ci, take, amount, amountScale, 0, 0);
      cx.accounts.poolPurchases.addScaled(amount, amountScale);
      log.purchases.push(oi, take, amount);
      writePoolPurchaseRecord(
        cx.purchaseRecords.out,
        cx.purchaseCursor.at(log.purchases.length - 1, r.askParty[j]!),
      );
      cx.purchaseRecords.end();
      log.supplyIdPool.push(id);
      lots.push({ id, kind: 0, q: take, p: sellScaled });
    }
    if (left > take) {
      const reason =
        take === 0 && cfg.absorb !== 'all' && r.askPrice[j]! > buyScaled
          ? 'price_above_pool'
          : 'pool_capacity';
      orders.offerReason[oi] = unsoldCode(reason);
      unsold.addScaled(left - take, 0);
      log.unsold.push(
        Object.freeze({ offerId: id, carrier, quantity: formatScaled(left - take, qs), reason }),
      );
    }
  }
  return { lots, absorbed: absorbed.v, unsold: unsold.v };
}

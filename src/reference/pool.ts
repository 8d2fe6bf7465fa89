/**
 * The pool, docs/rules.md §5 (paper Eq. 3): after scenario 1, idle supply bought by the platform
 * at the pool's buying price, up to the pool's capacity; the rest is unsold, with its reason.
 *
 * @module
 * @internal
 */
import type { Carrier, ResolvedConfig } from '../model/types.js';
import { type Dec, dec, min } from './decimal.js';
import type { OfferState } from './model.js';

/** Energy the pool bought from one offer. */
export interface Absorption {
  readonly offer: OfferState;
  readonly quantity: Dec;
}

/**
 * docs/rules.md §5: visits the carrier's offers with quantity left in Eq. 2 order (`offers`,
 * ranked). Under `absorb: "compatible"` an offer is absorbed only if its price is at most the
 * pool's buying price; under `"all"`, every remainder. `poolCapacity` caps the carrier's total,
 * the offer crossing it absorbed in part. Sets each offer's `absorbed`, and the `reason` of what
 * stays unsold: `price_above_pool` when the price alone kept it out, else `pool_capacity`.
 */
export function absorbIdleSupply(
  carrier: Carrier,
  offers: readonly OfferState[],
  cfg: ResolvedConfig,
): Absorption[] {
  const buyPrice = dec(cfg.poolBuyPrice[carrier]);
  const capacity = cfg.poolCapacity[carrier];
  let room = capacity === null ? undefined : dec(capacity);
  const absorbed: Absorption[] = [];
  for (const offer of offers) {
    if (offer.left.isZero()) continue;
    const priceAllowed = cfg.absorb === 'all' || offer.price.lte(buyPrice);
    const take = !priceAllowed ? dec('0') : room === undefined ? offer.left : min(offer.left, room);
    if (take.gt(0)) {
      if (room !== undefined) room = room.minus(take);
      offer.absorbed = take;
      absorbed.push({ offer, quantity: take });
    }
    if (offer.left.gt(take)) offer.reason = priceAllowed ? 'pool_capacity' : 'price_above_pool';
  }
  return absorbed;
}

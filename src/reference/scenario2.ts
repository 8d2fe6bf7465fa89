/**
 * Scenario 2, docs/rules.md §6: the bids scenario 1 left short buy from the pool's lots, the
 * book's storage lots and the grid, at the lot's price; and why a bid is still short
 * (docs/rules.md §7).
 *
 * @module
 * @internal
 */
import type { BidReason } from '../model/result.js';
import type { Carrier, ResolvedConfig, StorageLot } from '../model/types.js';
import { dec } from './decimal.js';
import { type BidState, type Lot, storageLot } from './model.js';
import { type Served, serveInRankOrder } from './p2p.js';
import type { Absorption } from './pool.js';
import { lotOrder, ranked } from './ranking.js';

/**
 * The carrier's scenario 2 lots in Eq. 3 order (docs/rules.md §6, §3): one pool lot per absorbed
 * offer (the offer's id, at the pool's selling price), the book's storage lots, and with a grid
 * price one unlimited lot `grid`, last.
 */
export function scenario2Lots(
  carrier: Carrier,
  absorbed: readonly Absorption[],
  storage: readonly StorageLot[],
  cfg: ResolvedConfig,
): Lot[] {
  const sellPrice = dec(cfg.poolSellPrice[carrier]);
  const lots: Lot[] = absorbed.map(({ offer, quantity }) => ({
    id: offer.id,
    source: 'pool',
    quantity,
    price: sellPrice,
    participant: undefined,
    left: quantity,
  }));
  for (const lot of storage) lots.push(storageLot(lot));
  const grid = cfg.gridPrice[carrier];
  if (grid !== null) {
    const unlimited = dec('Infinity');
    lots.push({
      id: 'grid',
      source: 'grid',
      quantity: unlimited,
      price: dec(grid),
      participant: undefined,
      left: unlimited,
    });
  }
  return ranked(lots, lotOrder(cfg.ranking));
}

/**
 * docs/rules.md §6: the bids (ranked as in scenario 1) with quantity left take from the lots in
 * Eq. 3 order with the compatibility and all-or-none rules of scenario 1; the platform is never
 * the bidder. Afterwards each bid's `left` is what stays unserved.
 */
export function scenario2(bids: readonly BidState[], lots: readonly Lot[]): Served<Lot> {
  return serveInRankOrder(bids, lots);
}

/**
 * Why scenario 2 left part of a bid, docs/rules.md §7; `undefined` when nothing is left.
 * All-or-none refusals first; then no lot at all, every lot priced above the bid, or compatible
 * lots that were sold out.
 */
export function poolReason(
  bid: BidState,
  lots: readonly Lot[],
  s2: Served<Lot>,
): BidReason | undefined {
  if (bid.left.isZero()) return undefined;
  if (s2.refused.has(bid)) return 'all_or_none_unfillable';
  if (lots.length === 0) return 'no_pool_supply';
  if (lots.every((lot) => lot.price.gt(bid.price))) return 'pool_price_above_bid';
  return 'pool_exhausted';
}

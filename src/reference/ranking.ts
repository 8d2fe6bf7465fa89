/**
 * Ranking, docs/rules.md §3 (paper Eq. 1–3): the order in which bids are served, offers are
 * signalled and scenario 2 lots are taken. Every comparator is total, so a list's order never
 * depends on the order of the input arrays.
 *
 * @module
 * @internal
 */
import type { RankingName } from '../model/types.js';
import type { Dec } from './decimal.js';
import type { BidState, Lot, OfferState } from './model.js';

/** Ids compare by UTF-16 code units (`a < b`), never `localeCompare` (docs/rules.md §3). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The Eq. 1–3 value of an order: quantity × price, exact. */
function value(order: { readonly quantity: Dec; readonly price: Dec }): Dec {
  return order.quantity.times(order.price);
}

/**
 * Eq. 1 (docs/rules.md §3): bids by q × p descending (value ranking) or by p descending
 * (unit-price ranking); ties to the higher price, then the smaller `seq`, then the smaller `id`.
 */
export function bidOrder(ranking: RankingName): (a: BidState, b: BidState) => number {
  return (a, b) =>
    (ranking === 'value' ? value(b).comparedTo(value(a)) : 0) ||
    b.price.comparedTo(a.price) ||
    a.seq - b.seq ||
    compareIds(a.id, b.id);
}

/**
 * Eq. 2 (docs/rules.md §3): offers by q × p ascending (value ranking) or by p ascending
 * (unit-price ranking); ties to the lower price, then the smaller `seq`, then the smaller `id`.
 */
export function offerOrder(ranking: RankingName): (a: OfferState, b: OfferState) => number {
  return (a, b) =>
    (ranking === 'value' ? value(a).comparedTo(value(b)) : 0) ||
    a.price.comparedTo(b.price) ||
    a.seq - b.seq ||
    compareIds(a.id, b.id);
}

/** Eq. 3's tie-break between lot sources: pool lots before storage lots, the grid last. */
const SOURCE_ORDER = { pool: 0, storage: 1, grid: 2 } as const;

/**
 * Eq. 3 (docs/rules.md §3): scenario 2 lots by q × p ascending (value ranking) or by p ascending
 * (unit-price ranking); ties to the lower price, then pool before storage, then the smaller `id`.
 * The grid, unlimited, is always last.
 */
export function lotOrder(ranking: RankingName): (a: Lot, b: Lot) => number {
  return (a, b) => {
    if (a.source === 'grid' || b.source === 'grid')
      return SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source];
    return (
      (ranking === 'value' ? value(a).comparedTo(value(b)) : 0) ||
      a.price.comparedTo(b.price) ||
      SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] ||
      compareIds(a.id, b.id)
    );
  };
}

/** `list` sorted by `order`, as a new array. */
export function ranked<T>(list: readonly T[], order: (a: T, b: T) => number): T[] {
  return [...list].sort(order);
}

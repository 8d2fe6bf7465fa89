/**
 * The small book the engine clears once, before its first real cycle in a process, so that the
 * objects it makes keep V8's optimised code alive across garbage collections (see
 * `internal/shapes.ts` for why).
 *
 * Every carrier has P2P trades, idle supply the pool buys, demand the pool and a storage lot serve
 * and demand left unserved, so the warm-up makes an object of every class the phases use, and its
 * result's lists, columns and JSON are read as a user reads them.
 *
 * @module
 * @internal
 */
import type { Bid, Carrier, Offer, OrderBook, StorageLot } from '../model/types.js';

const CARRIERS: readonly Carrier[] = ['electricity', 'heat', 'cold', 'gas'];
/** Orders a side per carrier. */
const PER_CARRIER = 8;

/** @internal The warm-up book: 32 offers, 32 bids, 4 storage lots. */
export function exemplarBook(): OrderBook {
  const offers: Offer[] = [];
  const bids: Bid[] = [];
  const storage: StorageLot[] = [];
  for (const carrier of CARRIERS) {
    for (let i = 0; i < PER_CARRIER; i++) {
      // Offers from 0.05 up, bids from 0.60 down in steps of 0.05 (a crossing book): the cheap
      // offers trade, the dear ones go idle to the pool, the low bids are left to scenario 2.
      offers.push({
        id: `${carrier}-s${i}`,
        participant: `p${i % 5}`,
        carrier,
        quantity: `${3 + (i % 4)}.${i}`,
        price: `0.${String(5 + 5 * i).padStart(2, '0')}`,
      });
      bids.push({
        id: `${carrier}-c${i}`,
        participant: `h${i % 6}`,
        carrier,
        quantity: `${2 + (i % 5)}.${(7 * i) % 10}`,
        price: `0.${60 - 5 * i}`,
      });
    }
    storage.push({ id: `${carrier}-lot`, carrier, quantity: '1.5', price: '0.20' });
  }
  return { offers, bids, storage };
}

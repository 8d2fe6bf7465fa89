/**
 * The competitive equilibrium of one carrier's book: aggregate demand (bids by price, highest
 * first) against aggregate supply (offers by price, lowest first), orders divisible, walked up to
 * where the curves cross. It gives the welfare optimum (`allocationQuality`) and the uniform
 * clearing price (`mechanism: "uniform-price"`).
 *
 * The uniform price is the midpoint of the equilibrium price interval
 * `[max(last ask traded, next bid left), min(last bid traded, next ask left)]`: every price in it
 * trades the maximum volume and clears the market (no excess demand or supply among the orders
 * strictly inside the price), so it is where "maximise volume, then least imbalance" settles.
 * Self-trade and all-or-none constraints are not part of it.
 *
 * @module
 * @internal
 */
import type { Fixed } from '../decimal/fixed.js';

/** @internal An order's scaled price and quantity. */
export interface PricedQuantity {
  readonly p: number;
  readonly q: number;
}

/**
 * @internal Surplus (price scale + quantity scale), volume (quantity scale) and the equilibrium
 * price interval [low, high] (price scale).
 */
export interface Equilibrium {
  readonly surplus: bigint;
  readonly volume: bigint;
  readonly low: number;
  readonly high: number;
}

/** @internal The equilibrium, or `undefined` when no bid meets any offer. */
export function competitiveEquilibrium(
  offers: readonly PricedQuantity[],
  bids: readonly PricedQuantity[],
): Equilibrium | undefined {
  const demand = bids.map((b) => ({ p: b.p, q: b.q })).sort((a, b) => b.p - a.p);
  const supply = offers.map((o) => ({ p: o.p, q: o.q })).sort((a, b) => a.p - b.p);
  let surplus = 0n;
  let volume = 0n;
  let i = 0;
  let j = 0;
  let lastBid = Number.NaN;
  let lastAsk = Number.NaN;
  while (i < demand.length && j < supply.length && demand[i]!.p >= supply[j]!.p) {
    const d = demand[i]!;
    const s = supply[j]!;
    const take = Math.min(d.q, s.q);
    surplus += BigInt(d.p - s.p) * BigInt(take);
    volume += BigInt(take);
    lastBid = d.p;
    lastAsk = s.p;
    d.q -= take;
    s.q -= take;
    if (d.q === 0) i++;
    if (s.q === 0) j++;
  }
  if (volume === 0n) return undefined;
  const nextBid = i < demand.length ? demand[i]!.p : Number.NEGATIVE_INFINITY;
  const nextAsk = j < supply.length ? supply[j]!.p : Number.POSITIVE_INFINITY;
  return { surplus, volume, low: Math.max(lastAsk, nextBid), high: Math.min(lastBid, nextAsk) };
}

/** @internal The uniform clearing price at one more decimal than prices carry (a midpoint may need it). */
export function clearingPrice(
  bids: readonly PricedQuantity[],
  offers: readonly PricedQuantity[],
  priceScale: number,
): Fixed | undefined {
  const eq = competitiveEquilibrium(offers, bids);
  if (eq === undefined) return undefined;
  return { v: (BigInt(eq.low) + BigInt(eq.high)) * 5n, s: priceScale + 1 };
}

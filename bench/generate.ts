/**
 * Seeded synthetic order books for benchmarks (never part of pass/fail).
 */
import type { Bid, Carrier, Offer, OrderBook } from '../src/index.js';

/** mulberry32: a small seeded PRNG, so every run benchmarks the same book. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A decimal string with `scale` decimals from an integer count of units. */
function dec(units: number, scale: number): string {
  const s = String(units).padStart(scale + 1, '0');
  return `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

export type BookKind = 'random' | 'adversarial' | 'all-or-none' | 'four-carriers';

/**
 * - `random`: prices 0.05–0.95, quantities 0.1–100, 10 % of participants both buy and sell.
 * - `adversarial`: q × p order opposite to unit price on both sides, so the best-ranked bids are
 *   the cheapest and the best-ranked offers the dearest: a naive compatibility scan is quadratic.
 * - `all-or-none`: random, with a third of the bids all-or-none.
 * - `four-carriers`: random, spread over the four carriers.
 */
export function generateBook(kind: BookKind, n: number, seed = 42): OrderBook {
  const r = rng(seed);
  const carriers: Carrier[] =
    kind === 'four-carriers' ? ['electricity', 'heat', 'cold', 'gas'] : ['electricity'];
  const offers: Offer[] = new Array(n);
  const bids: Bid[] = new Array(n);
  const parties = Math.max(2, Math.floor(n / 4));
  for (let i = 0; i < n; i++) {
    const carrier = carriers[i % carriers.length]!;
    if (kind === 'adversarial') {
      // Offer i: unit price rises with i while q × p falls with i.
      const p = 100_000 + Math.floor((i / n) * 800_000); // 0.1 .. 0.9 (6 decimals)
      const q = Math.max(1, Math.floor(1e12 / p / (i + 1))); // value ~ 1e12 / (i + 1)
      offers[i] = {
        id: `s${i}`,
        participant: `p${i}`,
        carrier,
        quantity: dec(q, 6),
        price: dec(p, 6),
      };
      // Bid i: unit price falls with i while q × p falls with i too slowly: cheap bids rank first.
      const bp = 100_000 + Math.floor(((n - i) / n) * 800_000);
      const bq = Math.max(1, Math.floor((1e12 / bp) * (i + 1)));
      bids[i] = {
        id: `c${i}`,
        participant: `h${i}`,
        carrier,
        quantity: dec(bq, 6),
        price: dec(bp, 6),
      };
      continue;
    }
    const op = 50_000 + Math.floor(r() * 900_000);
    const oq = 100_000 + Math.floor(r() * 99_900_000);
    offers[i] = {
      id: `s${i}`,
      participant: `a${Math.floor(r() * parties)}`,
      carrier,
      quantity: dec(oq, 6),
      price: dec(op, 6),
    };
    const bp = 50_000 + Math.floor(r() * 900_000);
    const bq = 100_000 + Math.floor(r() * 99_900_000);
    const participant =
      r() < 0.1 ? `a${Math.floor(r() * parties)}` : `b${Math.floor(r() * parties)}`;
    const allOrNone = kind === 'all-or-none' && r() < 1 / 3;
    bids[i] = {
      id: `c${i}`,
      participant,
      carrier,
      quantity: dec(bq, 6),
      price: dec(bp, 6),
      ...(allOrNone ? { allOrNone } : {}),
    };
  }
  return { offers, bids };
}

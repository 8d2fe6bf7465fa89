/**
 * Allocation quality: how much of the gains from trade a cleared cycle realised, against the
 * competitive-equilibrium optimum of the same book and against the constrained optimum (the best
 * allocation that keeps the market's rules, `optimum.ts`).
 *
 * @module
 */
import { formatScaled } from '../decimal/decimal.js';
import { divide, format } from '../decimal/fixed.js';
import { competitiveEquilibrium } from '../matching/uniform.js';
import type { CycleResult } from '../model/result.js';
import {
  CARRIERS,
  type Carrier,
  type ClearingConfig,
  type OrderBook,
  type ResolvedConfig,
} from '../model/types.js';
import { validateBook } from '../validate/book.js';
import { toResolvedConfig } from '../validate/config.js';
import { carrierOptimum, type OptimumOptions, readMaxNodes } from './optimum.js';

/**
 * Welfare and volume of one carrier's market in a cycle.
 *
 * - `p2pWelfare = Σ (bid price − offer price) × quantity` over the P2P trades: the gains from trade
 *   (the trade price only splits them, so it does not enter).
 * - `poolWelfare = Σ (bid price − lot price) × quantity` over scenario 2 trades: what consumers
 *   gained buying from the platform's lots at the lots' prices.
 * - `optimum`: the competitive-equilibrium surplus of the same offers and bids — aggregate supply
 *   and demand as step curves (orders divisible, no all-or-none, self-trade allowed) and the area
 *   between them up to their crossing. It bounds every individually rational P2P allocation, so
 *   `efficiency = p2pWelfare / optimum ≤ 1`.
 * - `constrainedOptimum`: the largest gains of an allocation that keeps the market's rules
 *   (docs/rules.md §4: no self-trade, all-or-none bids whole or not at all; {@link constrainedOptimum}),
 *   so `p2pWelfare ≤ constrainedOptimum ≤ optimum` when `constrainedProven`, and
 *   `constrainedEfficiency = p2pWelfare / constrainedOptimum` says how close the mechanism came to
 *   what its own rules allow.
 *
 * @example
 * ```ts
 * const w: CarrierWelfare = {
 *   carrier: 'electricity', p2pWelfare: '1.6', poolWelfare: '0', optimum: '1.95', efficiency: '0.820513',
 *   volume: '15', optimalVolume: '15', unserved: '0', constrainedOptimum: '1.9', constrainedBound: '1.9',
 *   constrainedEfficiency: '0.842105', constrainedProven: true,
 * };
 * ```
 */
export interface CarrierWelfare {
  /** The market. */
  readonly carrier: Carrier;
  /** Gains from the P2P trades. */
  readonly p2pWelfare: string;
  /** Consumers' gains from scenario 2 trades at the lots' prices. */
  readonly poolWelfare: string;
  /** The competitive-equilibrium surplus of the offers and bids. */
  readonly optimum: string;
  /** p2pWelfare / optimum, rounded half-even to 6 decimals; `null` when the optimum is 0. */
  readonly efficiency: string | null;
  /** Energy traded P2P. */
  readonly volume: string;
  /** Energy traded at the competitive equilibrium. */
  readonly optimalVolume: string;
  /** Demand left unserved after scenario 2. */
  readonly unserved: string;
  /**
   * The largest gains from trade of an allocation keeping the rules (same carrier, bid price ≥
   * offer price, no self-trade, all-or-none bids whole or not at all): exact when
   * `constrainedProven`, otherwise the best allocation the search found.
   */
  readonly constrainedOptimum: string;
  /** No allocation keeping the rules gains more; equals `constrainedOptimum` when proven. */
  readonly constrainedBound: string;
  /**
   * p2pWelfare / constrainedOptimum, rounded half-even to 6 decimals; `null` when the constrained
   * optimum is 0. At most 1 when `constrainedProven`.
   */
  readonly constrainedEfficiency: string | null;
  /** Whether `constrainedOptimum` is proven optimal (false only when the search hit `maxNodes`). */
  readonly constrainedProven: boolean;
}

/**
 * Measures how good a cycle's allocation is, carrier by carrier.
 *
 * @param book - the book that was cleared.
 * @param result - its result.
 * @param config - the configuration it was cleared with (for the limits). @defaultValue `{}`
 * @param options - the budget of the constrained optimum's branch and bound
 *   ({@link OptimumOptions}). @defaultValue `{ maxNodes: 10000 }`
 * @returns one entry per carrier that has orders, in carrier order.
 * @throws {@link ValidationError} when the book is not valid.
 * @throws {@link ClearingError} `invalid_option` when `options.maxNodes` is not a whole number ≥ 1.
 * @remarks The optimum relaxes self-trade and all-or-none constraints, so it is an upper bound;
 *   with unit-price ranking on divisible books without self-trade pairs, efficiency is exactly 1.
 *   The constrained optimum keeps them (docs/rules.md §4), so it is what a mechanism could reach.
 * @example
 * ```ts
 * import { allocationQuality, clearCycle } from 'microgrid-clearing';
 * const book = {
 *   offers: [{ id: 's1', participant: 'p1', carrier: 'heat' as const, quantity: '2', price: '0.1' }],
 *   bids: [{ id: 'c1', participant: 'h1', carrier: 'heat' as const, quantity: '1', price: '0.3' }],
 * };
 * allocationQuality(book, clearCycle(book, {}, { timestamp: '2026-01-01T00:00:00Z' }))[0]?.efficiency; // '1'
 * ```
 */
export function allocationQuality(
  book: OrderBook | string,
  result: CycleResult,
  config?: ClearingConfig | ResolvedConfig,
  options?: OptimumOptions,
): CarrierWelfare[] {
  const maxNodes = readMaxNodes(options);
  const cfg = toResolvedConfig(config);
  const parsed = validateBook(book, cfg.limits);
  const qs = cfg.limits.quantityScale;
  const ps = cfg.limits.priceScale;
  const allBids = parsed.bids.rows();
  const allOffers = parsed.offers.rows();
  const bidPrice = new Map(allBids.map((b) => [b.id, b.p]));
  const offerPrice = new Map(allOffers.map((o) => [o.id, o.p]));
  const scaledQ = (text: string) => decimalToScaled(text, qs);
  const out: CarrierWelfare[] = [];
  for (const carrier of CARRIERS) {
    const offers = allOffers.filter((o) => o.carrier === carrier);
    const bids = allBids.filter((b) => b.carrier === carrier);
    if (offers.length + bids.length === 0) continue;
    let p2p = 0n;
    let volume = 0n;
    for (const t of result.trades) {
      if (t.carrier !== carrier) continue;
      const q = scaledQ(t.quantity);
      p2p += (BigInt(bidPrice.get(t.bidId)!) - BigInt(offerPrice.get(t.offerId)!)) * q;
      volume += q;
    }
    let pool = 0n;
    for (const t of result.poolTrades) {
      if (t.carrier !== carrier) continue;
      pool += (BigInt(bidPrice.get(t.bidId)!) - decimalToScaled(t.price, ps)) * scaledQ(t.quantity);
    }
    const eq = competitiveEquilibrium(offers, bids) ?? { surplus: 0n, volume: 0n };
    const unserved = result.carriers.find((c) => c.carrier === carrier)?.unserved ?? '0';
    const constrained = carrierOptimum(parsed, carrier, maxNodes)!;
    const best = constrained.gains;
    out.push(
      Object.freeze({
        carrier,
        p2pWelfare: format({ v: p2p, s: ps + qs }),
        poolWelfare: format({ v: pool, s: ps + qs }),
        optimum: format({ v: eq.surplus, s: ps + qs }),
        efficiency:
          eq.surplus === 0n ? null : format(divide({ v: p2p, s: 0 }, { v: eq.surplus, s: 0 }, 6)),
        volume: formatScaled(volume, qs),
        optimalVolume: formatScaled(eq.volume, qs),
        unserved,
        constrainedOptimum: constrained.result.gains,
        constrainedBound: constrained.result.bound,
        constrainedEfficiency:
          best === 0n ? null : format(divide({ v: p2p, s: 0 }, { v: best, s: 0 }, 6)),
        constrainedProven: constrained.result.proven,
      }),
    );
  }
  return out;
}

/** A canonical decimal string as an integer at `scale` (it has at most that many decimals). */
function decimalToScaled(text: string, scale: number): bigint {
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  return BigInt(int + frac.padEnd(scale, '0'));
}

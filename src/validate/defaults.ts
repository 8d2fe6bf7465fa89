/**
 * Every default of the configuration in one table (docs/configuration.md lists the same values):
 * what a field is when absent, the names it may take, and the ranges of its integers.
 *
 * @module
 */
import type { Limits } from '../model/types.js';

/**
 * The default limits.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from 'microgrid-clearing';
 * DEFAULT_LIMITS.quantityScale; // 6
 * ```
 */
export const DEFAULT_LIMITS: Limits = /* @__PURE__ */ Object.freeze({
  quantityScale: 6,
  priceScale: 6,
  maxQuantity: '1000000000',
  maxPrice: '1000000',
  maxOrders: 5_000_000,
  maxIdLength: 256,
});

/** @internal The ranges of the integer limits, with their defaults. */
export const LIMIT_RANGES = /* @__PURE__ */ Object.freeze({
  quantityScale: { min: 0, max: 15, fallback: DEFAULT_LIMITS.quantityScale },
  priceScale: { min: 0, max: 15, fallback: DEFAULT_LIMITS.priceScale },
  maxOrders: { min: 1, max: 100_000_000, fallback: DEFAULT_LIMITS.maxOrders },
  maxIdLength: { min: 1, max: 65_536, fallback: DEFAULT_LIMITS.maxIdLength },
});

/** @internal The configuration's defaults and choices, field by field. */
export const CONFIG_DEFAULTS = /* @__PURE__ */ Object.freeze({
  mechanism: {
    choices: ['jin2021', 'uniform-price', 'welfare-optimal'] as const,
    fallback: 'jin2021' as const,
  },
  ranking: { choices: ['value', 'unit-price'] as const, fallback: 'value' as const },
  /** The pricing coefficient k of each named rule; absent pricing is `midpoint`. */
  pricing: { midpoint: '0.5', ask: '0', bid: '1', fallback: '0.5' },
  /** The pool's buy and sell prices when neither they nor `fixedPrice` are given. */
  fixedPrice: '0.43',
  absorb: { choices: ['compatible', 'all'] as const, fallback: 'compatible' as const },
  commission: { kind: 'priority' as const, minRate: '0.005', maxRate: '0.02' },
  currencyScale: { min: 0, max: 18, fallback: 4 },
  leafSize: { min: 1, max: 1 << 20, fallback: 64 },
  idleCyclesBeforePool: { min: 1, max: 1_000_000, fallback: 1 },
  /** Decimals a rate may carry (docs/rules.md §8 rounds the priority rate to 8), and k. */
  rateScale: 8,
  kScale: 12,
});

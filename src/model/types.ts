/**
 * The models of docs/rules.md §1–2 and §9–10: orders, books, configuration and results. Everything is
 * readonly; decimals are canonical strings.
 *
 * @module
 */

/**
 * An energy carrier. Each carrier is a separate market in a cycle: no trade crosses carriers.
 *
 * @example
 * ```ts
 * const c: Carrier = 'heat';
 * ```
 */
export type Carrier = 'electricity' | 'heat' | 'cold' | 'gas';

/**
 * The carriers, in the fixed order results list them.
 *
 * @example
 * ```ts
 * import { CARRIERS } from 'microgrid-clearing';
 * CARRIERS.includes('gas'); // true
 * ```
 */
export const CARRIERS: readonly Carrier[] = /* @__PURE__ */ Object.freeze([
  'electricity',
  'heat',
  'cold',
  'gas',
] as const);

/**
 * A supply order ("energy supply body"): sell up to `quantity` at no less than `price` a unit.
 *
 * @example
 * ```ts
 * const s1: Offer = { id: 's1', participant: 'pv-7', carrier: 'electricity', quantity: '10', price: '0.30' };
 * ```
 */
export interface Offer {
  /** Unique among the book's offers. */
  readonly id: string;
  /** Who sells; a participant never trades with itself. */
  readonly participant: string;
  /** The market this order belongs to. */
  readonly carrier: Carrier;
  /** Energy offered, a decimal string > 0. */
  readonly quantity: string;
  /** The lowest unit price accepted, a decimal string ≥ 0. */
  readonly price: string;
  /** Submission sequence, smaller = earlier; the "first order" tie-breaker. Defaults to the position in the input. */
  readonly seq?: number;
}

/**
 * A demand order ("energy consumption body"): buy up to `quantity` at no more than `price` a unit.
 *
 * @example
 * ```ts
 * const c1: Bid = { id: 'c1', participant: 'home-3', carrier: 'electricity', quantity: '4', price: '0.45' };
 * ```
 */
export interface Bid {
  /** Unique among the book's bids. */
  readonly id: string;
  /** Who buys. */
  readonly participant: string;
  /** The market this order belongs to. */
  readonly carrier: Carrier;
  /** Energy wanted, a decimal string > 0. */
  readonly quantity: string;
  /** The highest unit price paid, a decimal string ≥ 0. */
  readonly price: string;
  /** Fill the whole quantity in this cycle or nothing. @defaultValue false */
  readonly allOrNone?: boolean;
  /** Submission sequence, smaller = earlier. Defaults to the position in the input. */
  readonly seq?: number;
}

/**
 * A platform-side storage lot (scenario 2): a battery or thermal store offering discharge to the pool.
 *
 * @example
 * ```ts
 * const b: StorageLot = { id: 'battery-1', carrier: 'electricity', quantity: '20', price: '0.40' };
 * ```
 */
export interface StorageLot {
  /** Unique among the book's storage lots. */
  readonly id: string;
  /** The market this lot serves. */
  readonly carrier: Carrier;
  /** Energy available, a decimal string > 0. */
  readonly quantity: string;
  /** Unit price, a decimal string ≥ 0. */
  readonly price: string;
  /** Submission sequence. Defaults to the position in the input. */
  readonly seq?: number;
}

/**
 * The orders of one cycle.
 *
 * @example
 * ```ts
 * const book: OrderBook = {
 *   offers: [{ id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '10', price: '0.30' }],
 *   bids: [{ id: 'c1', participant: 'home-1', carrier: 'electricity', quantity: '4', price: '0.45' }],
 * };
 * ```
 */
export interface OrderBook {
  /** Supply. */
  readonly offers: readonly Offer[];
  /** Demand. */
  readonly bids: readonly Bid[];
  /** Platform storage lots for scenario 2. @defaultValue [] */
  readonly storage?: readonly StorageLot[];
}

/**
 * A value for some carriers; absent carriers take a default.
 *
 * @example
 * ```ts
 * const capacity: ByCarrier<string> = { electricity: '250' };
 * ```
 */
export type ByCarrier<T> = { readonly [C in Carrier]?: T };

/**
 * A value for every carrier.
 *
 * @example
 * ```ts
 * const prices: EveryCarrier<string> = { electricity: '0.43', heat: '0.1', cold: '0.12', gas: '0.08' };
 * ```
 */
export type EveryCarrier<T> = { readonly [C in Carrier]: T };

/**
 * A value given once for all carriers or per carrier (absent carriers take the default).
 *
 * @example
 * ```ts
 * const price: PerCarrier<string> = { electricity: '0.43', heat: '0.12' };
 * ```
 */
export type PerCarrier<T> = T | ByCarrier<T>;

/**
 * How a P2P trade's unit price is set between the offer's ask and the bid's price (docs/rules.md §4):
 * `ask + k × (bid − ask)`. `midpoint` is k = 1/2, `ask` is k = 0 (pay-as-offer), `bid` is k = 1
 * (pay-as-bid), `{ k }` any decimal in [0, 1].
 *
 * @example
 * ```ts
 * const rule: PricingRule = { k: '0.25' };
 * ```
 */
export type PricingRule =
  | 'midpoint'
  | 'ask'
  | 'bid'
  | {
      /** The coefficient k, a decimal string in [0, 1]. */
      readonly k: string;
    };

/**
 * The built-in ranking policies (docs/rules.md §3): `value` is the paper's Eq. 1–3 (quantity × price);
 * `unit-price` is merit order.
 *
 * @example
 * ```ts
 * const r: RankingName = 'unit-price';
 * ```
 */
export type RankingName = 'value' | 'unit-price';

/**
 * The scenario 1 mechanisms (docs/rules.md §4, docs/configuration.md `mechanism`): the paper's
 * first-order matching, the uniform-price double auction, or clearing at the constrained welfare
 * optimum.
 *
 * @example
 * ```ts
 * const m: Mechanism = 'welfare-optimal';
 * ```
 */
export type Mechanism = 'jin2021' | 'uniform-price' | 'welfare-optimal';

/**
 * The built-in commission policies (docs/rules.md §8) as configuration.
 *
 * @example
 * ```ts
 * const c: CommissionConfig = { kind: 'priority', minRate: '0.005', maxRate: '0.02' };
 * ```
 */
export type CommissionConfig =
  | {
      /** Rate rising linearly with the bid's Eq. 1 rank. */
      readonly kind: 'priority';
      /** Rate of the first-ranked bid. @defaultValue "0.005" */
      readonly minRate?: string;
      /** Rate of the last-ranked bid. @defaultValue "0.02" */
      readonly maxRate?: string;
    }
  | {
      /** One rate for every P2P trade. */
      readonly kind: 'flat';
      /** The rate, a decimal string in [0, 1]. */
      readonly rate: string;
    }
  | {
      /** No commission. */
      readonly kind: 'none';
    };

/**
 * Input limits. Every scaled quantity and price must stay below 2^53, so
 * `maxQuantity × 10^quantityScale` and `maxPrice × 10^priceScale` must be ≤ 2^53 − 1.
 *
 * @example
 * ```ts
 * const limits: Partial<Limits> = { quantityScale: 3, maxOrders: 10_000 };
 * ```
 */
export interface Limits {
  /** Most decimals a quantity may carry. @defaultValue 6 */
  readonly quantityScale: number;
  /** Most decimals a price may carry. @defaultValue 6 */
  readonly priceScale: number;
  /** Largest quantity of one order. @defaultValue "1000000000" */
  readonly maxQuantity: string;
  /** Largest unit price. @defaultValue "1000000" */
  readonly maxPrice: string;
  /** Most orders (offers + bids + storage lots) in one book. @defaultValue 5000000 */
  readonly maxOrders: number;
  /** Longest id or participant name, in UTF-16 code units. @defaultValue 256 */
  readonly maxIdLength: number;
}

/**
 * Clearing configuration as written in a CONFIG file (docs/file-formats.md). Every field is optional.
 *
 * @example
 * ```ts
 * const config: ClearingConfig = { pricing: 'ask', fixedPrice: { electricity: '0.43', heat: '0.10' }, gridPrice: '0.60' };
 * ```
 */
export interface ClearingConfig {
  /**
   * `jin2021`: the paper's first-order matching, each trade priced by `pricing`. `uniform-price`:
   * a pay-as-clear double auction — one price per carrier, the midpoint of the competitive
   * equilibrium price interval (it maximises the volume traded and clears the market), orders on
   * the right side of it filled in price-then-time priority; `ranking` and `pricing` do not apply
   * to scenario 1. `welfare-optimal`: scenario 1 at the constrained welfare optimum (the largest
   * gains from trade any allocation keeping the rules can realise, docs/rules.md §4), each trade
   * priced by `pricing`; `ranking` orders its trades and commission ranks. Pool, scenario 2,
   * commission and settlement are the same for all three.
   * @defaultValue "jin2021"
   */
  readonly mechanism?: Mechanism;
  /** @defaultValue "value" */
  readonly ranking?: RankingName;
  /** @defaultValue "midpoint" */
  readonly pricing?: PricingRule;
  /** The pool's fixed price ("subject to the local tariff"). @defaultValue "0.43" */
  readonly fixedPrice?: PerCarrier<string>;
  /** What the pool pays suppliers for idle energy. @defaultValue fixedPrice */
  readonly poolBuyPrice?: PerCarrier<string>;
  /** What the pool charges consumers in scenario 2. @defaultValue fixedPrice */
  readonly poolSellPrice?: PerCarrier<string>;
  /** `compatible`: only offers priced ≤ the pool's buying price are absorbed; `all`: the paper's literal mode. @defaultValue "compatible" */
  readonly absorb?: 'compatible' | 'all';
  /** Most energy the pool absorbs per carrier; absent = unlimited. */
  readonly poolCapacity?: ByCarrier<string>;
  /** Unit price of an unlimited grid backstop lot, last in Eq. 3 order; absent = no grid. */
  readonly gridPrice?: PerCarrier<string>;
  /** @defaultValue `{ kind: 'priority', minRate: '0.005', maxRate: '0.02' }` */
  readonly commission?: CommissionConfig;
  /** Decimals money is rounded to at settlement (half-even). @defaultValue 4 */
  readonly currencyScale?: number;
  /** Most transaction records per Merkle leaf. @defaultValue 64 */
  readonly leafSize?: number;
  /** Cycles an offer may rest unfilled in a `Market` before its remainder goes to the pool. @defaultValue 1 */
  readonly idleCyclesBeforePool?: number;
  /** Input limits. */
  readonly limits?: Partial<Limits>;
}

/**
 * A configuration with every default filled in: what was cleared, and what `inputsHash` commits to.
 *
 * @example
 * ```ts
 * import { parseConfig, type ResolvedConfig } from 'microgrid-clearing';
 * const resolved: ResolvedConfig = parseConfig({});
 * resolved.poolBuyPrice.electricity; // '0.43'
 * ```
 */
export interface ResolvedConfig {
  /** The scenario 1 mechanism. */
  readonly mechanism: Mechanism;
  /** The ranking policy. */
  readonly ranking: RankingName;
  /** The pricing coefficient k as a canonical decimal (`midpoint` → `"0.5"`). */
  readonly pricingK: string;
  /** What the pool pays suppliers, per carrier. */
  readonly poolBuyPrice: EveryCarrier<string>;
  /** What the pool charges in scenario 2, per carrier. */
  readonly poolSellPrice: EveryCarrier<string>;
  /** Which idle offers the pool absorbs. */
  readonly absorb: 'compatible' | 'all';
  /** Pool capacity per carrier; `null` = unlimited. */
  readonly poolCapacity: EveryCarrier<string | null>;
  /** Grid backstop price per carrier; `null` = no grid. */
  readonly gridPrice: EveryCarrier<string | null>;
  /** The commission policy: a built-in one, or the id of a custom `CommissionPolicy`. */
  readonly commission: ResolvedCommission;
  /** Decimals money is rounded to at settlement. */
  readonly currencyScale: number;
  /** Records per Merkle leaf. */
  readonly leafSize: number;
  /** Cycles an offer rests unfilled in a `Market` before going to the pool. */
  readonly idleCyclesBeforePool: number;
  /** Input limits. */
  readonly limits: Limits;
}

/**
 * A resolved commission policy: every rate filled in, or a custom policy's id.
 *
 * @example
 * ```ts
 * const c: ResolvedCommission = { kind: 'priority', minRate: '0.005', maxRate: '0.02' };
 * ```
 */
export type ResolvedCommission =
  | {
      /** Rate rising linearly with the bid's Eq. 1 rank. */
      readonly kind: 'priority';
      /** Rate of the first-ranked bid. */
      readonly minRate: string;
      /** Rate of the last-ranked bid. */
      readonly maxRate: string;
    }
  | {
      /** One rate for every P2P trade. */
      readonly kind: 'flat';
      /** The rate. */
      readonly rate: string;
    }
  | {
      /** No commission. */
      readonly kind: 'none';
    }
  | {
      /** A user's `CommissionPolicy`. */
      readonly kind: 'custom';
      /** The policy's id. */
      readonly id: string;
    };

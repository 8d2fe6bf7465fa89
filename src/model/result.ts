/**
 * The result of a clearing cycle (docs/rules.md §9–10, docs/file-formats.md). Field names are part of the public contract.
 *
 * @module
 */
import type { ByCarrier, Carrier } from './types.js';

/**
 * A scenario 1 (peer-to-peer) trade. `amount = price × quantity`; fees are exact, unrounded.
 *
 * @example
 * ```ts
 * const t: Trade = { bidId: 'c3', offerId: 's3', buyer: 'h3', seller: 'p3', carrier: 'electricity', quantity: '2', price: '0.55', amount: '1.1', supplierFee: '0.01375', consumerFee: '0.01375' };
 * ```
 */
export interface Trade {
  /** The bid's id. */
  readonly bidId: string;
  /** The offer's id. */
  readonly offerId: string;
  /** The bid's participant. */
  readonly buyer: string;
  /** The offer's participant. */
  readonly seller: string;
  /** The market it cleared in. */
  readonly carrier: Carrier;
  /** Energy traded, > 0. */
  readonly quantity: string;
  /** Unit price: `ask + k × (bid − ask)` under the pricing rule. */
  readonly price: string;
  /** price × quantity, exact. */
  readonly amount: string;
  /** Commission the seller pays on this trade, exact. */
  readonly supplierFee: string;
  /** Commission the buyer pays on this trade, exact. */
  readonly consumerFee: string;
}

/**
 * Idle supply bought by the energy pool after scenario 1, paid by the platform.
 *
 * @example
 * ```ts
 * const p: PoolPurchase = { offerId: 's1', seller: 'p1', carrier: 'electricity', quantity: '2', price: '0.43', amount: '0.86' };
 * ```
 */
export interface PoolPurchase {
  /** The absorbed offer's id (also the pool lot's id). */
  readonly offerId: string;
  /** The offer's participant, paid by the platform. */
  readonly seller: string;
  /** The market. */
  readonly carrier: Carrier;
  /** Energy absorbed. */
  readonly quantity: string;
  /** The pool's buying price for the carrier. */
  readonly price: string;
  /** price × quantity, exact. */
  readonly amount: string;
}

/**
 * Where a scenario 2 lot comes from: the pool (an absorbed offer), a storage lot, or the grid backstop.
 *
 * @example
 * ```ts
 * const s: LotSource = 'storage';
 * ```
 */
export type LotSource = 'pool' | 'storage' | 'grid';

/**
 * A scenario 2 trade: a bid served by the platform from a pool, storage or grid lot at the lot's price.
 *
 * @example
 * ```ts
 * const t: PoolTrade = { bidId: 'c9', buyer: 'h9', lotId: 's1', source: 'pool', carrier: 'electricity', quantity: '2', price: '0.43', amount: '0.86', consumerFee: '0' };
 * ```
 */
export interface PoolTrade {
  /** The bid's id. */
  readonly bidId: string;
  /** The bid's participant. */
  readonly buyer: string;
  /** The pool lot's id is the absorbed offer's id; the grid lot's id is `grid`. */
  readonly lotId: string;
  /** Where the lot comes from. */
  readonly source: LotSource;
  /** The market. */
  readonly carrier: Carrier;
  /** Energy delivered, > 0. */
  readonly quantity: string;
  /** The lot's unit price. */
  readonly price: string;
  /** price × quantity, exact. */
  readonly amount: string;
  /** Commission the buyer pays (zero under the built-in policies). */
  readonly consumerFee: string;
}

/**
 * Why an offer's remainder was not sold.
 * `price_above_pool`: its price is above the pool's buying price (absorb = compatible);
 * `pool_capacity`: the pool was full; `resting`: a `Market` keeps it for a later cycle.
 *
 * @example
 * ```ts
 * const r: UnsoldReason = 'pool_capacity';
 * ```
 */
export type UnsoldReason = 'price_above_pool' | 'pool_capacity' | 'resting';

/**
 * Supply left unsold at the end of the cycle.
 * A `Market` also lists offers resting for a later cycle here, with reason `resting`.
 *
 * @example
 * ```ts
 * const u: UnsoldOffer = { offerId: 's9', carrier: 'heat', quantity: '3', reason: 'price_above_pool' };
 * ```
 */
export interface UnsoldOffer {
  /** The offer's id. */
  readonly offerId: string;
  /** The market. */
  readonly carrier: Carrier;
  /** Energy left unsold. */
  readonly quantity: string;
  /** Why it was not sold. */
  readonly reason: UnsoldReason;
}

/**
 * The paper's counters, named: `p2pTrades` (intnum1), `p2pFailedBids` (intnum2),
 * `poolTrades` (intnum3), `unservedBids` (intnum4).
 *
 * @example
 * ```ts
 * const c: Counters = { p2pTrades: 4, p2pFailedBids: 0, poolTrades: 0, unservedBids: 0 };
 * ```
 */
export interface Counters {
  /** intnum1: P2P trade records. */
  readonly p2pTrades: number;
  /** intnum2: bids that got nothing in scenario 1. */
  readonly p2pFailedBids: number;
  /** intnum3: scenario 2 trade records. */
  readonly poolTrades: number;
  /** intnum4: bids left in `consumerIdRest`. */
  readonly unservedBids: number;
}

/**
 * Volumes of one carrier's market in a cycle. Energy is conserved:
 * `offered = p2pVolume + absorbed + unsold`.
 *
 * @example
 * ```ts
 * import { clearCycle } from 'microgrid-clearing';
 * const r = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * r.carriers.length; // 0: only carriers with orders are listed
 * ```
 */
export interface CarrierSummary {
  /** The market. */
  readonly carrier: Carrier;
  /** Σ offer quantities. */
  readonly offered: string;
  /** Σ bid quantities. */
  readonly demanded: string;
  /** Σ P2P trade quantities. */
  readonly p2pVolume: string;
  /** Σ absorbed by the pool. */
  readonly absorbed: string;
  /** Σ offer remainders left unsold. */
  readonly unsold: string;
  /** Σ scenario 2 quantities from pool lots. */
  readonly poolVolume: string;
  /** Σ scenario 2 quantities from storage lots. */
  readonly storageVolume: string;
  /** Σ scenario 2 quantities from the grid backstop. */
  readonly gridVolume: string;
  /** Σ bid quantities left unserved. */
  readonly unserved: string;
  /** The paper's counters for this carrier. */
  readonly counters: Counters;
}

/**
 * Why a bid was not filled completely in scenario 1 (`reason`) or in scenario 2 (`poolReason`).
 *
 * - `no_compatible_offer`: no offer of another participant was priced at or below the bid.
 * - `self_trade_only`: the only offers priced at or below the bid were the bidder's own.
 * - `outranked`: higher-ranked bids took compatible supply this bid would otherwise have had.
 * - `insufficient_supply`: the bid took all compatible supply there was, and it was not enough.
 * - `all_or_none_unfillable`: compatible supply was left, but not enough to fill the bid whole.
 * - `below_clearing_price`: (uniform price) the bid is priced below its carrier's clearing price.
 * - `optimum_elsewhere`: (welfare-optimal) compatible supply was there — enough to fill an
 *   all-or-none bid whole — but the welfare-optimal allocation gives it to other bids: filling this
 *   bid (more) would not raise the gains from trade.
 * - `pool_price_above_bid`: every scenario 2 lot was priced above the bid.
 * - `pool_exhausted`: compatible scenario 2 lots existed but were sold out.
 * - `no_pool_supply`: scenario 2 had no lot of this carrier at all.
 *
 * @example
 * ```ts
 * const r: BidReason = 'outranked';
 * ```
 */
export type BidReason =
  | 'no_compatible_offer'
  | 'self_trade_only'
  | 'outranked'
  | 'insufficient_supply'
  | 'all_or_none_unfillable'
  | 'below_clearing_price'
  | 'optimum_elsewhere'
  | 'pool_price_above_bid'
  | 'pool_exhausted'
  | 'no_pool_supply';

/**
 * What happened to one bid.
 *
 * @example
 * ```ts
 * const o: BidOutcome = { bidId: 'c1', carrier: 'electricity', quantity: '4', p2pFilled: '4', poolFilled: '0', unfilled: '0', status: 'filled' };
 * ```
 */
export interface BidOutcome {
  /** The bid's id. */
  readonly bidId: string;
  /** The market. */
  readonly carrier: Carrier;
  /** What the bid asked for. */
  readonly quantity: string;
  /** Filled in scenario 1. */
  readonly p2pFilled: string;
  /** Filled in scenario 2. */
  readonly poolFilled: string;
  /** Left unserved: `quantity − p2pFilled − poolFilled`. */
  readonly unfilled: string;
  /** `filled`, `partial` or `unfilled`. */
  readonly status: 'filled' | 'partial' | 'unfilled';
  /** Why scenario 1 left some of it (absent when P2P filled it whole). */
  readonly reason?: BidReason;
  /** Why scenario 2 left some of it (absent when nothing is left). */
  readonly poolReason?: BidReason;
}

/**
 * What happened to one offer. `quantity = p2pSold + absorbed + unsold`.
 *
 * @example
 * ```ts
 * const o: OfferOutcome = { offerId: 's1', carrier: 'electricity', quantity: '10', p2pSold: '8', absorbed: '2', unsold: '0' };
 * ```
 */
export interface OfferOutcome {
  /** The offer's id. */
  readonly offerId: string;
  /** The market. */
  readonly carrier: Carrier;
  /** What the offer put up. */
  readonly quantity: string;
  /** Sold in scenario 1. */
  readonly p2pSold: string;
  /** Bought by the pool. */
  readonly absorbed: string;
  /** Left unsold. */
  readonly unsold: string;
  /** Why the unsold part was not sold (absent when nothing is unsold). */
  readonly reason?: UnsoldReason;
}

/**
 * Energy a participant bought and sold in one carrier.
 *
 * @example
 * ```ts
 * const e: EnergyFlow = { bought: '4', sold: '0' };
 * ```
 */
export interface EnergyFlow {
  /** Energy bought (P2P and scenario 2). */
  readonly bought: string;
  /** Energy sold (P2P and to the pool). */
  readonly sold: string;
}

/**
 * One participant's account for the cycle. `purchases`, `sales` and fees are exact; `paid` and
 * `received` are rounded half-even to `currencyScale`; `net = received − paid`.
 *
 * @example
 * ```ts
 * const a: ParticipantAccount = { participant: 'h1', energy: { electricity: { bought: '4', sold: '0' } }, purchases: '1.7', sales: '0', consumerFees: '0.034', supplierFees: '0', paid: '1.734', received: '0', net: '-1.734' };
 * ```
 */
export interface ParticipantAccount {
  /** The participant's name. */
  readonly participant: string;
  /** Energy bought and sold per carrier (only carriers it traded in). */
  readonly energy: ByCarrier<EnergyFlow>;
  /** Σ amounts bought (P2P and scenario 2), exact. */
  readonly purchases: string;
  /** Σ amounts sold (P2P and to the pool), exact. */
  readonly sales: string;
  /** Σ commissions paid as a buyer, exact. */
  readonly consumerFees: string;
  /** Σ commissions paid as a seller, exact. */
  readonly supplierFees: string;
  /** round(purchases + consumerFees). */
  readonly paid: string;
  /** round(sales − supplierFees). */
  readonly received: string;
  /** received − paid. */
  readonly net: string;
}

/**
 * The platform's account. `income = Σ paid − Σ received` exactly, and
 * `income = commissions + poolSales + storageSales + gridSales − poolPurchases + roundingResidue`.
 *
 * @example
 * ```ts
 * const p: PlatformAccount = { commissions: '0.1', poolPurchases: '0.86', poolSales: '0', storageSales: '0', gridSales: '0', roundingResidue: '0', income: '-0.76' };
 * ```
 */
export interface PlatformAccount {
  /** Σ all fees, exact. */
  readonly commissions: string;
  /** Σ paid to suppliers for absorbed energy, exact. */
  readonly poolPurchases: string;
  /** Σ scenario 2 sales from pool lots, exact. */
  readonly poolSales: string;
  /** Σ scenario 2 sales from storage lots, exact. */
  readonly storageSales: string;
  /** Σ scenario 2 sales from the grid backstop, exact. */
  readonly gridSales: string;
  /** What settlement rounding left with the platform (may be negative). */
  readonly roundingResidue: string;
  /** Σ paid by consumers − Σ received by suppliers. */
  readonly income: string;
}

/**
 * Who owes whom for the cycle. Money is conserved exactly:
 * `paidByConsumers = receivedBySuppliers + platform.income`.
 *
 * @example
 * ```ts
 * import { clearCycle } from 'microgrid-clearing';
 * const { settlement } = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * settlement.paidByConsumers; // '0'
 * ```
 */
export interface Settlement {
  /** Sorted by participant (UTF-16 code-unit order); built on first read. */
  readonly participants: readonly ParticipantAccount[];
  /** The platform's account. */
  readonly platform: PlatformAccount;
  /** Σ `paid` over participants. */
  readonly paidByConsumers: string;
  /** Σ `received` over participants. */
  readonly receivedBySuppliers: string;
  /** Decimals money was rounded to. */
  readonly currencyScale: number;
}

/**
 * A sealed cycle (docs/ledger.md). `hash = H(canonicalJson(header))` where the header is every field
 * but `hash`.
 *
 * @example
 * ```ts
 * import { clearCycle } from 'microgrid-clearing';
 * const { block } = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * block.height; // 0
 * ```
 */
export interface Block {
  /** 0 for the first block, then +1 a block. */
  readonly height: number;
  /** 64 zeros for the first block. */
  readonly previousHash: string;
  /** ISO 8601 UTC, given by the caller. */
  readonly timestamp: string;
  /** Merkle root of the transaction records (hex). */
  readonly merkleRoot: string;
  /** Hash of the canonical book and resolved config that were cleared (hex). */
  readonly inputsHash: string;
  /** The hasher's id, e.g. `sha256`. */
  readonly hasher: string;
  /** Records per Merkle leaf. */
  readonly leafSize: number;
  /** Records under the Merkle root. */
  readonly transactionCount: number;
  /** The cycle's counters (all carriers). */
  readonly counters: Counters;
  /** Hash of the header (hex). */
  readonly hash: string;
}

/**
 * A list of records read field by field, with no object made per record: `columns.price(i)` is
 * `list[i].price`, and `at(i)` gives record `i`'s object. Indices run from 0 to
 * `length − 1`; any other throws a `RangeError`. See {@link resultColumns}.
 *
 * @example
 * ```ts
 * import { type Columns, type Trade } from 'microgrid-clearing';
 * function volume(trades: Columns<Trade>): number {
 *   let n = 0;
 *   for (let i = 0; i < trades.length; i++) n += trades.quantity(i).length; // one string a field read
 *   return n;
 * }
 * ```
 */
export type Columns<T> = {
  /** The number of records. */
  readonly length: number;
  /** Record `i` as an object: made on each call for a result of `clearCycle`, else the list's own. */
  at(i: number): T;
} & { readonly [K in keyof T]-?: (i: number) => T[K] };

/**
 * The long record lists of a {@link CycleResult} as {@link Columns}: for bulk readers (a database
 * load, per-participant sums) that want each trade's fields without two million frozen objects.
 *
 * @example
 * ```ts
 * import { type ResultColumns } from 'microgrid-clearing';
 * function bought(columns: ResultColumns, buyer: string): number {
 *   let n = 0;
 *   for (let i = 0; i < columns.trades.length; i++) if (columns.trades.buyer(i) === buyer) n++;
 *   for (let i = 0; i < columns.poolTrades.length; i++) if (columns.poolTrades.buyer(i) === buyer) n++;
 *   return n;
 * }
 * ```
 */
export interface ResultColumns {
  /** Scenario 1 trades, as `result.trades`. */
  readonly trades: Columns<Trade>;
  /** Idle supply bought by the pool, as `result.poolPurchases`. */
  readonly poolPurchases: Columns<PoolPurchase>;
  /** Scenario 2 trades, as `result.poolTrades`. */
  readonly poolTrades: Columns<PoolTrade>;
}

/**
 * Everything one clearing cycle produced.
 *
 * `trades`, `poolPurchases`, `poolTrades`, `bidOutcomes`, `offerOutcomes` and
 * `settlement.participants` are enumerable getters that build their arrays on first read and then
 * keep them: a caller that only needs the block, the counters or the totals never pays for an
 * object per trade, order or participant.
 * `JSON.stringify`, spreading and deep-equality checks read them like plain fields.
 *
 * @example
 * ```ts
 * import { clearCycle, type CycleResult } from 'microgrid-clearing';
 * const result: CycleResult = clearCycle(
 *   { offers: [{ id: 's1', participant: 'p1', carrier: 'electricity', quantity: '10', price: '0.30' }],
 *     bids: [{ id: 'c2', participant: 'h2', carrier: 'electricity', quantity: '8', price: '0.35' }] },
 *   {},
 *   { timestamp: '2026-01-01T00:00:30Z' },
 * );
 * result.trades[0]?.price; // '0.325'
 * ```
 */
export interface CycleResult {
  /** Scenario 1 trades, carrier by carrier, in matching order. */
  readonly trades: readonly Trade[];
  /** Idle supply bought by the pool, carrier by carrier, in Eq. 2 order. */
  readonly poolPurchases: readonly PoolPurchase[];
  /** Scenario 2 trades, carrier by carrier, in matching order. */
  readonly poolTrades: readonly PoolTrade[];
  /** Offer remainders left unsold. */
  readonly unsold: readonly UnsoldOffer[];
  /** Ids of offers absorbed by the pool, in carrier then Eq. 2 order. */
  readonly supplyIdPool: readonly string[];
  /** Ids of bids not filled whole after scenario 2, in carrier then Eq. 1 order. */
  readonly consumerIdRest: readonly string[];
  /** The paper's counters over all carriers. */
  readonly counters: Counters;
  /** Per carrier, for carriers with any order or lot. */
  readonly carriers: readonly CarrierSummary[];
  /** Accounts and the platform's income. */
  readonly settlement: Settlement;
  /** One per bid, in input order. */
  readonly bidOutcomes: readonly BidOutcome[];
  /** One per offer, in input order. */
  readonly offerOutcomes: readonly OfferOutcome[];
  /** The block sealing the cycle. */
  readonly block: Block;
}

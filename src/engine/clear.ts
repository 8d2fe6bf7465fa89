/**
 * `clearCycle`: validate → rank → match (scenario 1) → pool → scenario 2 → commission → settle →
 * seal. Pure: the same book, config and options give the same bytes.
 *
 * @module
 */
import {
  type CommissionPolicy,
  type FeeCalculator,
  feeCalculator,
} from '../commission/commission.js';
import { formatLimbs, formatScaled, scaledBigInt } from '../decimal/decimal.js';
import { type Fixed, format, mulLimbs, mulScaled, parse, pow10 } from '../decimal/fixed.js';
import { ClearingError, type Issue, ValidationError } from '../errors.js';
import { type ChainTip, sealBlock } from '../ledger/block.js';
import { asciiBytes, ByteWriter, COLLECT, type JsonTable } from '../ledger/byte-writer.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import { type BlockHasher, sha256Hasher, toHex } from '../ledger/hasher.js';
import { LeafStream, RecordLog } from '../ledger/merkle.js';
import { type BookTables, bookTables, writeInputs } from '../ledger/records.js';
import { timestampProblem } from '../ledger/timestamp.js';
import { CompatibleCapacity } from '../matching/capacity.js';
import { match } from '../matching/match.js';
import { clearingPrice } from '../matching/uniform.js';
import { type Allocator, type Arena, cycleArena, type Scratch } from '../memory/arena.js';
import type {
  BidOutcome,
  BidReason,
  CarrierSummary,
  Counters,
  CycleResult,
  LotSource,
  OfferOutcome,
  PoolPurchase,
  PoolTrade,
  Trade,
  UnsoldOffer,
  UnsoldReason,
} from '../model/result.js';
import {
  CARRIERS,
  type Carrier,
  type ClearingConfig,
  type OrderBook,
  type ResolvedConfig,
} from '../model/types.js';
import {
  compareIds,
  type LotRow,
  type RankingPolicy,
  rankBids,
  rankingPolicy,
  rankLots,
  rankOffers,
} from '../ranking/ranking.js';
import { CARRIER_INDEX, Ledger } from '../settlement/settlement.js';
import { type OrderRow, type OrderSide, type ParsedBook, validateBook } from '../validate/book.js';
import { own } from '../validate/common.js';
import { toResolvedConfig, withCustomCommission } from '../validate/config.js';

/**
 * Options of one cycle: what the core cannot make up itself.
 *
 * @example
 * ```ts
 * const options: ClearOptions = { timestamp: '2026-01-01T00:00:30Z' };
 * ```
 */
export interface ClearOptions {
  /** ISO 8601 UTC, e.g. `2026-01-01T00:00:30Z`. The core never reads a clock. */
  readonly timestamp: string;
  /** The previous block (or its height, hash and timestamp); absent for the first block. */
  readonly previous?: ChainTip | undefined;
  /** @defaultValue {@link sha256Hasher} */
  readonly hasher?: BlockHasher | undefined;
  /** A custom commission policy; overrides `config.commission`, and its `id` is hashed into `inputsHash`. */
  readonly commission?: CommissionPolicy | undefined;
}

/** @internal Hooks for the stateful Market. */
export interface CycleHooks {
  /** Offers whose remainder rests in the book this cycle instead of going to the pool. */
  readonly resting?: ReadonlySet<string>;
  /**
   * Called as each phase ends (`validate`, `rank`, `match`, `trades`, `pool`, `settle`,
   * `records`, `seal`), so a benchmark can time them with its own clock.
   */
  readonly mark?: (phase: string) => void;
  /** Where the cycle's typed arrays come from (tests give a small or a poisoning one). */
  readonly arena?: (orders: number) => Arena;
}

/**
 * Clears one cycle: scenario 1 peer-to-peer matching, the energy pool, scenario 2, commission,
 * exact settlement, and the block that seals it.
 *
 * @param book - the orders (validated here; an {@link OrderBook} or its JSON text). Text as read
 *   from a file or a request is best passed as it is: in the form `JSON.stringify` writes, it is
 *   read straight into the engine's columns, with no object per order.
 * @param config - configuration; defaults of docs/configuration.md for absent fields.
 * @param options - the cycle's timestamp, the previous block, the hasher, a custom commission.
 * @returns the cycle's {@link CycleResult}, frozen.
 * @throws {@link ValidationError} listing every problem of the book, config or timestamp; or,
 *   before anything else is read, a previous block at height 2^53 − 1 (`previous.height`), which
 *   no block can follow.
 * @throws {@link ClearingError} for a timestamp earlier than the previous block's, a malformed
 *   previous block, or a custom commission policy returning an invalid fee.
 * @remarks docs/rules.md §3–11. Inputs are never mutated.
 * @example
 * ```ts
 * import { clearCycle } from 'microgrid-clearing';
 * const result = clearCycle(
 *   {
 *     offers: [
 *       { id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '10', price: '0.30' },
 *       { id: 's2', participant: 'pv-2', carrier: 'electricity', quantity: '5', price: '0.40' },
 *     ],
 *     bids: [{ id: 'c1', participant: 'home-1', carrier: 'electricity', quantity: '4', price: '0.45' }],
 *   },
 *   { pricing: 'midpoint' },
 *   { timestamp: '2026-01-01T00:00:30Z' },
 * );
 * result.trades.map((t) => `${t.bidId}←${t.offerId} ${t.quantity} @ ${t.price}`); // ['c1←s2 4 @ 0.425']
 * ```
 */
export function clearCycle(
  book: OrderBook | unknown,
  config: ClearingConfig | ResolvedConfig | undefined,
  options: ClearOptions,
): CycleResult {
  return clearWith(book, config, options, {});
}

/** @internal clearCycle with Market hooks. */
export function clearWith(
  book: OrderBook | unknown,
  config: ClearingConfig | ResolvedConfig | undefined,
  options: ClearOptions,
  hooks: CycleHooks,
): CycleResult {
  if (typeof options !== 'object' || options === null) {
    throw new ClearingError(
      'invalid_option',
      'clearCycle needs options with a timestamp: { timestamp: "2026-01-01T00:00:30Z" }',
    );
  }
  // Own properties only: a polluted `Object.prototype.commission` is no option.
  const timestamp = own(options, 'timestamp') as string;
  const commission = own(options, 'commission') as CommissionPolicy | undefined;
  const previous = previousOf(own(options, 'previous'));
  // Every problem at once: a bad timestamp does not hide the book's or the config's.
  const optionIssues: Issue[] = [];
  const problem = timestampProblem(timestamp);
  if (problem !== undefined)
    optionIssues.push({ path: 'timestamp', code: 'invalid_timestamp', message: problem });
  if (previous?.height === Number.MAX_SAFE_INTEGER) {
    // Refused before the cycle runs: its block, of height 2^53, would fail verifyChain.
    optionIssues.push({
      path: 'previous.height',
      code: 'out_of_range',
      message:
        "is 2^53 − 1, the last safe integer: no block can follow it (the next block's height would not be exact)",
    });
  }
  let cfg: ResolvedConfig;
  let parsed: ParsedBook;
  try {
    cfg = toResolvedConfig(config as ClearingConfig | ResolvedConfig | undefined);
    if (commission !== undefined) cfg = withCustomCommission(cfg, commission.id);
    parsed = validateBook(book, cfg.limits, hooks.arena ?? cycleArena);
  } catch (err) {
    if (optionIssues.length > 0 && err instanceof ValidationError)
      throw new ValidationError([...optionIssues, ...err.issues]);
    throw err;
  }
  if (optionIssues.length > 0) {
    parsed.arena.scratch.drop();
    throw new ValidationError(optionIssues);
  }
  hooks.mark?.('validate');
  const hasher = (own(options, 'hasher') as BlockHasher | undefined) ?? defaultHasher;
  const leaves = new LeafStream(cfg.leafSize, hasher);
  const cycle = new Cycle(parsed, cfg, feeCalculator(cfg, commission), hooks, leaves);
  const body = cycle.run();
  // The result keeps the validated columns and what the cycle made, never its scratch memory.
  parsed.arena.scratch.drop();
  cycle.sealRest();
  hooks.mark?.('records');
  const block = sealBlock({
    leaves: leaves.finish(),
    transactionCount: leaves.count,
    inputsHash: inputsHash(parsed, cfg, hooks, hasher, cycle.tables),
    timestamp,
    counters: body.counters,
    leafSize: cfg.leafSize,
    previous,
    hasher,
  });
  hooks.mark?.('seal');
  return assemble(body, block, cycle);
}

/**
 * The previous block's height, hash and timestamp, read once by own property (a block or a
 * {@link ChainTip}); sealing checks their form.
 */
function previousOf(value: unknown): ChainTip | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return value as ChainTip;
  const timestamp = own(value, 'timestamp') as string | undefined;
  const height = own(value, 'height') as number;
  const hash = own(value, 'hash') as string;
  return timestamp === undefined ? { height, hash } : { height, hash, timestamp };
}

/**
 * @internal A non-enumerable property of every result from {@link clearCycle}: fast JSON texts of
 * its large lists, written from the cycle's columns (`trades()` is `JSON.stringify(result.trades)`).
 * Worker threads use it; `JSON.stringify(result)` and equality checks do not see it.
 */
export const FAST_JSON: unique symbol = Symbol('microgrid-clearing.fastJson');

/** @internal The value of {@link FAST_JSON}. */
export interface FastJson {
  trades(): string;
  bidOutcomes(): string;
  offerOutcomes(): string;
}

/** The documented field order of a result (docs/file-formats.md lists these names). */
const RESULT_FIELDS = [
  'trades',
  'poolPurchases',
  'poolTrades',
  'unsold',
  'supplyIdPool',
  'consumerIdRest',
  'counters',
  'carriers',
  'settlement',
  'bidOutcomes',
  'offerOutcomes',
  'block',
] as const;

/**
 * The result, with `trades` and the outcome lists as enumerable getters that build (and keep)
 * their arrays on first read: a caller that never reads them — a benchmark, a service that only
 * settles — never holds an object per trade or order. JSON.stringify and equality checks read
 * them like plain fields.
 */
function assemble(body: CycleBody, block: CycleResult['block'], cycle: Cycle): CycleResult {
  const lazy: Record<string, () => unknown> = {
    trades: () => cycle.tradeList(),
    poolPurchases: () => cycle.purchaseList(),
    poolTrades: () => cycle.poolTradeList(),
    bidOutcomes: () => cycle.bidOutcomes(),
    offerOutcomes: () => cycle.offerOutcomes(),
  };
  const plain: Record<string, unknown> = { ...body, block };
  const result: Record<string, unknown> = {};
  for (const key of RESULT_FIELDS) {
    const make = lazy[key];
    if (make === undefined) {
      result[key] = plain[key];
      continue;
    }
    let value: unknown;
    Object.defineProperty(result, key, {
      enumerable: true,
      get: () => {
        value ??= make();
        return value;
      },
    });
  }
  const fast: FastJson = {
    trades: () => cycle.tradesJson(),
    bidOutcomes: () => cycle.bidOutcomesJson(),
    offerOutcomes: () => cycle.offerOutcomesJson(),
  };
  Object.defineProperty(result, FAST_JSON, { value: fast });
  return Object.freeze(result) as unknown as CycleResult;
}

/** @internal The hash of the canonical book and config: independent of input order given the `seq`s. */
export function inputsHash(
  parsed: ParsedBook,
  cfg: ResolvedConfig,
  hooks: CycleHooks,
  hasher: BlockHasher,
  tables: BookTables,
): string {
  const resting = hooks.resting === undefined ? [] : [...hooks.resting].sort(compareIds);
  const w = new ByteWriter(hasher);
  writeInputs(parsed, cfg, resting, tables, w);
  return toHex(w.digest());
}

type CycleBody = Omit<
  CycleResult,
  'block' | 'trades' | 'poolPurchases' | 'poolTrades' | 'bidOutcomes' | 'offerOutcomes'
>;

/** Reason codes stored per order in a byte: index into these lists (0 = none). */
const BID_REASONS: readonly (BidReason | undefined)[] = [
  undefined,
  'no_compatible_offer',
  'self_trade_only',
  'outranked',
  'insufficient_supply',
  'all_or_none_unfillable',
  'pool_price_above_bid',
  'pool_exhausted',
  'no_pool_supply',
  'below_clearing_price',
];
const UNSOLD_REASONS: readonly (UnsoldReason | undefined)[] = [
  undefined,
  'price_above_pool',
  'pool_capacity',
  'resting',
];
const bidCode = (r: BidReason) => BID_REASONS.indexOf(r);
const unsoldCode = (r: UnsoldReason) => UNSOLD_REASONS.indexOf(r);

/** What happened to every order, in typed arrays by input index: no object per order. */
class OrderState {
  readonly bidP2pLeft: Float64Array;
  readonly bidFinalLeft: Float64Array;
  readonly bidReason: Uint8Array;
  readonly bidPoolReason: Uint8Array;
  readonly offerP2pLeft: Float64Array;
  readonly offerAbsorbed: Float64Array;
  readonly offerReason: Uint8Array;
  constructor(
    bids: { readonly length: number },
    offers: { readonly length: number },
    memory: Allocator,
  ) {
    // Every entry is written when its carrier clears.
    this.bidP2pLeft = memory.f64(bids.length);
    this.bidFinalLeft = memory.f64(bids.length);
    this.bidReason = memory.u8(bids.length);
    this.bidPoolReason = memory.u8(bids.length);
    this.offerP2pLeft = memory.f64(offers.length);
    this.offerAbsorbed = memory.f64(offers.length);
    this.offerReason = memory.u8(offers.length);
  }
}

/** One cycle's work, carrier by carrier. */
class Cycle {
  private readonly policy: RankingPolicy;
  private readonly qs: number;
  private readonly ps: number;
  /** The pricing coefficient k, and 10^(decimals of k). */
  private readonly k: Fixed;
  private readonly kUnit: bigint;
  /** k and 10^(decimals of k) as numbers, for the safe-integer fast path. */
  private readonly kN: number;
  private readonly kUnitN: number;
  private readonly ledger: Ledger;
  /** Pool purchase and pool trade records wait for every carrier's trades to be sealed first. */
  private readonly purchaseRecords = new RecordLog();
  private readonly poolTradeRecords = new RecordLog();
  /** Pool purchases in columns: the offer's input index and the scaled quantity taken. */
  private readonly purchaseOffer: Column<Int32Array>;
  private readonly purchaseQty: Column<Float64Array>;
  /** Pool trades in columns: the bid's input index, the lot, the scaled quantity; custom fees. */
  private readonly poolBid: Column<Int32Array>;
  private readonly poolLot: LotRow[] = [];
  private readonly poolQty: Column<Float64Array>;
  private readonly poolFees: string[] = [];
  /**
   * Trades in columns, in sealing order: the bid's and offer's input index, the scaled quantity and
   * the bid's rank among its carrier's bids; `Trade` objects are built only when read.
   */
  private readonly tradeBid: Column<Int32Array>;
  /** Uniform-price mechanism: each carrier's clearing price. */
  private readonly clearing = new Map<Carrier, Fixed>();
  private readonly tradeOffer: Column<Int32Array>;
  private readonly tradeQty: Column<Float64Array>;
  private readonly tradeRank: Column<Int32Array>;
  private readonly tradeCount: Column<Int32Array>;
  /** The built-in P2P rate of the last (bid rank, bid count) asked for: a bid's trades come together. */
  // Stryker disable next-line UnaryOperator: either sentinel alone forces the first lookup (bid counts are ≥ 1)
  private rateRank = -1;
  // Stryker disable next-line UnaryOperator: either sentinel alone forces the first lookup (bid ranks are ≥ 0)
  private rateCount = -1;
  private rateV: number | bigint = 0;
  private rateS = 0;
  /** The money of the trade being made (built-in rates), reused: see {@link rateMoney}. */
  private readonly cur = new TradeMoney();
  /** The high limb written by `mulLimbs`. */
  private readonly limbHigh = new Float64Array(1);
  /** Fees from a custom policy, two strings a trade: a user's policy is called once a trade. */
  private readonly customFees: string[] = [];
  private readonly unsold: UnsoldOffer[] = [];
  private readonly supplyIdPool: string[] = [];
  private readonly consumerIdRest: string[] = [];
  private readonly summaries: CarrierSummary[] = [];
  private readonly state: OrderState;
  /** Every id and participant as JSON literal bytes, for the records and the inputs hash. */
  readonly tables: BookTables;

  constructor(
    private readonly parsed: ParsedBook,
    private readonly cfg: ResolvedConfig,
    private readonly fees: FeeCalculator,
    private readonly hooks: CycleHooks,
    /** Where records are sealed, in block order: trades as they are made, the rest after. */
    private readonly leaves: LeafStream,
  ) {
    this.policy = rankingPolicy(cfg.ranking);
    this.qs = parsed.limits.quantityScale;
    this.ps = parsed.limits.priceScale;
    this.k = parse(cfg.pricingK);
    this.kUnit = pow10(this.k.s);
    this.kN = Number(this.k.v);
    this.kUnitN = Number(this.kUnit);
    const keep = parsed.arena.keep;
    this.purchaseOffer = intColumn(keep);
    this.purchaseQty = numberColumn(keep);
    this.poolBid = intColumn(keep);
    this.poolQty = numberColumn(keep);
    this.tradeBid = intColumn(keep);
    this.tradeOffer = intColumn(keep);
    this.tradeQty = numberColumn(keep);
    this.tradeRank = intColumn(keep);
    this.tradeCount = intColumn(keep);
    this.state = new OrderState(parsed.bids, parsed.offers, keep);
    this.tables = bookTables(parsed);
    this.ledger = new Ledger(parsed.parties.names, keep);
  }

  run(): CycleBody {
    // Each side's input indices, carrier by carrier (typed arrays: a JS array of a million
    // indices grown by push leaves its smaller copies for a full collection to find).
    const scratch = this.parsed.arena.scratch;
    const byCarrier = (side: OrderSide) => {
      const count = new Int32Array(CARRIERS.length);
      for (let i = 0; i < side.length; i++) count[side.carrier[i]!]!++;
      const lists = CARRIERS.map((_, c) => scratch.i32(count[c]!));
      count.fill(0);
      for (let i = 0; i < side.length; i++) {
        const c = side.carrier[i]!;
        lists[c]![count[c]!++] = i;
      }
      return lists;
    };
    const offers = byCarrier(this.parsed.offers);
    const bids = byCarrier(this.parsed.bids);
    const storage = byCarrier(this.parsed.storage);
    for (let c = 0; c < CARRIERS.length; c++) {
      const o = offers[c]!;
      const b = bids[c]!;
      const s = storage[c]!;
      if (o.length + b.length + s.length === 0) continue;
      this.clearCarrier(CARRIERS[c]!, o, b, s);
    }
    const counters = sumCounters(this.summaries.map((s) => s.counters));
    const settlement = this.ledger.settle(this.cfg.currencyScale, this.qs, (name) =>
      this.parsed.parties.get(name),
    );
    this.hooks.mark?.('settle');
    return {
      unsold: Object.freeze(this.unsold),
      supplyIdPool: Object.freeze(this.supplyIdPool),
      consumerIdRest: Object.freeze(this.consumerIdRest),
      counters,
      carriers: Object.freeze(this.summaries),
      settlement,
    };
  }

  /** One outcome per bid, in input order (made on demand: an object an order adds up). */
  bidOutcomes(): readonly BidOutcome[] {
    return Object.freeze(
      Array.from({ length: this.parsed.bids.length }, (_, i) => this.bidOutcome(i)),
    );
  }

  /** One outcome per offer, in input order. */
  offerOutcomes(): readonly OfferOutcome[] {
    return Object.freeze(
      Array.from({ length: this.parsed.offers.length }, (_, i) => this.offerOutcome(i)),
    );
  }

  /** `JSON.stringify(this.bidOutcomes())`, written from the columns without the objects. */
  bidOutcomesJson(): string {
    const B = this.parsed.bids;
    const st = this.state;
    const qs = this.qs;
    const w = new ByteWriter(COLLECT, 2 + (200 + avgLength(this.tables.bids, B.length)) * B.length);
    w.byte(0x5b);
    for (let i = 0; i < B.length; i++) {
      const q = B.q[i]!;
      const p2pLeft = st.bidP2pLeft[i]!;
      const finalLeft = st.bidFinalLeft[i]!;
      w.bytes(i === 0 ? J_BID_ID : J_NEXT_BID_ID);
      w.entry(this.tables.bids, i);
      w.bytes(J_CARRIER[B.carrier[i]!]!);
      w.decimal(q, qs);
      w.bytes(O_P2P_FILLED);
      w.decimal(q - p2pLeft, qs);
      w.bytes(O_POOL_FILLED);
      w.decimal(p2pLeft - finalLeft, qs);
      w.bytes(O_UNFILLED);
      w.decimal(finalLeft, qs);
      w.bytes(finalLeft === 0 ? O_FILLED : finalLeft === q ? O_NOT_FILLED : O_PARTIAL);
      const reason = st.bidReason[i]!;
      const poolReason = st.bidPoolReason[i]!;
      if (reason !== 0) w.bytes(O_REASON[reason]!);
      if (poolReason !== 0) w.bytes(O_POOL_REASON[poolReason]!);
      w.byte(0x7d);
    }
    w.byte(0x5d);
    return UTF8.decode(w.digest());
  }

  /** `JSON.stringify(this.offerOutcomes())`, written from the columns without the objects. */
  offerOutcomesJson(): string {
    const O = this.parsed.offers;
    const st = this.state;
    const qs = this.qs;
    const w = new ByteWriter(
      COLLECT,
      2 + (160 + avgLength(this.tables.offers, O.length)) * O.length,
    );
    w.byte(0x5b);
    for (let i = 0; i < O.length; i++) {
      const q = O.q[i]!;
      const p2pLeft = st.offerP2pLeft[i]!;
      const absorbed = st.offerAbsorbed[i]!;
      const unsold = p2pLeft - absorbed;
      w.bytes(i === 0 ? O_OFFER_ID : O_NEXT_OFFER_ID);
      w.entry(this.tables.offers, i);
      w.bytes(J_CARRIER[O.carrier[i]!]!);
      w.decimal(q, qs);
      w.bytes(O_P2P_SOLD);
      w.decimal(q - p2pLeft, qs);
      w.bytes(O_ABSORBED);
      w.decimal(absorbed, qs);
      w.bytes(O_UNSOLD);
      w.decimal(unsold, qs);
      const reason = st.offerReason[i]!;
      w.bytes(unsold > 0 && reason !== 0 ? O_UNSOLD_REASON[reason]! : O_CLOSE);
    }
    w.byte(0x5d);
    return UTF8.decode(w.digest());
  }

  /** Seals the records that follow the trades: pool purchases, then pool trades. */
  sealRest(): void {
    this.leaves.append(this.purchaseRecords);
    this.leaves.append(this.poolTradeRecords);
  }

  private clearCarrier(
    carrier: Carrier,
    offerIndices: Int32Array,
    bidIndices: Int32Array,
    lotIndices: Int32Array,
  ): void {
    const B = this.parsed.bids;
    const O = this.parsed.offers;
    // Everything below but the records, outcomes and accounts is this carrier's alone.
    const scratch = this.parsed.arena.scratch;
    const carrierMark = scratch.mark();
    this.hooks.mark?.('validate');
    // A uniform-price auction fills in price-then-time priority: the unit-price ranking.
    const uniform = this.cfg.mechanism === 'uniform-price';
    const policy = uniform ? rankingPolicy('unit-price') : this.policy;
    // Input indices in rank order.
    const bids = rankBids(B, bidIndices, policy, scratch);
    const offers = rankOffers(O, offerIndices, policy, scratch);
    const n = bids.length;
    const m = offers.length;

    // Scenario 1: P2P. The ranked orders into columns of their own, one pass a side: every later
    // loop reads memory in rank order.
    const bidParty = scratch.i32(n);
    const bidPrice = scratch.f64(n);
    const bidQty = scratch.f64(n);
    const bidAllOrNone = scratch.u8(n);
    const bidIndex = scratch.i32(n);
    for (let i = 0; i < n; i++) {
      const b = bids[i]!;
      bidParty[i] = B.party[b]!;
      bidPrice[i] = B.p[b]!;
      bidQty[i] = B.q[b]!;
      bidAllOrNone[i] = B.allOrNone[b]!;
      bidIndex[i] = b;
    }
    const askPrice = scratch.f64(m);
    const askQty = scratch.f64(m);
    const askParty = scratch.i32(m);
    const askIndex = scratch.i32(m);
    for (let j = 0; j < m; j++) {
      const o = offers[j]!;
      askPrice[j] = O.p[o]!;
      askQty[j] = O.q[o]!;
      askParty[j] = O.party[o]!;
      askIndex[j] = o;
    }
    let matchAsk = askPrice;
    let matchBid = bidPrice;
    if (uniform) {
      // Only bids at or above the clearing price and offers at or below it take part; compared at
      // the clearing price's scale (one more decimal), exactly.
      const priced = (ps: Float64Array, qs: Float64Array) =>
        Array.from(ps, (p, i) => ({ p, q: qs[i]! }));
      const clearing = clearingPrice(priced(bidPrice, bidQty), priced(askPrice, askQty), this.ps);
      const at = clearing === undefined ? Number.NaN : Number(clearing.v);
      matchAsk = askPrice.map((p) => (p * 10 <= at ? p : Number.POSITIVE_INFINITY));
      matchBid = bidPrice.map((p) => (p * 10 >= at ? p : -1));
      // Stryker disable next-line ConditionalExpression: storing undefined reads back as absent
      if (clearing !== undefined) this.clearing.set(carrier, clearing);
    }
    this.hooks.mark?.('rank');
    const p2p = match(
      {
        bidPrice: matchBid,
        bidQty,
        bidParty,
        bidAllOrNone,
        askPrice: matchAsk,
        askQty,
        askParty,
      },
      scratch,
    );
    this.hooks.mark?.('match');
    // The P2P volume, exact: in number while that stays a safe integer, carried into a bigint past it.
    let volume = 0;
    let volumeCarry = 0n;
    const ci = CARRIER_INDEX[carrier];
    const tradesAfter = this.tradeBid.length + p2p.fillCount;
    for (const column of [this.tradeBid, this.tradeOffer, this.tradeRank, this.tradeCount])
      column.reserve(tradesAfter);
    this.tradeQty.reserve(tradesAfter);
    for (let f = 0; f < p2p.fillCount; f++) {
      const bi = p2p.fillBid[f]!;
      const oi = p2p.fillAsk[f]!;
      const q = p2p.fillQty[f]!;
      const t = volume + q;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the carry gives the same total (speed only)
      if (t <= Number.MAX_SAFE_INTEGER) volume = t;
      else {
        volumeCarry += BigInt(volume);
        volume = q;
      }
      if (this.fees.kind === 'rate') {
        this.rateTrade(
          carrier,
          ci,
          bi,
          n,
          bidPrice[bi]!,
          askPrice[oi]!,
          bidParty[bi]!,
          askParty[oi]!,
          bidIndex[bi]!,
          askIndex[oi]!,
          q,
        );
      } else this.customTrade(carrier, B.row(bids[bi]!), bi, n, O.row(offers[oi]!), oi, m, q);
    }
    this.hooks.mark?.('trades');
    let reasons: P2PReasons | undefined;
    const reasonsMark = scratch.mark();
    const st = this.state;
    for (let i = 0; i < n; i++) {
      const index = bidIndex[i]!;
      const left = p2p.bidLeft[i]!;
      st.bidP2pLeft[index] = left;
      st.bidFinalLeft[index] = left;
      if (left === 0) continue;
      if (matchBid[i] === -1) st.bidReason[index] = bidCode('below_clearing_price');
      else if (p2p.allOrNoneRefused[i] === 1)
        st.bidReason[index] = bidCode('all_or_none_unfillable');
      else {
        reasons ??= new P2PReasons(askPrice, askParty, askQty, this.parsed.parties.size, scratch);
        st.bidReason[index] = bidCode(reasons.of(bidPrice[i]!, bidParty[i]!, bidQty[i]! - left));
      }
    }
    scratch.release(reasonsMark);
    for (let j = 0; j < m; j++) st.offerP2pLeft[askIndex[j]!] = p2p.askLeft[j]!;

    // The pool absorbs idle supply in Eq. 2 order.
    const buyPrice = this.cfg.poolBuyPrice[carrier];
    const buyFixed = parse(buyPrice);
    const buyV = exact(buyFixed.v);
    const buyScaled = Number(scaledBigInt(buyPrice, this.ps));
    const sellScaled = Number(scaledBigInt(this.cfg.poolSellPrice[carrier], this.ps));
    const capacity = this.cfg.poolCapacity[carrier];
    let capLeft = capacity === null ? null : scaledBigInt(capacity, this.qs);
    let lots: LotRow[] = [];
    let absorbedTotal = 0n;
    let unsoldTotal = 0n;
    for (let j = 0; j < m; j++) {
      const oi = askIndex[j]!;
      const left = st.offerP2pLeft[oi]!;
      if (left === 0) continue;
      const id = O.id[oi]!;
      if (this.hooks.resting?.has(id)) {
        st.offerReason[oi] = unsoldCode('resting');
        this.unsold.push(
          Object.freeze({
            offerId: id,
            carrier,
            quantity: formatScaled(left, this.qs),
            reason: 'resting',
          }),
        );
        unsoldTotal += BigInt(left);
        continue;
      }
      let take = 0;
      if (this.cfg.absorb === 'all' || askPrice[j]! <= buyScaled) {
        // Stryker disable next-line EqualityOperator: at equality both branches take the same amount
        take = capLeft === null || BigInt(left) <= capLeft ? left : Number(capLeft);
      }
      if (take > 0) {
        if (capLeft !== null) capLeft -= BigInt(take);
        st.offerAbsorbed[oi] = take;
        absorbedTotal += BigInt(take);
        const amount = times(buyV, take);
        const amountScale = buyFixed.s + this.qs;
        this.ledger.sell(askParty[j]!, ci, take, amount, amountScale, 0, 0);
        this.ledger.poolPurchases.addScaled(amount, amountScale);
        this.purchaseOffer.push(oi);
        this.purchaseQty.push(take);
        // canonicalJson({ type: 'poolPurchase', ...purchase }), straight into bytes.
        const w = this.purchaseRecords.out;
        w.bytes(P_AMOUNT);
        w.decimal(amount, amountScale);
        w.bytes(P_CARRIER[ci]!);
        w.entry(this.tables.offers, oi);
        w.bytes(P_PRICE);
        w.text(buyPrice);
        w.bytes(P_QUANTITY);
        w.decimal(take, this.qs);
        w.bytes(P_SELLER);
        w.entry(this.tables.parties, askParty[j]!);
        w.bytes(P_END);
        this.purchaseRecords.end();
        this.supplyIdPool.push(id);
        lots.push({ id, kind: 0, q: take, p: sellScaled });
      }
      if (left > take) {
        const reason =
          take === 0 && this.cfg.absorb !== 'all' && askPrice[j]! > buyScaled
            ? 'price_above_pool'
            : 'pool_capacity';
        st.offerReason[oi] = unsoldCode(reason);
        unsoldTotal += BigInt(left - take);
        this.unsold.push(
          Object.freeze({
            offerId: id,
            carrier,
            quantity: formatScaled(left - take, this.qs),
            reason,
          }),
        );
      }
    }

    // Scenario 2: leftover demand from pool, storage and grid lots in Eq. 3 order.
    const S = this.parsed.storage;
    for (const i of lotIndices) lots.push({ id: S.id[i]!, kind: 1, q: S.q[i]!, p: S.p[i]! });
    const grid = this.cfg.gridPrice[carrier];
    if (grid !== null)
      lots.push({
        id: 'grid',
        kind: 2,
        q: Number.POSITIVE_INFINITY,
        p: Number(scaledBigInt(grid, this.ps)),
      });
    lots = rankLots(lots, this.policy, scratch);
    const bidLeft = scratch.f64(n);
    for (let i = 0; i < n; i++) bidLeft[i] = st.bidP2pLeft[bidIndex[i]!]!;
    const s2 = match(
      {
        bidPrice,
        bidQty: bidLeft,
        bidParty,
        bidAllOrNone,
        askPrice: fillFrom(scratch.f64(lots.length), lots, (l) => l.p),
        askQty: fillFrom(scratch.f64(lots.length), lots, (l) => l.q),
        askParty: scratch.i32(lots.length).fill(-1),
      },
      scratch,
    );
    const volumes = [0n, 0n, 0n];
    for (let f = 0; f < s2.fillCount; f++) {
      const bi = s2.fillBid[f]!;
      const li = s2.fillAsk[f]!;
      const q = s2.fillQty[f]!;
      const lot = lots[li]!;
      volumes[lot.kind] = volumes[lot.kind]! + BigInt(q);
      this.poolTrade(carrier, bids[bi]!, bidParty[bi]!, bi, n, lot, li, lots.length, q);
    }
    let minLot = Number.POSITIVE_INFINITY;
    for (const l of lots) minLot = Math.min(minLot, l.p);
    let unserved = 0n;
    let unservedBids = 0;
    let failed = 0;
    for (let i = 0; i < n; i++) {
      const index = bidIndex[i]!;
      if (bidLeft[i] === bidQty[i]) failed++;
      const finalLeft = s2.bidLeft[i]!;
      st.bidFinalLeft[index] = finalLeft;
      if (finalLeft > 0) {
        unserved += BigInt(finalLeft);
        unservedBids++;
        this.consumerIdRest.push(B.id[bids[i]!]!);
        st.bidPoolReason[index] = bidCode(
          s2.allOrNoneRefused[i] === 1
            ? 'all_or_none_unfillable'
            : lots.length === 0
              ? 'no_pool_supply'
              : minLot > bidPrice[i]!
                ? 'pool_price_above_bid'
                : 'pool_exhausted',
        );
      }
    }
    this.hooks.mark?.('pool');
    // Exact: summed in number while that stays a safe integer, carried into a bigint past it.
    const sum = (qs: Float64Array) => {
      let big = 0n;
      let small = 0;
      for (let i = 0; i < qs.length; i++) {
        const t = small + qs[i]!;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the carry gives the same total (speed only)
        if (t <= Number.MAX_SAFE_INTEGER) small = t;
        else {
          big += BigInt(small);
          small = qs[i]!;
        }
      }
      return big + BigInt(small);
    };
    const fmt = (v: bigint) => formatScaled(v, this.qs);
    this.summaries.push(
      Object.freeze({
        carrier,
        offered: fmt(sum(askQty)),
        demanded: fmt(sum(bidQty)),
        p2pVolume: fmt(volumeCarry + BigInt(volume)),
        absorbed: fmt(absorbedTotal),
        unsold: fmt(unsoldTotal),
        poolVolume: fmt(volumes[0]!),
        storageVolume: fmt(volumes[1]!),
        gridVolume: fmt(volumes[2]!),
        unserved: fmt(unserved),
        counters: Object.freeze({
          p2pTrades: p2p.fillCount,
          p2pFailedBids: failed,
          poolTrades: s2.fillCount,
          unservedBids,
        }),
      }),
    );
    scratch.release(carrierMark);
  }

  /** A P2P trade's exact price (the carrier's clearing price, or ask + k × (bid − ask)), scaled. */
  private priceOf(carrier: Carrier, bidP: number, askP: number): number | bigint {
    const c = this.clearing.get(carrier);
    if (c !== undefined) return exact(c.v);
    const x = askP * this.kUnitN;
    const y = this.kN * (bidP - askP);
    const v = x + y;
    if (Number.isSafeInteger(x) && Number.isSafeInteger(y) && Number.isSafeInteger(v)) return v;
    return BigInt(askP) * this.kUnit + this.k.v * BigInt(bidP - askP);
  }

  /** The scale of {@link priceOf}'s values for a carrier. */
  private priceScaleOf(carrier: Carrier): number {
    return this.clearing.get(carrier)?.s ?? this.ps + this.k.s;
  }

  /**
   * A trade's price, amount and built-in fee as scaled integers, into {@link cur}: no string and
   * no object a trade. The built-in rate is looked up once a bid (a bid's trades come together);
   * the fee is two number limbs while they stay safe integers, else a bigint.
   */
  private rateMoney(
    carrier: Carrier,
    bidP: number,
    askP: number,
    q: number,
    bidRank: number,
    bidCount: number,
  ): void {
    const fees = this.fees as Extract<FeeCalculator, { kind: 'rate' }>;
    const c = this.cur;
    c.priceScale = this.priceScaleOf(carrier);
    c.price = this.priceOf(carrier, bidP, askP);
    c.amount = times(c.price, q);
    c.amountScale = c.priceScale + this.qs;
    if (bidRank !== this.rateRank || bidCount !== this.rateCount) {
      const rate = fees.rate(bidRank, bidCount);
      this.rateRank = bidRank;
      this.rateCount = bidCount;
      this.rateV = exact(rate.v);
      this.rateS = rate.s;
    }
    c.fee = 0;
    c.feeHigh = 0;
    c.feeScale = 0;
    // biome-ignore lint/suspicious/noDoubleEquals: 0 and 0n alike
    if (this.rateV == 0) return;
    c.feeScale = this.rateS + c.amountScale;
    const lo =
      typeof c.amount === 'number' && typeof this.rateV === 'number'
        ? mulLimbs(this.rateV, c.amount, this.limbHigh)
        : -1;
    if (lo >= 0) {
      c.fee = lo;
      c.feeHigh = this.limbHigh[0]!;
    } else c.fee = times(this.rateV, c.amount);
  }

  /**
   * A P2P trade's money: price, amount and fees as canonical strings, the amount and fees also as
   * scaled integers (number when safe, bigint otherwise) for the ledger. With a custom policy, the
   * policy is called here (once a trade: `stored` ≥ 0 reads back the fees it gave).
   */
  private p2pMoney(
    carrier: Carrier,
    bid: OrderRow,
    offer: OrderRow,
    q: number,
    bidRank: number,
    bidCount: number,
    offerRank: number,
    offerCount: number,
    quantity: string,
    stored: number,
  ): P2PMoney {
    if (this.fees.kind === 'rate') {
      this.rateMoney(carrier, bid.p, offer.p, q, bidRank, bidCount);
      const c = this.cur;
      const feeText =
        typeof c.fee === 'number'
          ? formatLimbs(c.feeHigh, c.fee, c.feeScale)
          : formatScaled(c.fee, c.feeScale);
      return {
        price: formatScaled(c.price, c.priceScale),
        amount: formatScaled(c.amount, c.amountScale),
        amountV: c.amount,
        amountScale: c.amountScale,
        supplierFee: feeText,
        consumerFee: feeText,
        supplierV: c.fee,
        supplierScale: c.feeScale,
        consumerV: c.fee,
        consumerScale: c.feeScale,
        feeHigh: c.feeHigh,
      };
    }
    const priceScale = this.priceScaleOf(carrier);
    const price = this.priceOf(carrier, bid.p, offer.p);
    const amountV = times(price, q);
    const amountScale = priceScale + this.qs;
    const priceText = formatScaled(price, priceScale);
    const amountText = formatScaled(amountV, amountScale);
    if (stored >= 0) {
      // Trades read after the cycle: a user's policy was called once, its fees kept.
      return {
        price: priceText,
        amount: amountText,
        amountV,
        amountScale,
        supplierFee: this.customFees[2 * stored]!,
        consumerFee: this.customFees[2 * stored + 1]!,
        supplierV: 0,
        supplierScale: 0,
        consumerV: 0,
        consumerScale: 0,
        feeHigh: 0,
      };
    }
    const fees = this.fees.fees(
      {
        bidId: bid.id,
        supplyId: offer.id,
        carrier,
        quantity,
        price: priceText,
        amount: amountText,
      },
      {
        scenario: 'p2p',
        carrier,
        bidRank,
        bidCount,
        supplyRank: offerRank,
        supplyCount: offerCount,
      },
    );
    const supplierFee = format(fees.supplier);
    const consumerFee = format(fees.consumer);
    this.customFees.push(supplierFee, consumerFee);
    return {
      price: priceText,
      amount: amountText,
      amountV,
      amountScale,
      supplierFee,
      consumerFee,
      supplierV: fees.supplier.v,
      supplierScale: fees.supplier.s,
      consumerV: fees.consumer.v,
      consumerScale: fees.consumer.s,
      feeHigh: 0,
    };
  }

  /** Writes {@link cur}'s fee (into the pending leaf unless told where). */
  private writeFee(w: ByteWriter = this.leaves.out): void {
    const c = this.cur;
    if (typeof c.fee === 'number') w.limbs(c.feeHigh, c.fee, c.feeScale);
    else w.decimal(c.fee, c.feeScale);
  }

  /**
   * Seals a trade straight into the leaf bytes: `canonicalJson({ type: 'trade', ...trade })`, with
   * no string made. The money is {@link cur}'s (built-in rates) or, under a custom policy, `m`'s
   * canonical strings. The records property holds the sealed Merkle root equal to canonicalJson's.
   */
  private writeTrade(
    ci: number,
    bidIndex: number,
    bidParty: number,
    offerIndex: number,
    offerParty: number,
    q: number,
    m?: P2PMoney,
  ): void {
    const c = this.cur;
    const w = this.leaves.out;
    w.bytes(T_AMOUNT);
    if (m === undefined) w.decimal(c.amount, c.amountScale);
    else w.text(m.amount);
    w.bytes(T_BID_ID);
    w.entry(this.tables.bids, bidIndex);
    w.bytes(T_BUYER);
    w.entry(this.tables.parties, bidParty);
    w.bytes(T_CARRIER[ci]!);
    if (m === undefined) this.writeFee();
    else w.text(m.consumerFee);
    w.bytes(T_OFFER_ID);
    w.entry(this.tables.offers, offerIndex);
    w.bytes(T_PRICE);
    if (m === undefined) w.decimal(c.price, c.priceScale);
    else w.text(m.price);
    w.bytes(T_QUANTITY);
    w.decimal(q, this.qs);
    w.bytes(T_SELLER);
    w.entry(this.tables.parties, offerParty);
    w.bytes(T_SUPPLIER_FEE);
    if (m === undefined) this.writeFee();
    else w.text(m.supplierFee);
    w.bytes(T_END);
    this.leaves.end();
  }

  /**
   * A P2P trade at a built-in rate, from the ranked columns alone (no order object is read): the
   * money, the ledger, the sealed record, the trade's columns.
   */
  private rateTrade(
    carrier: Carrier,
    ci: number,
    bidRank: number,
    bidCount: number,
    bidP: number,
    askP: number,
    bidParty: number,
    askParty: number,
    bidIndex: number,
    askIndex: number,
    q: number,
  ): void {
    this.rateMoney(carrier, bidP, askP, q, bidRank, bidCount);
    const c = this.cur;
    this.ledger.buy(bidParty, ci, q, c.amount, c.amountScale, c.fee, c.feeScale, c.feeHigh);
    this.ledger.sell(askParty, ci, q, c.amount, c.amountScale, c.fee, c.feeScale, c.feeHigh);
    // Trades are sealed as they are made: first in the block, carrier by carrier.
    this.writeTrade(ci, bidIndex, bidParty, askIndex, askParty, q);
    this.pushTrade(bidIndex, askIndex, q, bidRank, bidCount);
  }

  /** A P2P trade under a custom commission policy, which is called once a trade. */
  private customTrade(
    carrier: Carrier,
    bid: OrderRow,
    bidRank: number,
    bidCount: number,
    offer: OrderRow,
    offerRank: number,
    offerCount: number,
    q: number,
  ): void {
    const ci = CARRIER_INDEX[carrier];
    const quantity = formatScaled(q, this.qs);
    const m = this.p2pMoney(
      carrier,
      bid,
      offer,
      q,
      bidRank,
      bidCount,
      offerRank,
      offerCount,
      quantity,
      -1,
    );
    this.ledger.buy(bid.party, ci, q, m.amountV, m.amountScale, m.consumerV, m.consumerScale, 0);
    this.ledger.sell(offer.party, ci, q, m.amountV, m.amountScale, m.supplierV, m.supplierScale, 0);
    this.writeTrade(ci, bid.index, bid.party, offer.index, offer.party, q, m);
    this.pushTrade(bid.index, offer.index, q, bidRank, bidCount);
  }

  private pushTrade(bidIndex: number, offerIndex: number, q: number, rank: number, count: number) {
    this.tradeBid.push(bidIndex);
    this.tradeOffer.push(offerIndex);
    this.tradeQty.push(q);
    this.tradeRank.push(rank);
    this.tradeCount.push(count);
  }

  /**
   * `JSON.stringify` of the P2P trades, written from the columns into bytes without the objects:
   * what a worker thread sends back (a differential test holds the text equal).
   */
  tradesJson(): string {
    const B = this.parsed.bids;
    const O = this.parsed.offers;
    const count = this.tradeBid.length;
    // Sized from the average JSON id and participant lengths: one buffer, no regrowth.
    const perTrade =
      160 +
      avgLength(this.tables.bids, B.length) +
      avgLength(this.tables.offers, O.length) +
      2 * avgLength(this.tables.parties, this.parsed.parties.size);
    const w = new ByteWriter(COLLECT, 2 + perTrade * count);
    w.byte(0x5b);
    for (let i = 0; i < count; i++) {
      const b = this.tradeBid.get(i);
      const o = this.tradeOffer.get(i);
      const q = this.tradeQty.get(i);
      const ci = B.carrier[b]!;
      w.bytes(i === 0 ? J_BID_ID : J_NEXT_BID_ID);
      w.entry(this.tables.bids, b);
      w.bytes(J_OFFER_ID);
      w.entry(this.tables.offers, o);
      w.bytes(J_BUYER);
      w.entry(this.tables.parties, B.party[b]!);
      w.bytes(J_SELLER);
      w.entry(this.tables.parties, O.party[o]!);
      w.bytes(J_CARRIER[ci]!);
      w.decimal(q, this.qs);
      w.bytes(J_PRICE);
      const carrier = CARRIERS[ci]!;
      if (this.fees.kind === 'rate') {
        this.rateMoney(carrier, B.p[b]!, O.p[o]!, q, this.tradeRank.get(i), this.tradeCount.get(i));
        const c = this.cur;
        w.decimal(c.price, c.priceScale);
        w.bytes(J_AMOUNT);
        w.decimal(c.amount, c.amountScale);
        w.bytes(J_SUPPLIER_FEE);
        this.writeFee(w);
        w.bytes(J_CONSUMER_FEE);
        this.writeFee(w);
      } else {
        const m = this.p2pMoney(carrier, B.row(b), O.row(o), q, 0, 0, 0, 0, '', i);
        w.text(m.price);
        w.bytes(J_AMOUNT);
        w.text(m.amount);
        w.bytes(J_SUPPLIER_FEE);
        w.text(m.supplierFee);
        w.bytes(J_CONSUMER_FEE);
        w.text(m.consumerFee);
      }
      w.bytes(J_END);
    }
    w.byte(0x5d);
    return UTF8.decode(w.digest());
  }

  /** The P2P trades as objects, rebuilt from the columns exactly as they were sealed. */
  tradeList(): readonly Trade[] {
    const out: Trade[] = new Array(this.tradeBid.length);
    for (let i = 0; i < out.length; i++) {
      const bid = this.parsed.bids.row(this.tradeBid.get(i));
      const offer = this.parsed.offers.row(this.tradeOffer.get(i));
      const q = this.tradeQty.get(i);
      const quantity = formatScaled(q, this.qs);
      const m = this.p2pMoney(
        bid.carrier,
        bid,
        offer,
        q,
        this.tradeRank.get(i),
        this.tradeCount.get(i),
        0,
        0,
        quantity,
        i,
      );
      out[i] = Object.freeze({
        bidId: bid.id,
        offerId: offer.id,
        buyer: bid.participant,
        seller: offer.participant,
        carrier: bid.carrier,
        quantity,
        price: m.price,
        amount: m.amount,
        supplierFee: m.supplierFee,
        consumerFee: m.consumerFee,
      });
    }
    return Object.freeze(out);
  }

  private poolTrade(
    carrier: Carrier,
    bidIndex: number,
    bidParty: number,
    bidRank: number,
    bidCount: number,
    lot: LotRow,
    lotRank: number,
    lotCount: number,
    q: number,
  ): void {
    const amount = mulScaled(lot.p, q);
    const amountScale = this.ps + this.qs;
    // Built-in policies charge nothing on a pool trade (docs/rules.md §8); a custom one decides.
    let fee: number | bigint = 0;
    let feeScale = 0;
    if (this.fees.kind === 'custom') {
      const fees = this.fees.fees(
        {
          bidId: this.parsed.bids.id[bidIndex]!,
          supplyId: lot.id,
          carrier,
          quantity: formatScaled(q, this.qs),
          price: formatScaled(lot.p, this.ps),
          amount: formatScaled(amount, amountScale),
        },
        {
          scenario: 'pool',
          carrier,
          bidRank,
          bidCount,
          supplyRank: lotRank,
          supplyCount: lotCount,
        },
      );
      fee = fees.consumer.v;
      feeScale = fees.consumer.s;
      this.poolFees.push(format(fees.consumer));
    }
    const ci = CARRIER_INDEX[carrier];
    this.ledger.buy(bidParty, ci, q, amount, amountScale, fee, feeScale);
    (lot.kind === 0
      ? this.ledger.poolSales
      : lot.kind === 1
        ? this.ledger.storageSales
        : this.ledger.gridSales
    ).addScaled(amount, amountScale);
    this.poolBid.push(bidIndex);
    this.poolLot.push(lot);
    this.poolQty.push(q);
    // canonicalJson({ type: 'poolTrade', ...trade }), straight into bytes.
    const w = this.poolTradeRecords.out;
    w.bytes(P_AMOUNT);
    w.decimal(amount, amountScale);
    w.bytes(PT_BID_ID);
    w.entry(this.tables.bids, bidIndex);
    w.bytes(T_BUYER);
    w.entry(this.tables.parties, bidParty);
    w.bytes(T_CARRIER[ci]!);
    w.decimal(fee, feeScale);
    w.bytes(PT_LOT_ID);
    w.json(lot.id);
    w.bytes(T_PRICE);
    w.decimal(lot.p, this.ps);
    w.bytes(T_QUANTITY);
    w.decimal(q, this.qs);
    w.bytes(PT_SOURCE[lot.kind]!);
    this.poolTradeRecords.end();
  }

  /** The pool purchases as objects, rebuilt from the columns exactly as they were sealed. */
  purchaseList(): readonly PoolPurchase[] {
    const out: PoolPurchase[] = new Array(this.purchaseOffer.length);
    for (let i = 0; i < out.length; i++) {
      const o = this.parsed.offers.row(this.purchaseOffer.get(i));
      const take = this.purchaseQty.get(i);
      const price = this.cfg.poolBuyPrice[o.carrier];
      const buy = parse(price);
      out[i] = Object.freeze({
        offerId: o.id,
        seller: o.participant,
        carrier: o.carrier,
        quantity: formatScaled(take, this.qs),
        price,
        amount: formatScaled(times(exact(buy.v), take), buy.s + this.qs),
      });
    }
    return Object.freeze(out);
  }

  /** The pool trades as objects, rebuilt from the columns exactly as they were sealed. */
  poolTradeList(): readonly PoolTrade[] {
    const out: PoolTrade[] = new Array(this.poolBid.length);
    for (let i = 0; i < out.length; i++) {
      const bid = this.parsed.bids.row(this.poolBid.get(i));
      const lot = this.poolLot[i]!;
      const q = this.poolQty.get(i);
      out[i] = Object.freeze({
        bidId: bid.id,
        buyer: bid.participant,
        lotId: lot.id,
        source: LOT_SOURCES[lot.kind]!,
        carrier: bid.carrier,
        quantity: formatScaled(q, this.qs),
        price: formatScaled(lot.p, this.ps),
        amount: formatScaled(mulScaled(lot.p, q), this.ps + this.qs),
        consumerFee: this.fees.kind === 'custom' ? this.poolFees[i]! : '0',
      });
    }
    return Object.freeze(out);
  }

  private bidOutcome(i: number): BidOutcome {
    const b = this.parsed.bids.row(i);
    const st = this.state;
    const p2pLeft = st.bidP2pLeft[b.index]!;
    const finalLeft = st.bidFinalLeft[b.index]!;
    const out: { -readonly [K in keyof BidOutcome]: BidOutcome[K] } = {
      bidId: b.id,
      carrier: b.carrier,
      quantity: formatScaled(b.q, this.qs),
      p2pFilled: formatScaled(b.q - p2pLeft, this.qs),
      poolFilled: formatScaled(p2pLeft - finalLeft, this.qs),
      unfilled: formatScaled(finalLeft, this.qs),
      status: finalLeft === 0 ? 'filled' : finalLeft === b.q ? 'unfilled' : 'partial',
    };
    const reason = BID_REASONS[st.bidReason[b.index]!];
    const poolReason = BID_REASONS[st.bidPoolReason[b.index]!];
    if (reason !== undefined) out.reason = reason;
    if (poolReason !== undefined) out.poolReason = poolReason;
    return Object.freeze(out);
  }

  private offerOutcome(i: number): OfferOutcome {
    const o = this.parsed.offers.row(i);
    const st = this.state;
    const p2pLeft = st.offerP2pLeft[o.index]!;
    const absorbed = st.offerAbsorbed[o.index]!;
    const unsold = p2pLeft - absorbed;
    const out: { -readonly [K in keyof OfferOutcome]: OfferOutcome[K] } = {
      offerId: o.id,
      carrier: o.carrier,
      quantity: formatScaled(o.q, this.qs),
      p2pSold: formatScaled(o.q - p2pLeft, this.qs),
      absorbed: formatScaled(absorbed, this.qs),
      unsold: formatScaled(unsold, this.qs),
    };
    const reason = UNSOLD_REASONS[st.offerReason[o.index]!];
    if (unsold > 0 && reason !== undefined) out.reason = reason;
    return Object.freeze(out);
  }
}

/** Why scenario 1 left a bid short, from the initial offers of its carrier. */
class P2PReasons {
  private readonly initial: CompatibleCapacity;
  /** Each participant's lowest ask (scaled), by party number; `Infinity` for none. */
  private readonly own: Float64Array;

  constructor(
    asks: Float64Array,
    parties: Int32Array,
    quantities: Float64Array,
    partyCount: number,
    memory: Scratch,
  ) {
    this.initial = new CompatibleCapacity(asks, parties, quantities, memory);
    this.own = memory.f64(partyCount).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < asks.length; i++) {
      const party = parties[i]!;
      if (asks[i]! < this.own[party]!) this.own[party] = asks[i]!;
    }
  }

  /** The reason for a bid (price, party) that got `filled` (scaled) in scenario 1 and wanted more. */
  of(price: number, party: number, filled: number): BidReason {
    const compatible = this.initial.available(price, party);
    if (compatible > filled) return 'outranked';
    if (compatible > 0) return 'insufficient_supply';
    if (this.own[party]! <= price) return 'self_trade_only';
    return 'no_compatible_offer';
  }
}

function sumCounters(list: readonly Counters[]): Counters {
  const out = { p2pTrades: 0, p2pFailedBids: 0, poolTrades: 0, unservedBids: 0 };
  for (const c of list) {
    out.p2pTrades += c.p2pTrades;
    out.p2pFailedBids += c.p2pFailedBids;
    out.poolTrades += c.poolTrades;
    out.unservedBids += c.unservedBids;
  }
  return Object.freeze(out);
}

/** Money of one P2P trade: canonical strings for the record, scaled integers for the ledger. */
interface P2PMoney {
  readonly price: string;
  readonly amount: string;
  readonly amountV: number | bigint;
  readonly amountScale: number;
  readonly supplierFee: string;
  readonly consumerFee: string;
  /** Each side's fee as a scaled integer and its scale. */
  readonly supplierV: number | bigint;
  readonly supplierScale: number;
  readonly consumerV: number | bigint;
  readonly consumerScale: number;
  /** With a built-in rate, each fee is `feeHigh × 10^8 + supplierV` when `feeHigh` is not 0. */
  readonly feeHigh: number;
}

/** A P2P trade's money as scaled integers; numbers while safe, bigints past 2^53. */
class TradeMoney {
  price: number | bigint = 0;
  priceScale = 0;
  amount: number | bigint = 0;
  amountScale = 0;
  /** The fee of each side: `feeHigh × 10^8 + fee` when `fee` is a number, else `fee`. */
  fee: number | bigint = 0;
  feeHigh = 0;
  feeScale = 0;
}

/** The fixed parts of a trade record, in canonical key order. */
const T_AMOUNT = asciiBytes('{"amount":"');
const T_BID_ID = asciiBytes('","bidId":');
const T_BUYER = asciiBytes(',"buyer":');
const T_CARRIER = CARRIERS.map((c) => asciiBytes(`,"carrier":"${c}","consumerFee":"`));
const T_OFFER_ID = asciiBytes('","offerId":');
const T_PRICE = asciiBytes(',"price":"');
const T_QUANTITY = asciiBytes('","quantity":"');
const T_SELLER = asciiBytes('","seller":');
const T_SUPPLIER_FEE = asciiBytes(',"supplierFee":"');
const T_END = asciiBytes('","type":"trade"}');
/** The fixed parts of a trade object's JSON, in its field order (see `Trade`). */
const J_BID_ID = asciiBytes('{"bidId":');
const J_NEXT_BID_ID = asciiBytes(',{"bidId":');
const J_OFFER_ID = asciiBytes(',"offerId":');
const J_BUYER = asciiBytes(',"buyer":');
const J_SELLER = asciiBytes(',"seller":');
const J_CARRIER = CARRIERS.map((c) => asciiBytes(`,"carrier":"${c}","quantity":"`));
const J_PRICE = asciiBytes('","price":"');
const J_AMOUNT = asciiBytes('","amount":"');
const J_SUPPLIER_FEE = asciiBytes('","supplierFee":"');
const J_CONSUMER_FEE = asciiBytes('","consumerFee":"');
const J_END = asciiBytes('"}');
const UTF8 = /* @__PURE__ */ new TextDecoder();

/**
 * The fixed parts of bid and offer outcomes' JSON, in their field order (see `BidOutcome`); they
 * open and name the carrier as trades do (`J_BID_ID`, `J_NEXT_BID_ID`, `J_CARRIER`).
 */
const O_OFFER_ID = asciiBytes('{"offerId":');
const O_NEXT_OFFER_ID = asciiBytes(',{"offerId":');
const O_P2P_FILLED = asciiBytes('","p2pFilled":"');
const O_POOL_FILLED = asciiBytes('","poolFilled":"');
const O_UNFILLED = asciiBytes('","unfilled":"');
const O_FILLED = asciiBytes('","status":"filled"');
const O_NOT_FILLED = asciiBytes('","status":"unfilled"');
const O_PARTIAL = asciiBytes('","status":"partial"');
const O_REASON = BID_REASONS.map((r) => asciiBytes(`,"reason":"${r}"`));
const O_POOL_REASON = BID_REASONS.map((r) => asciiBytes(`,"poolReason":"${r}"`));
const O_P2P_SOLD = asciiBytes('","p2pSold":"');
const O_ABSORBED = asciiBytes('","absorbed":"');
const O_UNSOLD = asciiBytes('","unsold":"');
const O_UNSOLD_REASON = UNSOLD_REASONS.map((r) => asciiBytes(`","reason":"${r}"}`));
const O_CLOSE = asciiBytes('"}');

/** The average length of a {@link JsonTable}'s entries, rounded up: for sizing a buffer. */
function avgLength(table: JsonTable, count: number): number {
  return count === 0 ? 0 : Math.ceil(table.bytes.length / count);
}

/** The fixed parts of pool purchase and pool trade records (see `poolPurchaseText`, `poolTradeText`). */
const P_AMOUNT = T_AMOUNT;
const P_CARRIER = CARRIERS.map((c) => asciiBytes(`","carrier":"${c}","offerId":`));
const P_PRICE = T_PRICE;
const P_QUANTITY = T_QUANTITY;
const P_SELLER = T_SELLER;
const P_END = asciiBytes(',"type":"poolPurchase"}');
const PT_BID_ID = T_BID_ID;
const PT_LOT_ID = asciiBytes('","lotId":');
const LOT_SOURCES: readonly LotSource[] = ['pool', 'storage', 'grid'];
const PT_SOURCE = LOT_SOURCES.map((source) =>
  asciiBytes(`","source":"${source}","type":"poolTrade"}`),
);

/**
 * A growing column of numbers in a typed array: off the JS heap, so a cycle's millions of trades
 * add nothing for the garbage collector to mark, and no slack of a JS array's growth. Indices and
 * counts (below 2^31) take an `Int32Array`, quantities a `Float64Array`.
 */
class Column<A extends Float64Array | Int32Array> {
  private data: A;
  length = 0;

  constructor(private readonly make: (size: number) => A) {
    this.data = make(64);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.reserve(2 * this.length);
    this.data[this.length++] = v;
  }

  /** Room for `total` values, made in one step when the count is known. */
  reserve(total: number): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a copy of equal size holds the same values
    if (total <= this.data.length) return;
    const next = this.make(total);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  get(i: number): number {
    return this.data[i]!;
  }
}

const intColumn = (memory: Allocator) => new Column((n) => memory.i32(n));
const numberColumn = (memory: Allocator) => new Column((n) => memory.f64(n));

/** A bigint as a number when that is exact. */
function exact(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** a × b exactly: a number while the product is a safe integer, a bigint otherwise. */
function times(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return mulScaled(a, b);
  return BigInt(a) * BigInt(b);
}

/**
 * `out[i] = f(rows[i])` for every row: `TypedArray.from(rows, f)` without the iterator protocol,
 * which costs several times more in V8.
 */
function fillFrom<A extends Float64Array | Int32Array | Uint8Array, T>(
  out: A,
  rows: readonly T[],
  f: (row: T) => number,
): A {
  for (let i = 0; i < rows.length; i++) out[i] = f(rows[i]!);
  return out;
}

/**
 * `Market`: a thin stateful wrapper over the pure core for services that clear a microgrid market
 * every cycle (docs/rules.md §5–6). Orders rest between cycles; each cycle is sealed and chained.
 * No clock, no I/O: the caller gives every timestamp.
 *
 * @module
 */
import type { CommissionPolicy } from '../commission/commission.js';
import { Dec, formatDec } from '../decimal/decimal.js';
import { type CycleHooks, clearWith } from '../engine/clear.js';
import { ClearingError, type Issue, IssueList, ValidationError } from '../errors.js';
import type { ChainTip } from '../ledger/block.js';
import { type BlockHasher, sha256Hasher } from '../ledger/hasher.js';
import { compareTimestamps, timestampProblem } from '../ledger/timestamp.js';
import type { CycleResult } from '../model/result.js';
import type {
  Bid,
  ClearingConfig,
  Limits,
  Offer,
  OrderBook,
  ResolvedConfig,
  StorageLot,
} from '../model/types.js';
import { validateBook } from '../validate/book.js';
import {
  checkFields,
  checkInteger,
  describe,
  fromJson,
  isRecord,
  own,
  ownRecord,
} from '../validate/common.js';
import { parseConfig, safeParseConfig } from '../validate/config.js';

/**
 * Which list an order belongs to.
 *
 * @example
 * ```ts
 * const side: OrderSide = 'bid';
 * ```
 */
export type OrderSide = 'offer' | 'bid' | 'storage';

/**
 * An order submitted to a {@link Market}: an offer, a bid or a storage lot, tagged with its side,
 * optionally with an expiry. `seq` is assigned by the market in submission order.
 *
 * @example
 * ```ts
 * const order: MarketOrder = { side: 'bid', id: 'ev-3', participant: 'home-3', carrier: 'electricity', quantity: '4', price: '0.40', expiresAt: '2026-03-01T13:00:00Z' };
 * ```
 */
export type MarketOrder = (
  | ({
      /** A supply order. */
      readonly side: 'offer';
    } & Omit<Offer, 'seq'>)
  | ({
      /** A demand order. */
      readonly side: 'bid';
    } & Omit<Bid, 'seq'>)
  | ({
      /** A platform storage lot. */
      readonly side: 'storage';
    } & Omit<StorageLot, 'seq'>)
) & {
  /** The order leaves the book before the first cycle whose timestamp is at or after this one. */
  readonly expiresAt?: string;
};

/**
 * The answer to {@link Market.submit}: accepted, or refused alone with every reason.
 *
 * @example
 * ```ts
 * const r: SubmitResult = { accepted: false, issues: [{ path: 'price', code: 'negative', message: 'must not be negative, got -1' }] };
 * ```
 */
export type SubmitResult =
  | {
      /** The order rests in the book. */
      readonly accepted: true;
      /** The submission sequence number given to it. */
      readonly seq: number;
    }
  | {
      /** The order was refused; the market is unchanged. */
      readonly accepted: false;
      /** Every problem, with paths relative to the order. */
      readonly issues: readonly Issue[];
    };

/**
 * One thing that happened to a market, in order; replaying the journal into a fresh market with
 * the same config reproduces every block.
 *
 * @example
 * ```ts
 * const e: JournalEntry = { type: 'cycle', timestamp: '2026-03-01T12:00:30Z' };
 * ```
 */
export type JournalEntry =
  | {
      /** An accepted submission. */
      readonly type: 'submit';
      /** The order as submitted. */
      readonly order: MarketOrder;
    }
  | {
      /** A cancellation that removed an order. */
      readonly type: 'cancel';
      /** The order's side. */
      readonly side: OrderSide;
      /** The order's id. */
      readonly id: string;
    }
  | {
      /** A cleared cycle. */
      readonly type: 'cycle';
      /** Its timestamp. */
      readonly timestamp: string;
    };

/**
 * A resting order with what is left of it.
 *
 * @example
 * ```ts
 * const o: RestingOrder = { side: 'offer', id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '6', price: '0.3', seq: 0, idleCycles: 0 };
 * ```
 */
export type RestingOrder = MarketOrder & {
  /** The submission sequence: earlier orders win ties. */
  readonly seq: number;
  /** Cycles this offer ended scenario 1 with quantity left (offers only; 0 otherwise). */
  readonly idleCycles: number;
};

/**
 * A market's whole state, as plain JSON: what {@link Market.exportState} writes and
 * {@link Market.restore} reads.
 *
 * @example
 * ```ts
 * import { Market, type MarketState } from 'microgrid-clearing';
 * const state: MarketState = new Market().exportState();
 * state.orders.length; // 0
 * ```
 */
export interface MarketState {
  /** Format version. */
  readonly version: 1;
  /** The configuration the market clears with (resolved). */
  readonly config: ResolvedConfig;
  /** The next submission sequence number. */
  readonly nextSeq: number;
  /** The last block, or `null` before the first cycle. */
  readonly tip: ChainTip | null;
  /** Resting orders, in submission order. */
  readonly orders: readonly RestingOrder[];
  /** Everything that happened, in order. */
  readonly journal: readonly JournalEntry[];
}

/**
 * What a market cycle produced: the cycle's result plus the exact book that was cleared (so any
 * participant can re-execute it with `verifyCycle`), the offers kept resting, and what expired.
 *
 * @example
 * ```ts
 * import { Market, type MarketCycle } from 'microgrid-clearing';
 * const cycle: MarketCycle = new Market().runCycle('2026-03-01T12:00:00Z');
 * cycle.result.block.height; // 0
 * ```
 */
export interface MarketCycle {
  /** The cycle's result and block. */
  readonly result: CycleResult;
  /** The book that was cleared. */
  readonly book: OrderBook;
  /** Offers whose remainder rested instead of going to the pool (hashed into `inputsHash`). */
  readonly resting: readonly string[];
  /** Orders removed for expiry before clearing. */
  readonly expired: readonly OrderRef[];
}

/**
 * An order named by its side and id.
 *
 * @example
 * ```ts
 * const ref: OrderRef = { side: 'bid', id: 'ev-3' };
 * ```
 */
export interface OrderRef {
  /** The order's list. */
  readonly side: OrderSide;
  /** The order's id. */
  readonly id: string;
}

/**
 * What {@link Market.replay} returns.
 *
 * @example
 * ```ts
 * import { Market, type Replay } from 'microgrid-clearing';
 * const r: Replay = Market.replay({}, []);
 * r.cycles.length; // 0
 * ```
 */
export interface Replay {
  /** The market after the replay. */
  readonly market: Market;
  /** Every cycle, in order. */
  readonly cycles: readonly MarketCycle[];
}

/**
 * Options of a {@link Market}.
 *
 * @example
 * ```ts
 * import { Market } from 'microgrid-clearing';
 * new Market({ idleCyclesBeforePool: 3 }, { tip: { height: 9, hash: 'ab'.repeat(32), timestamp: '2026-03-01T11:59:30Z' } });
 * ```
 */
export interface MarketOptions {
  /** @defaultValue sha256Hasher */
  readonly hasher?: BlockHasher;
  /** A custom commission policy. */
  readonly commission?: CommissionPolicy;
  /** Continue an existing chain from this block. */
  readonly tip?: ChainTip;
}

const SIDES: readonly OrderSide[] = ['offer', 'bid', 'storage'];

interface Entry {
  order: MarketOrder;
  seq: number;
  idleCycles: number;
}

/**
 * A stateful market for services: submit and cancel orders at any time, clear a cycle on demand
 * (every 30 s in the paper's model). A bad order is refused alone and never blocks a cycle.
 *
 * - Orders rest across cycles until filled, cancelled or expired; bids and offers keep what is left.
 * - An offer that ends scenario 1 with quantity left for `idleCyclesBeforePool` cycles (default 1,
 *   the single-cycle behaviour) sends its remainder to the pool; before that it rests.
 * - Every cycle is sealed into a block chained to the previous one.
 *
 * @example
 * ```ts
 * import { Market } from 'microgrid-clearing';
 * const market = new Market({ idleCyclesBeforePool: 2 });
 * market.submit({ side: 'offer', id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '10', price: '0.30' });
 * market.submit({ side: 'bid', id: 'c1', participant: 'home-1', carrier: 'electricity', quantity: '4', price: '0.45' });
 * const { result } = market.runCycle('2026-03-01T12:00:00Z');
 * result.trades.length; // 1 — and s1's 6 units rest for another cycle
 * market.orders().length; // 1
 * ```
 */
export class Market {
  private readonly config: ResolvedConfig;
  private readonly hasher: BlockHasher;
  private readonly commission: CommissionPolicy | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly log: JournalEntry[] = [];
  private nextSeq = 0;
  private tip: ChainTip | undefined;

  /**
   * @param config - the clearing configuration (validated here).
   * @param options - hasher, custom commission, and the block to continue from.
   * @throws {@link ValidationError} for a bad config, or a tip that is not a block's height
   *   (below 2^53 − 1, so the next block's is exact), hash and optional timestamp.
   */
  constructor(config: ClearingConfig | ResolvedConfig = {}, options: MarketOptions = {}) {
    // Own properties only: a polluted `Object.prototype.tip` is no option.
    const commission = own(options, 'commission') as CommissionPolicy | undefined;
    this.config = parseConfig(withoutCustom(config, commission));
    this.hasher = (own(options, 'hasher') as BlockHasher | undefined) ?? sha256Hasher;
    this.commission = commission;
    const issues = new IssueList();
    this.tip = readTip(own(options, 'tip'), 'tip', this.hasher, issues);
    issues.throwIfAny();
  }

  /**
   * Validates one order and rests it in the book, or refuses it alone with every reason.
   *
   * @param order - an offer, bid or storage lot, tagged with `side`.
   * @returns `{ accepted: true, seq }` or `{ accepted: false, issues }`; a refused order changes nothing.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * const m = new Market();
   * m.submit({ side: 'bid', id: 'c1', participant: 'h1', carrier: 'heat', quantity: '2', price: '-1' }).accepted; // false
   * ```
   */
  submit(order: MarketOrder): SubmitResult {
    // One reading of the input: what is checked is what rests (a getter is not asked twice).
    const copy = snapshotOrder(order);
    const issues = this.check(copy);
    if (copy === undefined || issues.length > 0) return { accepted: false, issues };
    const seq = this.nextSeq++;
    this.entries.set(key(copy.side, copy.id), { order: copy, seq, idleCycles: 0 });
    this.log.push(Object.freeze({ type: 'submit', order: copy }));
    return { accepted: true, seq };
  }

  /**
   * Removes a resting order.
   *
   * @param side - `offer`, `bid` or `storage`.
   * @param id - the order's id.
   * @returns whether an order was removed.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * new Market().cancel('bid', 'nope'); // false
   * ```
   */
  cancel(side: OrderSide, id: string): boolean {
    if (!this.entries.delete(key(side, id))) return false;
    this.log.push(Object.freeze({ type: 'cancel', side, id }));
    return true;
  }

  /**
   * The resting orders, in submission order, with what is left of each.
   *
   * @returns a snapshot; changing it does not change the market.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * new Market().orders(); // []
   * ```
   */
  orders(): RestingOrder[] {
    return [...this.entries.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ ...e.order, seq: e.seq, idleCycles: e.idleCycles }));
  }

  /**
   * Clears one cycle of the resting book and seals it into the next block.
   *
   * @param timestamp - ISO 8601 UTC, not earlier than the previous block's.
   * @returns the cycle's result, the book cleared, the offers kept resting, and what expired.
   * @throws {@link ValidationError} for a malformed timestamp, or a chain at its last height
   *   (2^53 − 1); {@link ClearingError} for a timestamp earlier than the previous block's. The
   *   market is unchanged when it throws.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * const m = new Market();
   * m.runCycle('2026-03-01T12:00:00Z');
   * m.runCycle('2026-03-01T12:00:30Z').result.block.height; // 1
   * ```
   */
  runCycle(timestamp: string): MarketCycle {
    const problem = timestampProblem(timestamp);
    if (problem !== undefined)
      throw new ValidationError([
        { path: 'timestamp', code: 'invalid_timestamp', message: problem },
      ]);
    const tipTime = this.tip === undefined ? undefined : (own(this.tip, 'timestamp') as string);
    if (tipTime !== undefined && compareTimestamps(timestamp, tipTime) < 0) {
      throw new ClearingError(
        'timestamp_before_previous',
        `timestamp ${timestamp} is earlier than the previous block's ${tipTime}`,
      );
    }
    const expired: OrderRef[] = [];
    const live: Entry[] = [];
    for (const e of [...this.entries.values()].sort((a, b) => a.seq - b.seq)) {
      const expiresAt = own(e.order, 'expiresAt') as string | undefined;
      if (expiresAt !== undefined && compareTimestamps(timestamp, expiresAt) >= 0)
        expired.push({ side: e.order.side, id: e.order.id });
      else live.push(e);
    }
    const book: OrderBook = {
      offers: live.filter((e) => e.order.side === 'offer').map((e) => toBookOrder(e) as Offer),
      bids: live.filter((e) => e.order.side === 'bid').map((e) => toBookOrder(e) as Bid),
      storage: live
        .filter((e) => e.order.side === 'storage')
        .map((e) => toBookOrder(e) as StorageLot),
    };
    const resting = live
      .filter(
        (e) => e.order.side === 'offer' && e.idleCycles + 1 < this.config.idleCyclesBeforePool,
      )
      .map((e) => e.order.id);
    const hooks: CycleHooks = { resting: new Set(resting) };
    const result = clearWith(
      book,
      this.config,
      { timestamp, previous: this.tip, hasher: this.hasher, commission: this.commission },
      hooks,
    );

    // The cycle is sealed: now, and only now, change the state.
    for (const x of expired) this.entries.delete(key(x.side, x.id));
    for (const o of result.offerOutcomes) {
      const e = this.entries.get(key('offer', o.offerId))!;
      const left = new Dec(o.unsold);
      if (left.isZero()) this.entries.delete(key('offer', o.offerId));
      else {
        e.order = { ...e.order, quantity: formatDec(left) } as MarketOrder;
        if (new Dec(o.p2pSold).lt(o.quantity)) e.idleCycles++;
      }
    }
    for (const b of result.bidOutcomes) {
      const e = this.entries.get(key('bid', b.bidId))!;
      if (b.unfilled === '0') this.entries.delete(key('bid', b.bidId));
      else e.order = { ...e.order, quantity: b.unfilled } as MarketOrder;
    }
    const storageSold = new Map<string, Dec>();
    for (const t of result.poolTrades) {
      if (t.source === 'storage')
        storageSold.set(t.lotId, (storageSold.get(t.lotId) ?? new Dec(0)).plus(t.quantity));
    }
    for (const [id, sold] of storageSold) {
      const e = this.entries.get(key('storage', id))!;
      const left = new Dec(e.order.quantity).minus(sold);
      if (left.isZero()) this.entries.delete(key('storage', id));
      else e.order = { ...e.order, quantity: formatDec(left) } as MarketOrder;
    }
    this.tip = {
      height: result.block.height,
      hash: result.block.hash,
      timestamp: result.block.timestamp,
    };
    this.log.push(Object.freeze({ type: 'cycle', timestamp }));
    return Object.freeze({
      result,
      book,
      resting: Object.freeze(resting.sort()),
      expired: Object.freeze(expired),
    });
  }

  /**
   * The last block's height, hash and timestamp, or `undefined` before the first cycle.
   *
   * @returns the chain tip.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * new Market().chainTip(); // undefined
   * ```
   */
  chainTip(): ChainTip | undefined {
    return this.tip;
  }

  /**
   * Everything that happened, in order: accepted submissions, cancellations, cycles.
   *
   * @returns a copy of the journal.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * new Market().journal(); // []
   * ```
   */
  journal(): JournalEntry[] {
    return this.log.slice();
  }

  /**
   * The whole state as plain JSON, to store and {@link Market.restore} later.
   *
   * @returns the state.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * const json = JSON.stringify(new Market().exportState());
   * ```
   */
  exportState(): MarketState {
    return {
      version: 1,
      config: this.config,
      nextSeq: this.nextSeq,
      tip: this.tip ?? null,
      orders: this.orders(),
      journal: this.journal(),
    };
  }

  /**
   * Rebuilds a market from {@link Market.exportState}'s output. The whole state is checked
   * first: the config, `nextSeq` (above every resting order's `seq`), the tip (a height below
   * 2^53 − 1, a hash of the hasher's length, an optional timestamp), every resting order (as
   * {@link Market.submit} checks it, with a distinct `seq` and an `idleCycles` ≥ 0) and every
   * journal entry. Own properties only are read, each once.
   *
   * @param state - the exported state (or its JSON text).
   * @param options - hasher and custom commission (functions are not part of the state); a `tip`
   *   here is ignored: the state has its own.
   * @returns the market, in the same state.
   * @throws {@link ValidationError} listing every problem of the state, each with its path
   *   (`tip.height`, `orders[2].price`, `journal[5].timestamp`) and code.
   * @throws {@link ClearingError} when the state was cleared with a custom commission policy
   *   and the options do not carry one with its id.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * const copy = Market.restore(JSON.stringify(new Market().exportState()));
   * ```
   */
  static restore(state: MarketState | string, options: Omit<MarketOptions, 'tip'> = {}): Market {
    const value = fromJson(state, 'market state');
    const issues = new IssueList();
    if (!isRecord(value)) {
      issues.add(
        '',
        'invalid_type',
        `expected a market state of version 1 (from Market.exportState), got ${describe(value)}`,
      );
      issues.throwIfAny();
    }
    const s = ownRecord(value as object);
    checkFields(s, STATE_FIELDS, '', issues);
    if (s['version'] !== 1) {
      issues.add(
        'version',
        s['version'] === undefined ? 'required' : 'invalid_value',
        `expected 1 (the only version), got ${describe(s['version'])}`,
      );
    }
    const hasher = (own(options, 'hasher') as BlockHasher | undefined) ?? sha256Hasher;
    const commission = own(options, 'commission') as CommissionPolicy | undefined;
    const config = restoreConfig(s['config'], commission, issues);
    const nextSeq = requiredInt(s['nextSeq'], 'nextSeq', issues);
    const tip = s['tip'] === null ? undefined : readTip(s['tip'], 'tip', hasher, issues, true);
    const orders = restoreOrders(s['orders'], config?.limits, issues);
    if (nextSeq !== undefined && orders !== undefined && orders.maxSeq >= nextSeq) {
      issues.add(
        'nextSeq',
        'out_of_range',
        `must be above every resting order's seq, and one has ${orders.maxSeq}`,
      );
    }
    const journal = restoreJournal(s['journal'], config?.limits, issues);
    issues.throwIfAny();

    const market = new Market(config!, { hasher, ...(commission ? { commission } : {}) });
    market.tip = tip;
    for (const e of orders!.entries) market.entries.set(key(e.order.side, e.order.id), e);
    market.nextSeq = nextSeq!;
    market.log.push(...journal!);
    return market;
  }

  /**
   * Replays a journal into a fresh market: the same submissions, cancellations and cycle
   * timestamps reproduce every block hash.
   *
   * @param config - the configuration the journal was recorded with.
   * @param journal - from {@link Market.journal}.
   * @param options - hasher, custom commission, and the `tip` the journal's market started from
   *   (its own `options.tip`): without it, the first cycle is block 0.
   * @returns the market after the replay, and every cycle in order.
   * @example
   * ```ts
   * import { Market } from 'microgrid-clearing';
   * const m = new Market();
   * m.runCycle('2026-03-01T12:00:00Z');
   * Market.replay({}, m.journal()).cycles[0]?.result.block.hash === m.chainTip()?.hash; // true
   * ```
   */
  static replay(
    config: ClearingConfig | ResolvedConfig,
    journal: readonly JournalEntry[],
    options: MarketOptions = {},
  ): Replay {
    const market = new Market(config, options);
    const cycles: MarketCycle[] = [];
    for (const entry of journal) {
      if (entry.type === 'submit') {
        const r = market.submit(entry.order);
        if (!r.accepted) throw new ValidationError(r.issues);
      } else if (entry.type === 'cancel') market.cancel(entry.side, entry.id);
      else cycles.push(market.runCycle(entry.timestamp));
    }
    return { market, cycles };
  }

  /**
   * Every problem of one order (a {@link snapshotOrder}), with paths relative to it; `[]` when it
   * may rest in the book.
   */
  private check(order: MarketOrder | undefined): Issue[] {
    const issues = orderIssues(order, this.config.limits);
    if (order === undefined) return issues;
    const side = own(order, 'side');
    const id = own(order, 'id');
    if (typeof id === 'string' && this.entries.has(key(side as OrderSide, id))) {
      issues.push({
        path: 'id',
        code: 'duplicate_id',
        message: `a resting ${side} already has id ${JSON.stringify(id)}`,
      });
    }
    if (this.entries.size >= this.config.limits.maxOrders) {
      issues.push({
        path: '',
        code: 'too_many_orders',
        message: `the book holds ${this.entries.size} orders; the limit is ${this.config.limits.maxOrders}`,
      });
    }
    return issues;
  }
}

/**
 * Every problem of one order (a {@link snapshotOrder}) on its own, paths relative to it: its
 * side, its expiry, and its fields as a book's order under `limits`.
 */
function orderIssues(order: MarketOrder | undefined, limits: Limits): Issue[] {
  const issues = new IssueList();
  if (order === undefined) {
    issues.add('', 'invalid_type', 'expected an order object with a "side"');
    return issues.items;
  }
  const side = own(order, 'side') as OrderSide;
  const expiresAt = own(order, 'expiresAt');
  const {
    side: _side,
    expiresAt: _expiresAt,
    ...fields
  } = order as MarketOrder & Record<string, unknown>;
  if (!SIDES.includes(side)) {
    issues.add('side', 'invalid_value', 'expected "offer", "bid" or "storage"');
    return issues.items;
  }
  if (expiresAt !== undefined) {
    const p = timestampProblem(expiresAt);
    if (p !== undefined) issues.add('expiresAt', 'invalid_timestamp', p);
  }
  const list = side === 'offer' ? 'offers' : side === 'bid' ? 'bids' : 'storage';
  try {
    validateBook(
      { offers: [], bids: [], [list]: [fields] },
      { ...limits, maxOrders: Number.MAX_SAFE_INTEGER },
    );
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const i of err.issues)
      issues.items.push({ ...i, path: i.path.replace(/^\w+\[0\]\.?/, '') });
  }
  return issues.items;
}

/**
 * Whether every resting order of a state is valid as {@link orderIssues} checks it, in one
 * validation of a book holding them all; `false` means "check them one by one".
 */
function ordersValid(items: readonly unknown[], limits: Limits): boolean {
  const book: Record<'offers' | 'bids' | 'storage', unknown[]> = {
    offers: [],
    bids: [],
    storage: [],
  };
  for (let i = 0; i < items.length; i++) {
    const item = own(items, i);
    if (!isRecord(item)) return false;
    const { seq: _seq, idleCycles: _idle, ...rest } = ownRecord(item);
    const order = snapshotOrder(rest as MarketOrder);
    if (order === undefined) return false;
    const side = own(order, 'side') as OrderSide;
    const expiresAt = own(order, 'expiresAt');
    if (!SIDES.includes(side)) return false;
    if (expiresAt !== undefined && timestampProblem(expiresAt) !== undefined) return false;
    const {
      side: _side,
      expiresAt: _expiresAt,
      ...fields
    } = order as MarketOrder & Record<string, unknown>;
    book[side === 'offer' ? 'offers' : side === 'bid' ? 'bids' : 'storage'].push(fields);
  }
  try {
    validateBook(book, { ...limits, maxOrders: Number.MAX_SAFE_INTEGER });
    return true;
  } catch (err) {
    if (err instanceof ValidationError) return false;
    throw err;
  }
}

/** Whether a state's field is an array; records the issue when it is not. */
function isArrayAt(
  value: unknown,
  path: string,
  what: string,
  issues: IssueList,
): value is unknown[] {
  if (Array.isArray(value)) return true;
  issues.add(
    path,
    value === undefined ? 'required' : 'invalid_type',
    `expected an array of ${what}, got ${describe(value)}`,
  );
  return false;
}

/** The fields of an exported state. */
const STATE_FIELDS = new Set(['version', 'config', 'nextSeq', 'tip', 'orders', 'journal']);

/**
 * The highest height a tip may have: the next block's height, one more, must be a safe integer
 * (`verifyChain` refuses any other).
 */
const MAX_TIP_HEIGHT = Number.MAX_SAFE_INTEGER - 1;

/** `path` then `sub` (a path relative to it): `orders[0]` and `price` give `orders[0].price`. */
function under(path: string, sub: string): string {
  if (sub === '') return path;
  return sub.startsWith('[') ? `${path}${sub}` : `${path}.${sub}`;
}

/** A required integer in [0, 2^53 − 1]. */
function requiredInt(value: unknown, path: string, issues: IssueList): number | undefined {
  if (value === undefined) {
    issues.add(path, 'required', 'is required');
    return undefined;
  }
  return checkInteger(value, path, 0, Number.MAX_SAFE_INTEGER, issues);
}

/**
 * A chain tip read by own properties, once: a height in [0, 2^53 − 2], a lower-case hex hash of
 * the hasher's length, an optional timestamp; `undefined` for none (`undefined`, or `null` when
 * `nullable`). The copy keeps every own field, so an exported state round-trips byte for byte.
 */
function readTip(
  value: unknown,
  path: string,
  hasher: BlockHasher,
  issues: IssueList,
  nullable = false,
): ChainTip | undefined {
  if (value === undefined && !nullable) return undefined;
  if (!isRecord(value)) {
    issues.add(
      path,
      value === undefined ? 'required' : 'invalid_type',
      `expected a block's { height, hash, timestamp? }${nullable ? ' or null' : ''}, got ${describe(value)}`,
    );
    return undefined;
  }
  const tip = ownRecord(value);
  const before = issues.size;
  const height = requiredInt(tip['height'], `${path}.height`, issues);
  if (height !== undefined && height > MAX_TIP_HEIGHT) {
    issues.add(
      `${path}.height`,
      'out_of_range',
      `must be at most 2^53 − 2: the next block's height must be a safe integer`,
    );
  }
  const hash = tip['hash'];
  if (hash === undefined) issues.add(`${path}.hash`, 'required', 'is required');
  else if (typeof hash !== 'string' || !isHexDigest(hash, hasher)) {
    issues.add(
      `${path}.hash`,
      'invalid_value',
      `expected a ${hasher.outputLen * 2}-digit lower-case hex hash, got ${describe(hash)}`,
    );
  }
  const timestamp = tip['timestamp'];
  if (timestamp !== undefined) {
    const p = timestampProblem(timestamp);
    if (p !== undefined) issues.add(`${path}.timestamp`, 'invalid_timestamp', p);
  }
  return issues.size > before ? undefined : (Object.freeze({ ...tip }) as unknown as ChainTip);
}

function isHexDigest(text: string, hasher: BlockHasher): boolean {
  return text.length === hasher.outputLen * 2 && /^[0-9a-f]+$/.test(text);
}

/** A state's config: an object that resolves (a custom commission's policy in `commission`). */
function restoreConfig(
  value: unknown,
  commission: CommissionPolicy | undefined,
  issues: IssueList,
): ResolvedConfig | undefined {
  if (!isRecord(value)) {
    issues.add(
      'config',
      value === undefined ? 'required' : 'invalid_type',
      `expected a config object, got ${describe(value)}`,
    );
    return undefined;
  }
  const r = safeParseConfig(withoutCustom(value as ClearingConfig, commission));
  if (r.success) return r.output;
  for (const i of r.issues) issues.items.push({ ...i, path: under('config', i.path) });
  return undefined;
}

/**
 * A state's resting orders: each an order {@link Market.submit} would take (when the config is
 * known: its limits apply), once per side and id, with a distinct `seq` and `idleCycles` ≥ 0.
 */
function restoreOrders(
  value: unknown,
  limits: Limits | undefined,
  issues: IssueList,
): { entries: Entry[]; maxSeq: number } | undefined {
  if (!isArrayAt(value, 'orders', 'resting orders', issues)) return undefined;
  const entries: Entry[] = [];
  const seqAt = new Map<number, number>();
  const idAt = new Map<string, number>();
  let maxSeq = -1;
  // One book of every order checked at once; only when it has a problem is each order checked
  // alone, for the problems' paths (a restore of thousands of orders costs one validation).
  const allValid = limits !== undefined && ordersValid(value, limits);
  for (let i = 0; i < value.length; i++) {
    const path = `orders[${i}]`;
    const item = own(value, i);
    if (!isRecord(item)) {
      issues.add(path, 'invalid_type', `expected a resting order, got ${describe(item)}`);
      continue;
    }
    const { seq: rawSeq, idleCycles: rawIdle, ...rest } = ownRecord(item);
    const seq = requiredInt(rawSeq, `${path}.seq`, issues);
    if (seq !== undefined) {
      const first = seqAt.get(seq);
      if (first !== undefined)
        issues.add(
          `${path}.seq`,
          'invalid_value',
          `seq ${seq} is already used by orders[${first}]`,
        );
      else seqAt.set(seq, i);
      maxSeq = Math.max(maxSeq, seq);
    }
    const idleCycles = requiredInt(rawIdle, `${path}.idleCycles`, issues);
    const order = snapshotOrder(rest as MarketOrder)!;
    if (limits === undefined) continue;
    const found = allValid ? [] : orderIssues(order, limits);
    for (const x of found) issues.items.push({ ...x, path: under(path, x.path) });
    if (found.length > 0 || seq === undefined || idleCycles === undefined) continue;
    const k = key(order.side, order.id);
    const first = idAt.get(k);
    if (first !== undefined) {
      issues.add(
        `${path}.id`,
        'duplicate_id',
        `a resting ${order.side} already has id ${JSON.stringify(order.id)} (orders[${first}])`,
      );
      continue;
    }
    idAt.set(k, i);
    entries.push({ order, seq, idleCycles });
  }
  if (limits !== undefined && value.length > limits.maxOrders) {
    issues.add(
      'orders',
      'too_many_orders',
      `the state holds ${value.length} orders; the limit is ${limits.maxOrders}`,
    );
  }
  return { entries, maxSeq };
}

const ENTRY_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  submit: new Set(['type', 'order']),
  cancel: new Set(['type', 'side', 'id']),
  cycle: new Set(['type', 'timestamp']),
};

/** A state's journal: every entry of a known type and form, copied (frozen) once. */
function restoreJournal(
  value: unknown,
  limits: Limits | undefined,
  issues: IssueList,
): JournalEntry[] | undefined {
  if (!isArrayAt(value, 'journal', 'journal entries', issues)) return undefined;
  const out: JournalEntry[] = [];
  for (let i = 0; i < value.length; i++) {
    const path = `journal[${i}]`;
    const item = own(value, i);
    if (!isRecord(item)) {
      issues.add(path, 'invalid_type', `expected a journal entry, got ${describe(item)}`);
      continue;
    }
    const entry = ownRecord(item);
    const type = entry['type'];
    const fields =
      typeof type === 'string' && Object.hasOwn(ENTRY_FIELDS, type)
        ? ENTRY_FIELDS[type]
        : undefined;
    if (fields === undefined) {
      issues.add(
        `${path}.type`,
        'invalid_value',
        `expected "submit", "cancel" or "cycle", got ${describe(type)}`,
      );
      continue;
    }
    checkFields(entry, fields, path, issues);
    if (type === 'submit') {
      const order = snapshotOrder(entry['order'] as MarketOrder);
      if (order === undefined) {
        issues.add(
          `${path}.order`,
          'invalid_type',
          `expected an order, got ${describe(entry['order'])}`,
        );
        continue;
      }
      // An order the journal took was valid under the same config (when that is known).
      const found = limits === undefined ? [] : orderIssues(order, limits);
      for (const x of found) issues.items.push({ ...x, path: under(`${path}.order`, x.path) });
      out.push(Object.freeze({ ...entry, order }) as JournalEntry);
    } else if (type === 'cancel') {
      if (!SIDES.includes(entry['side'] as OrderSide))
        issues.add(`${path}.side`, 'invalid_value', 'expected "offer", "bid" or "storage"');
      if (typeof entry['id'] !== 'string' || entry['id'] === '')
        issues.add(
          `${path}.id`,
          'invalid_type',
          `expected an order id, got ${describe(entry['id'])}`,
        );
      out.push(Object.freeze({ ...entry }) as JournalEntry);
    } else {
      const p = timestampProblem(entry['timestamp']);
      if (p !== undefined) issues.add(`${path}.timestamp`, 'invalid_timestamp', p);
      out.push(Object.freeze({ ...entry }) as JournalEntry);
    }
  }
  return out;
}

function key(side: OrderSide, id: string): string {
  return `${side}\u0000${id}`;
}

/**
 * One reading of an order: its own enumerable string-keyed properties, each read once (a getter
 * gives its value once), as a frozen plain object; `undefined` for a value that is no object.
 * Nothing inherited is read, and later changes to the input change nothing.
 */
function snapshotOrder(order: MarketOrder): MarketOrder | undefined {
  if (!isRecord(order)) return undefined;
  const entries: [string, unknown][] = [];
  for (const k of Object.keys(order)) entries.push([k, (order as Record<string, unknown>)[k]]);
  return Object.freeze(Object.fromEntries(entries)) as MarketOrder;
}

function toBookOrder(e: Entry): Offer | Bid | StorageLot {
  const { side: _side, expiresAt: _expiresAt, ...rest } = e.order;
  return { ...rest, seq: e.seq } as Offer | Bid | StorageLot;
}

/**
 * A resolved config cleared with a custom commission carries only the policy's id: the market
 * takes the policy from its options, and it must be the one with that id.
 */
function withoutCustom(
  config: ClearingConfig | ResolvedConfig,
  policy: CommissionPolicy | undefined,
): ClearingConfig | ResolvedConfig {
  if (!isRecord(config) || !Object.hasOwn(config, 'pricingK')) return config;
  const commission = own(config, 'commission');
  if (!isRecord(commission) || own(commission, 'kind') !== 'custom') return config;
  const id = own(commission, 'id');
  if (policy?.id !== id) {
    throw new ClearingError(
      'invalid_option',
      `this state was cleared with the commission policy ${JSON.stringify(id)}: pass it in the options`,
    );
  }
  return { ...config, commission: { kind: 'none' } };
}

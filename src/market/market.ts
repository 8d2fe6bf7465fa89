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
import { defaultHasher } from '../ledger/default-hasher.js';
import type { BlockHasher } from '../ledger/hasher.js';
import { compareTimestamps, timestampProblem } from '../ledger/timestamp.js';
import type {
  Bid,
  ClearingConfig,
  Offer,
  OrderBook,
  ResolvedConfig,
  StorageLot,
} from '../model/types.js';
import { checkFields, describe, fromJson, isRecord, own, ownRecord } from '../validate/common.js';
import { parseConfig } from '../validate/config.js';
import type {
  JournalEntry,
  MarketCycle,
  MarketOptions,
  MarketOrder,
  MarketState,
  OrderRef,
  OrderSide,
  RestingOrder,
  SubmitResult,
} from './model.js';
import {
  type Entry,
  key,
  orderIssues,
  readTip,
  requiredInt,
  restoreConfig,
  restoreJournal,
  restoreOrders,
  SIDES,
  STATE_FIELDS,
  snapshotOrder,
  withoutCustom,
} from './state.js';

export type {
  JournalEntry,
  MarketCycle,
  MarketOptions,
  MarketOrder,
  MarketState,
  OrderRef,
  OrderSide,
  RestingOrder,
  SubmitResult,
} from './model.js';

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
    this.hasher = (own(options, 'hasher') as BlockHasher | undefined) ?? defaultHasher;
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
    if (!SIDES.includes(side) || typeof id !== 'string') return false;
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
    const hasher = (own(options, 'hasher') as BlockHasher | undefined) ?? defaultHasher;
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
    // A side that is none of the three was refused above (and may not even turn into a string).
    const known = SIDES.includes(side as OrderSide);
    if (known && typeof id === 'string' && this.entries.has(key(side as OrderSide, id))) {
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

function toBookOrder(e: Entry): Offer | Bid | StorageLot {
  const { side: _side, expiresAt: _expiresAt, ...rest } = e.order;
  return { ...rest, seq: e.seq } as Offer | Bid | StorageLot;
}

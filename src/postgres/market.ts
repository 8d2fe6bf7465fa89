/**
 * `PostgresMarket`: the {@link Market} semantics with the market's state in the database, safe to
 * drive from many processes on many machines. Each operation is one transaction that locks the
 * market's row (`SELECT … FOR UPDATE`), rebuilds the in-memory `Market` from the stored state
 * (`Market.restore`), applies the one transition both share (`submit`, `cancel`, `runCycle`), and
 * writes back the new state, the journal entries and, for a cycle, the block, its records and the
 * result — all of it or none of it. The rules live in `Market` alone.
 *
 * @module
 */
import type { CommissionPolicy } from '../commission/commission.js';
import { ClearingError, ValidationError } from '../errors.js';
import { transactionRecords } from '../ledger/block.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import type { BlockHasher } from '../ledger/hasher.js';
import { compareTimestamps, timestampProblem } from '../ledger/timestamp.js';
import {
  type JournalEntry,
  Market,
  type MarketCycle,
  type MarketOrder,
  type MarketState,
  type OrderSide,
  type RestingOrder,
  type SubmitResult,
} from '../market/market.js';
import type { Block } from '../model/result.js';
import type { ClearingConfig, ResolvedConfig } from '../model/types.js';
import { checkMarket, PostgresLedger } from './ledger.js';
import { checkSchema, quoteIdent, type SqlClient, withClient, withTransaction } from './sql.js';

/**
 * Options of {@link PostgresMarket.open}.
 *
 * @example
 * ```ts
 * import type { PostgresMarketOptions } from 'microgrid-clearing/postgres';
 * const options: PostgresMarketOptions = { config: { idleCyclesBeforePool: 2 }, schema: 'microgrid' };
 * ```
 */
export interface PostgresMarketOptions {
  /**
   * The market's config. Required the first time a market is opened (it is stored with the
   * market); later, when given, it must resolve to the stored one.
   */
  readonly config?: ClearingConfig | ResolvedConfig;
  /** The schema holding the tables. @defaultValue `'microgrid'` */
  readonly schema?: string;
  /** The blocks' hasher. @defaultValue {@link index!defaultHasher} */
  readonly hasher?: BlockHasher;
  /** A custom commission policy (the config then names it by its id). */
  readonly commission?: CommissionPolicy;
}

/**
 * The outcome of {@link PostgresMarket.runCycle}: this call cleared the cycle, or another call
 * (another process, a retry) already had, and here is that same block.
 *
 * @example
 * ```ts
 * import type { PostgresCycle } from 'microgrid-clearing/postgres';
 * function hashOf(c: PostgresCycle): string { return c.block.hash; }
 * ```
 */
export type PostgresCycle =
  | {
      /** This call cleared it. */
      readonly status: 'cleared';
      /** The sealed block. */
      readonly block: Block;
      /** The cycle, as `Market.runCycle` returns it. */
      readonly cycle: MarketCycle;
    }
  | {
      /** The cycle with this timestamp was already cleared. */
      readonly status: 'already-cleared';
      /** Its block. */
      readonly block: Block;
    };

/**
 * A market whose resting orders, chain tip and journal live in PostgreSQL (or PGlite), so that
 * any number of processes can submit to it and clear it. A cycle is named by its timestamp: one
 * block per (market, timestamp), however many processes ask for it.
 *
 * Each call rebuilds the market from its stored state, so its cost grows with the resting orders
 * (a few milliseconds for thousands); load many orders with {@link PostgresMarket.submitMany}.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { PostgresLedger, PostgresMarket } from 'microgrid-clearing/postgres';
 * const db = new PGlite();
 * await new PostgresLedger(db).migrate();
 * const market = await PostgresMarket.open(db, 'zone-1', { config: {} });
 * await market.submit({ side: 'offer', id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '5', price: '0.3' });
 * const c = await market.runCycle('2026-03-01T12:00:00Z'); // c.status === 'cleared'
 * (await market.runCycle('2026-03-01T12:00:00Z')).status; // 'already-cleared', same block
 * ```
 */
export class PostgresMarket {
  private readonly ledger: PostgresLedger;

  private constructor(
    private readonly client: SqlClient,
    /** The market's key. */
    readonly market: string,
    private readonly schema: string,
    private readonly hasher: BlockHasher,
    private readonly commission: CommissionPolicy | undefined,
  ) {
    this.ledger = new PostgresLedger(client, { schema, hasher });
    this.q = quoteIdent(schema);
  }

  /** The schema as written in statements (quoted). */
  private readonly q: string;

  /**
   * Opens a market, creating it with `options.config` the first time. The tables must exist
   * (`PostgresLedger.migrate()`).
   *
   * @param client - `pg`'s `Pool` or `Client`, a PGlite instance, or any {@link SqlClient}.
   * @param market - the market's key (`zone-1/heat`, say).
   * @param options - config (required the first time), schema, hasher, custom commission.
   * @returns the market.
   * @throws `ClearingError` `invalid_option` for a market that does not exist yet opened without a
   *   config, or a config that differs from the stored one; `ValidationError` for a bad config.
   */
  static async open(
    client: SqlClient,
    market: string,
    options: PostgresMarketOptions = {},
  ): Promise<PostgresMarket> {
    checkMarket(market);
    const schema = checkSchema(options.schema ?? 'microgrid');
    const hasher = options.hasher ?? defaultHasher;
    const m = new PostgresMarket(client, market, schema, hasher, options.commission);
    const config = options.config;
    const wanted =
      config === undefined ? undefined : new Market(config, m.marketOptions()).exportState();
    const q = quoteIdent(schema);
    const rows = await withTransaction(client, async (tx) => {
      if (wanted !== undefined)
        await tx.query(
          `INSERT INTO ${q}.markets (market, state) VALUES ($1, $2) ON CONFLICT (market) DO NOTHING`,
          [market, stateText(wanted)],
        );
      return (await tx.query(`SELECT state FROM ${q}.markets WHERE market = $1`, [market])).rows;
    });
    if (rows.length === 0)
      throw new ClearingError(
        'invalid_option',
        `market ${JSON.stringify(market)} does not exist yet: open it with a config`,
      );
    if (wanted !== undefined) {
      const stored = JSON.parse(String(rows[0]!['state'])) as MarketState;
      if (JSON.stringify(stored.config) !== JSON.stringify(wanted.config))
        throw new ClearingError(
          'invalid_option',
          `market ${JSON.stringify(market)} is stored with another config; open it without one to use the stored config`,
        );
    }
    return m;
  }

  /**
   * Validates one order and rests it, or refuses it alone (see `Market.submit`).
   *
   * @param order - an offer, bid or storage lot, tagged with `side`.
   * @returns `{ accepted: true, seq }` or `{ accepted: false, issues }`.
   */
  async submit(order: MarketOrder): Promise<SubmitResult> {
    return (await this.submitMany([order]))[0]!;
  }

  /**
   * Submits orders in one transaction (one read and one write of the state for all of them); each
   * is accepted or refused alone, as by `Market.submit` one after the other.
   *
   * @param orders - the orders, in submission order.
   * @returns one answer an order.
   */
  async submitMany(orders: readonly MarketOrder[]): Promise<SubmitResult[]> {
    return this.transition((m) => orders.map((o) => m.submit(o)));
  }

  /**
   * Removes a resting order (see `Market.cancel`).
   *
   * @param side - `offer`, `bid` or `storage`.
   * @param id - the order's id.
   * @returns whether an order was removed.
   */
  async cancel(side: OrderSide, id: string): Promise<boolean> {
    return this.transition((m) => m.cancel(side, id));
  }

  /**
   * Clears the cycle named by `timestamp`, once: the orders' new state, the result and the block
   * commit in one transaction. Safe to call from many processes at once — one of them clears it,
   * the others (and any retry) get `already-cleared` with the same block.
   *
   * @param timestamp - ISO 8601 UTC, not earlier than the previous block's.
   * @returns `{ status: 'cleared', block, cycle }` or `{ status: 'already-cleared', block }`.
   * @throws `ValidationError` for a malformed timestamp; `ClearingError` for one earlier than the
   *   previous block's. Nothing is stored when it throws.
   */
  async runCycle(timestamp: string): Promise<PostgresCycle> {
    return withTransaction(this.client, async (tx) => {
      const state = await this.lockState(tx);
      const done = await this.ledger.blockAt(tx, this.market, timestamp);
      if (done !== undefined) return { status: 'already-cleared', block: done };
      const m = this.restore(state);
      const cleared = await this.clearIn(tx, m, timestamp);
      await tx.query(`DELETE FROM ${this.q}.schedule WHERE market = $1 AND "timestamp" = $2`, [
        this.market,
        timestamp,
      ]);
      await this.saveState(tx, m, state.journalLength);
      return cleared;
    });
  }

  /**
   * Schedules cycles: each is cleared once, in timestamp order, by {@link runScheduled} (which
   * the clearing workers call). Scheduling a timestamp twice is harmless.
   *
   * @param timestamps - ISO 8601 UTC timestamps.
   * @throws `ValidationError` for a malformed timestamp; `ClearingError`
   *   `timestamp_before_previous` for one earlier than the market's last block (it could never
   *   be sealed). One scheduled while a later cycle was being cleared is dropped from the
   *   schedule by {@link runScheduled}, not cleared.
   */
  async schedule(timestamps: readonly string[]): Promise<void> {
    for (const t of timestamps) {
      const problem = timestampProblem(t);
      if (problem !== undefined)
        throw new ValidationError([
          { path: 'timestamp', code: 'invalid_timestamp', message: problem },
        ]);
    }
    await withTransaction(this.client, async (tx) => {
      const tipTime = (await this.lockState(tx)).state.tip?.timestamp;
      for (const t of timestamps)
        if (tipTime !== undefined && compareTimestamps(t, tipTime) < 0)
          throw new ClearingError(
            'timestamp_before_previous',
            `cannot schedule ${t}: market ${JSON.stringify(this.market)} has sealed a block at ${tipTime}`,
          );
      for (let first = 0; first < timestamps.length; first += 500) {
        const params: unknown[] = [this.market];
        const values = timestamps.slice(first, first + 500).map((t) => {
          params.push(t);
          return `($1, $${params.length})`;
        });
        await tx.query(
          `INSERT INTO ${this.q}.schedule (market, "timestamp") VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
          params,
        );
      }
    });
  }

  /**
   * Clears every scheduled cycle up to `timestamp` that is not cleared yet, oldest first, in one
   * transaction: a worker woken for a later cycle catches up on an earlier one whose job was
   * lost, delayed or is still queued, so no cycle is skipped or cleared out of order, whatever
   * order the jobs run in.
   *
   * @param timestamp - the latest cycle to clear.
   * @returns what each scheduled cycle up to `timestamp` gave: `cleared` by this call, or
   *   `already-cleared` for `timestamp` itself when another call had cleared it.
   */
  async runScheduled(timestamp: string): Promise<PostgresCycle[]> {
    return withTransaction(this.client, async (tx) => {
      const state = await this.lockState(tx);
      const { rows } = await tx.query(
        `SELECT "timestamp" FROM ${this.q}.schedule WHERE market = $1`,
        [this.market],
      );
      const due = rows
        .map((r) => String(r['timestamp']))
        .filter((t) => compareTimestamps(t, timestamp) <= 0)
        .sort(compareTimestamps);
      const out: PostgresCycle[] = [];
      if (due.length > 0) {
        const m = this.restore(state);
        for (const t of due) {
          const done = await this.ledger.blockAt(tx, this.market, t);
          if (done !== undefined) out.push({ status: 'already-cleared', block: done });
          else {
            // A cycle scheduled into the past (earlier than a block sealed meanwhile) can no
            // longer be sealed: it leaves the schedule rather than block the market for good.
            const tipTime = m.chainTip()?.timestamp;
            if (tipTime === undefined || compareTimestamps(t, tipTime) >= 0)
              out.push(await this.clearIn(tx, m, t));
          }
        }
        await tx.query(
          `DELETE FROM ${this.q}.schedule WHERE market = $1 AND "timestamp" = ANY($2)`,
          [this.market, due],
        );
        await this.saveState(tx, m, state.journalLength);
      }
      if (!due.includes(timestamp)) {
        const done = await this.ledger.blockAt(tx, this.market, timestamp);
        if (done !== undefined) out.push({ status: 'already-cleared', block: done });
      }
      return out;
    });
  }

  /** One cycle of `m` at `timestamp`: its block, records and result stored in `tx`. */
  private async clearIn(tx: SqlClient, m: Market, timestamp: string): Promise<PostgresCycle> {
    const cycle = m.runCycle(timestamp);
    const block = cycle.result.block;
    const leaves = this.ledger.checkedLeaves(block, transactionRecords(cycle.result));
    await this.ledger.appendIn(tx, this.market, block, leaves);
    await tx.query(`INSERT INTO ${this.q}.results (market, height, result) VALUES ($1, $2, $3)`, [
      this.market,
      block.height,
      JSON.stringify(cycle.result),
    ]);
    return { status: 'cleared', block, cycle };
  }

  /**
   * The stored RESULT of a cleared cycle, as JSON text (the same fields as `clearCycle`'s result).
   *
   * @param height - the block's height.
   * @returns the result's JSON, or `undefined` when no cycle of this market has that height.
   */
  async result(height: number): Promise<string | undefined> {
    const { rows } = await this.read(
      `SELECT result FROM ${this.q}.results WHERE market = $1 AND height = $2`,
      [this.market, height],
    );
    return rows.length === 0 ? undefined : String(rows[0]!['result']);
  }

  /**
   * The resting orders, in submission order (see `Market.orders`).
   *
   * @returns a snapshot.
   */
  async orders(): Promise<RestingOrder[]> {
    const state = await withClient(this.client, (c) => this.readState(c));
    return this.restore(state).orders();
  }

  /**
   * Everything that happened to the market, in order; `Market.replay(config, journal)` rebuilds
   * every block from it.
   *
   * @returns the journal.
   */
  async journal(): Promise<JournalEntry[]> {
    const { rows } = await this.read(
      `SELECT entry FROM ${this.q}.journal WHERE market = $1 ORDER BY n`,
      [this.market],
    );
    return rows.map((r) => JSON.parse(String(r['entry'])) as JournalEntry);
  }

  /**
   * The config the market clears with.
   *
   * @returns the resolved config.
   */
  async config(): Promise<ResolvedConfig> {
    return (await withClient(this.client, (c) => this.readState(c))).state.config;
  }

  /** One statement outside a transaction (in turn, on a plain connection). */
  private read(text: string, params?: unknown[]) {
    return withClient(this.client, (c) => c.query(text, params));
  }

  private marketOptions(): { hasher: BlockHasher; commission?: CommissionPolicy } {
    return this.commission === undefined
      ? { hasher: this.hasher }
      : { hasher: this.hasher, commission: this.commission };
  }

  private restore(stored: Stored): Market {
    return Market.restore(stored.state, this.marketOptions());
  }

  private async transition<T>(apply: (m: Market) => T): Promise<T> {
    return withTransaction(this.client, async (tx) => {
      const state = await this.lockState(tx);
      const m = this.restore(state);
      const out = apply(m);
      await this.saveState(tx, m, state.journalLength);
      return out;
    });
  }

  private async lockState(tx: SqlClient): Promise<Stored> {
    return this.readState(tx, ' FOR UPDATE');
  }

  private async readState(tx: SqlClient, lock = ''): Promise<Stored> {
    const { rows } = await tx.query(
      `SELECT state, journal_length FROM ${this.q}.markets WHERE market = $1${lock}`,
      [this.market],
    );
    if (rows.length === 0)
      throw new ClearingError(
        'invalid_option',
        `market ${JSON.stringify(this.market)} does not exist`,
      );
    return {
      state: JSON.parse(String(rows[0]!['state'])) as MarketState,
      journalLength: Number(rows[0]!['journal_length']),
    };
  }

  /** Writes the new state and the journal entries the transition added. */
  private async saveState(tx: SqlClient, m: Market, journalLength: number): Promise<void> {
    const state = m.exportState();
    const added = state.journal;
    for (let first = 0; first < added.length; first += 500) {
      const part = added.slice(first, first + 500);
      const params: unknown[] = [this.market];
      const values = part.map((entry, k) => {
        params.push(journalLength + first + k, JSON.stringify(entry));
        return `($1, $${params.length - 1}, $${params.length})`;
      });
      await tx.query(
        `INSERT INTO ${this.q}.journal (market, n, entry) VALUES ${values.join(', ')}`,
        params,
      );
    }
    await tx.query(
      `UPDATE ${this.q}.markets SET state = $2, journal_length = $3 WHERE market = $1`,
      [this.market, stateText(state), journalLength + added.length],
    );
  }
}

interface Stored {
  readonly state: MarketState;
  readonly journalLength: number;
}

/** The state as stored: everything but the journal, which has its own table. */
function stateText(state: MarketState): string {
  return JSON.stringify({ ...state, journal: [] });
}

/**
 * `PostgresLedger`: hash-chained blocks of many markets in one database, which enforces the chain
 * itself — primary key (market, height), unique (market, hash), a foreign key from each block's
 * (market, height − 1, previousHash) to its parent, and triggers refusing UPDATE, DELETE and
 * TRUNCATE. A block's records are stored a Merkle leaf a row, as the leaf's hashed text, so a
 * verifier rehashes exactly what is stored. See `docs/distributed.md`.
 *
 * @module
 */
import { ClearingError } from '../errors.js';
import { headerHash, type TransactionRecord, transactionRecords } from '../ledger/block.js';
import { canonicalJson, utf8 } from '../ledger/canonical-json.js';
import {
  blockShapeProblem,
  ChainChecker,
  type ChainEntry,
  type ChainVerdict,
} from '../ledger/chain.js';
import { defaultHasher } from '../ledger/default-hasher.js';
import { type BlockHasher, toHex } from '../ledger/hasher.js';
import { merkleRoot } from '../ledger/merkle.js';
import type { Block, CycleResult } from '../model/result.js';
import {
  checkSchema,
  migrate,
  quoteIdent,
  type SqlClient,
  sqlState,
  withClient,
  withTransaction,
} from './sql.js';

/**
 * Another block already holds the height, or the block does not link to the stored chain. The
 * stored chain is unchanged.
 *
 * @example
 * ```ts
 * import { ChainConflictError } from 'microgrid-clearing/postgres';
 * const err = new ChainConflictError('m1', 3, 'height_taken', 'block 3 of "m1" is another block');
 * err.reason; // 'height_taken'
 * ```
 */
export class ChainConflictError extends Error {
  /**
   * @param market - the market's key.
   * @param height - the height appended at.
   * @param reason - `height_taken` (another block is there), `wrong_link` (its `previousHash` is
   *   not the hash at height − 1) or `gap` (no block at height − 1).
   * @param message - a sentence for people.
   * @param storedHash - the hash of the block stored at that height, for `height_taken`.
   */
  constructor(
    readonly market: string,
    readonly height: number,
    readonly reason: 'height_taken' | 'wrong_link' | 'gap',
    message: string,
    readonly storedHash?: string,
  ) {
    super(message);
    this.name = 'ChainConflictError';
  }
}

/**
 * Options of {@link PostgresLedger}.
 *
 * @example
 * ```ts
 * import type { PostgresLedgerOptions } from 'microgrid-clearing/postgres';
 * const options: PostgresLedgerOptions = { schema: 'microgrid' };
 * ```
 */
export interface PostgresLedgerOptions {
  /** The schema holding the tables. @defaultValue `'microgrid'` */
  readonly schema?: string;
  /** The blocks' hasher. @defaultValue {@link index!defaultHasher} */
  readonly hasher?: BlockHasher;
  /** Rows read a query when streaming blocks and leaves. @defaultValue 256 */
  readonly pageSize?: number;
}

/**
 * The outcome of {@link PostgresLedger.append}.
 *
 * @example
 * ```ts
 * import type { AppendResult } from 'microgrid-clearing/postgres';
 * const r: AppendResult = { status: 'duplicate', height: 4 };
 * ```
 */
export interface AppendResult {
  /** `appended`, or `duplicate` when this very block was already stored (a retry). */
  readonly status: 'appended' | 'duplicate';
  /** The block's height. */
  readonly height: number;
}

/**
 * Hash-chained blocks of many markets in PostgreSQL (a server through `pg`, or PGlite in-process).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { clearCycle } from 'microgrid-clearing';
 * import { PostgresLedger } from 'microgrid-clearing/postgres';
 * const ledger = new PostgresLedger(new PGlite());
 * await ledger.migrate();
 * const r = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
 * await ledger.append('zone-1/electricity', r); // { status: 'appended', height: 0 }
 * await ledger.verify('zone-1/electricity'); // { ok: true }
 * ```
 */
export class PostgresLedger {
  /** The schema holding the tables. */
  readonly schema: string;
  /** The schema as written in statements (quoted). */
  private readonly q: string;
  private readonly hasher: BlockHasher;
  private readonly pageSize: number;

  /**
   * @param client - `pg`'s `Pool` or `Client`, a PGlite instance, or any {@link SqlClient}.
   * @param options - schema, hasher, page size.
   */
  constructor(
    private readonly client: SqlClient,
    options: PostgresLedgerOptions = {},
  ) {
    this.schema = checkSchema(options.schema ?? 'microgrid');
    this.q = quoteIdent(this.schema);
    this.hasher = options.hasher ?? defaultHasher;
    this.pageSize = options.pageSize ?? 256;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1)
      throw new RangeError('"pageSize" must be a positive integer');
  }

  /**
   * Creates or upgrades the tables: idempotent and versioned; safe from many processes at once.
   *
   * @returns the schema version now in place.
   */
  migrate(): Promise<number> {
    return migrate(this.client, this.schema);
  }

  /**
   * Appends a cleared cycle's block and its records to a market's chain, in one transaction.
   *
   * @param market - the market's key (any non-empty string: `zone-1/heat`, say).
   * @param cycle - a {@link CycleResult}, or a {@link ChainEntry} carrying its `transactions`.
   * @returns `appended`, or `duplicate` when the same block is already there (a retry).
   * @throws {@link ChainConflictError} when another block holds the height or the block does not
   *   link to the stored chain; `ClearingError` `invalid_block` when the block does not hash to
   *   itself or its records do not give its Merkle root; `ClearingError` `invalid_option` for a
   *   market run by `PostgresMarket` (its cycles append its blocks).
   */
  async append(market: string, cycle: CycleResult | ChainEntry): Promise<AppendResult> {
    checkMarket(market);
    const { block, records } = splitCycle(cycle);
    const leaves = this.checkedLeaves(block, records);
    return withTransaction(this.client, async (tx) => {
      // A market run by PostgresMarket keeps its state with its chain: a block appended beside it
      // would take the height its next cycle needs.
      const { rows } = await tx.query(`SELECT 1 FROM ${this.q}.markets WHERE market = $1`, [
        market,
      ]);
      if (rows.length > 0)
        throw new ClearingError(
          'invalid_option',
          `market ${JSON.stringify(market)} is run by PostgresMarket: its blocks come from its cycles, not from append`,
        );
      return this.appendIn(tx, market, block, leaves);
    });
  }

  /** @internal {@link append} inside a caller's transaction, with leaves already checked. */
  async appendIn(
    tx: SqlClient,
    market: string,
    block: Block,
    leaves: readonly string[],
  ): Promise<AppendResult> {
    const s = this.q;
    const existing = await this.hashAt(tx, market, block.height);
    if (existing !== undefined) return this.duplicateOrConflict(market, block, existing);
    if (block.height > 0) {
      const parent = await this.hashAt(tx, market, block.height - 1);
      if (parent === undefined)
        throw new ChainConflictError(
          market,
          block.height,
          'gap',
          `market ${JSON.stringify(market)} has no block ${block.height - 1} for block ${block.height} to follow`,
        );
      if (parent !== block.previousHash)
        throw new ChainConflictError(
          market,
          block.height,
          'wrong_link',
          `block ${block.height}'s previousHash is not the hash of block ${block.height - 1} of market ${JSON.stringify(market)}`,
        );
    }
    await tx.query('SAVEPOINT append_block');
    try {
      await tx.query(
        `INSERT INTO ${s}.blocks (market, height, hash, previous_hash, "timestamp", block) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          market,
          block.height,
          block.hash,
          block.previousHash,
          block.timestamp,
          JSON.stringify(block),
        ],
      );
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT append_block');
      // Another transaction appended at this height first (or a parent vanished): say which.
      if (sqlState(err) === '23505' || sqlState(err) === '23503') {
        const now = await this.hashAt(tx, market, block.height);
        if (now !== undefined) return this.duplicateOrConflict(market, block, now);
        throw new ChainConflictError(
          market,
          block.height,
          block.height === 0 ? 'wrong_link' : 'gap',
          `block ${block.height} of market ${JSON.stringify(market)} does not link to the stored chain`,
        );
      }
      throw err;
    }
    await tx.query('RELEASE SAVEPOINT append_block');
    for (let first = 0; first < leaves.length; first += 200) {
      const part = leaves.slice(first, first + 200);
      const values: string[] = [];
      const params: unknown[] = [market, block.height];
      part.forEach((text, k) => {
        params.push(first + k, text);
        values.push(`($1, $2, $${params.length - 1}, $${params.length})`);
      });
      await tx.query(
        `INSERT INTO ${s}.leaves (market, height, leaf, records) VALUES ${values.join(', ')}`,
        params,
      );
    }
    return { status: 'appended', height: block.height };
  }

  /** @internal The leaf texts of a block's records, checked against its header. */
  checkedLeaves(block: Block, records: readonly TransactionRecord[]): string[] {
    const shape = blockShapeProblem(block, this.hasher);
    if (shape !== undefined) throw new ClearingError('invalid_block', `the block ${shape}`);
    if (headerHash(block, this.hasher) !== block.hash)
      throw new ClearingError('invalid_block', 'the block hash does not match its header');
    if (records.length !== block.transactionCount)
      throw new ClearingError(
        'invalid_block',
        `${records.length} records for a block of ${block.transactionCount} transactions`,
      );
    const leaves: string[] = [];
    for (let i = 0; i < records.length; i += block.leafSize)
      leaves.push(
        records
          .slice(i, i + block.leafSize)
          .map((r) => canonicalJson(r))
          .join('\n'),
      );
    const root = toHex(
      merkleRoot(
        leaves.map((l) => leafDigest(l, this.hasher)),
        this.hasher,
      ),
    );
    if (root !== block.merkleRoot)
      throw new ClearingError('invalid_block', "the records do not give the block's Merkle root");
    return leaves;
  }

  /**
   * The last block of a market's chain.
   *
   * @param market - the market's key.
   * @returns the block at the greatest height, or `undefined` for a market with no blocks.
   */
  async tip(market: string): Promise<Block | undefined> {
    return withClient(this.client, (c) => this.tipIn(c, market));
  }

  /** One statement outside a transaction (in turn, on a plain connection). */
  private read(text: string, params?: unknown[]) {
    return withClient(this.client, (c) => c.query(text, params));
  }

  /** @internal {@link tip} inside a caller's transaction. */
  async tipIn(tx: SqlClient, market: string): Promise<Block | undefined> {
    const { rows } = await tx.query(
      `SELECT block FROM ${this.q}.blocks WHERE market = $1 ORDER BY height DESC LIMIT 1`,
      [market],
    );
    return rows.length === 0 ? undefined : (JSON.parse(String(rows[0]!['block'])) as Block);
  }

  /** @internal The block of a market with a timestamp, if one was sealed. */
  async blockAt(tx: SqlClient, market: string, timestamp: string): Promise<Block | undefined> {
    const { rows } = await tx.query(
      `SELECT block FROM ${this.q}.blocks WHERE market = $1 AND "timestamp" = $2 ORDER BY height DESC LIMIT 1`,
      [market, timestamp],
    );
    return rows.length === 0 ? undefined : (JSON.parse(String(rows[0]!['block'])) as Block);
  }

  /**
   * A market's blocks with their records, in height order, read a page at a time.
   *
   * @param market - the market's key.
   * @param range - heights `from` (default 0) to `to` (inclusive, default the tip).
   * @returns an async iterable of chain entries.
   */
  async *blocks(
    market: string,
    range: { readonly from?: number; readonly to?: number } = {},
  ): AsyncIterable<ChainEntry> {
    let next = range.from ?? 0;
    const to = range.to ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const { rows } = await this.read(
        `SELECT height, block FROM ${this.q}.blocks WHERE market = $1 AND height >= $2 AND height <= $3 ORDER BY height LIMIT $4`,
        [market, next, to, this.pageSize],
      );
      for (const row of rows) {
        const block = JSON.parse(String(row['block'])) as Block;
        const transactions: TransactionRecord[] = [];
        for await (const leaf of this.leaves(market, block.height))
          for (const line of leaf.split('\n'))
            transactions.push(JSON.parse(line) as TransactionRecord);
        yield { ...block, transactions };
      }
      if (rows.length < this.pageSize) return;
      next = Number(rows[rows.length - 1]!['height']) + 1;
    }
  }

  /**
   * Checks a market's whole chain as stored: every header hash, height, link and timestamp, and
   * every Merkle root rehashed from the stored leaves, a page at a time. Rows altered behind the
   * triggers (an administrator who disabled them) are found here.
   *
   * @param market - the market's key.
   * @returns what `verifyChain` answers: `{ ok: true }` or the first bad height and why.
   */
  async verify(market: string): Promise<ChainVerdict> {
    const checker = new ChainChecker(this.hasher);
    let next = 0;
    for (;;) {
      const { rows } = await this.read(
        `SELECT height, hash, previous_hash, block FROM ${this.q}.blocks WHERE market = $1 AND height >= $2 ORDER BY height LIMIT $3`,
        [market, next, this.pageSize],
      );
      for (const row of rows) {
        const height = Number(row['height']);
        let block: Block;
        try {
          block = JSON.parse(String(row['block'])) as Block;
        } catch {
          return { ok: false, height, reason: 'the stored block is not JSON' };
        }
        if (
          block.height !== height ||
          block.hash !== row['hash'] ||
          block.previousHash !== row['previous_hash']
        )
          return { ok: false, height, reason: "the stored block's columns disagree with its text" };
        const reason = checker.push(block);
        if (reason !== undefined) return { ok: false, height: checker.length, reason };
        const digests: Uint8Array[] = [];
        let count = 0;
        for await (const leaf of this.leaves(market, height)) {
          digests.push(leafDigest(leaf, this.hasher));
          count += leaf.split('\n').length;
        }
        if (count !== block.transactionCount)
          return {
            ok: false,
            height,
            reason: `holds ${count} transactions; the header says ${block.transactionCount}`,
          };
        if (toHex(merkleRoot(digests, this.hasher)) !== block.merkleRoot)
          return { ok: false, height, reason: 'merkleRoot does not match the transactions' };
      }
      if (rows.length < this.pageSize) return { ok: true };
      next = Number(rows[rows.length - 1]!['height']) + 1;
    }
  }

  private async *leaves(market: string, height: number): AsyncIterable<string> {
    let next = 0;
    for (;;) {
      const { rows } = await this.read(
        `SELECT leaf, records FROM ${this.q}.leaves WHERE market = $1 AND height = $2 AND leaf >= $3 ORDER BY leaf LIMIT $4`,
        [market, height, next, this.pageSize],
      );
      for (const row of rows) yield String(row['records']);
      if (rows.length < this.pageSize) return;
      next = Number(rows[rows.length - 1]!['leaf']) + 1;
    }
  }

  private async hashAt(tx: SqlClient, market: string, height: number): Promise<string | undefined> {
    const { rows } = await tx.query(
      `SELECT hash FROM ${this.q}.blocks WHERE market = $1 AND height = $2`,
      [market, height],
    );
    return rows.length === 0 ? undefined : String(rows[0]!['hash']);
  }

  private duplicateOrConflict(market: string, block: Block, stored: string): AppendResult {
    if (stored === block.hash) return { status: 'duplicate', height: block.height };
    throw new ChainConflictError(
      market,
      block.height,
      'height_taken',
      `block ${block.height} of market ${JSON.stringify(market)} is another block (${stored})`,
      stored,
    );
  }
}

/** The leaf's hash from its stored text: the records' canonical JSON, one a line. */
function leafDigest(text: string, hasher: BlockHasher): Uint8Array {
  return hasher.digest(utf8(`\u0000${text}\n`));
}

function splitCycle(cycle: CycleResult | ChainEntry): {
  block: Block;
  records: readonly TransactionRecord[];
} {
  if ('block' in cycle && typeof cycle.block === 'object' && cycle.block !== null)
    return { block: cycle.block, records: transactionRecords(cycle as CycleResult) };
  const entry = cycle as ChainEntry;
  if (entry.transactions === undefined)
    throw new ClearingError(
      'invalid_block',
      'a chain entry appended to the ledger must carry its transactions',
    );
  const { transactions, ...block } = entry;
  return { block, records: transactions };
}

/** @internal A market key: a non-empty string. */
export function checkMarket(market: string): void {
  if (typeof market !== 'string' || market.length === 0 || market.length > 200)
    throw new RangeError('"market" must be a non-empty string of at most 200 characters');
}

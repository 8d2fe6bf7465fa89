/**
 * The database side of `microgrid-clearing/postgres`: the client shape it takes, transactions on
 * any of them, and the versioned schema. Nothing here imports a driver: `pg`'s `Pool` or `Client`,
 * a PGlite instance, or anything with `query(text, params)` is handed in.
 *
 * @module
 * @internal
 */

/**
 * What the Postgres entry needs of a database client: `query(text, params)` resolving to
 * `{ rows }`. `pg`'s `Pool` and `Client` and PGlite's `PGlite` all fit.
 *
 * Transactions: a `pg` `Pool` is asked for one connection per transaction (`connect()`, then
 * `release()`); PGlite's `transaction()` is used where it exists; any other client runs
 * `BEGIN`/`COMMIT` on itself, so it must be one connection not shared with other work meanwhile.
 *
 * @example
 * ```ts
 * import type { SqlClient } from 'microgrid-clearing/postgres';
 * const fake: SqlClient = { query: async () => ({ rows: [] }) };
 * ```
 */
export interface SqlClient {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, params?: unknown[]): Promise<SqlResult>;
}

/**
 * What a {@link SqlClient} query resolves to (the part of `pg`'s and PGlite's results used here).
 *
 * @example
 * ```ts
 * import type { SqlResult } from 'microgrid-clearing/postgres';
 * const r: SqlResult = { rows: [{ height: 0 }] };
 * ```
 */
export interface SqlResult {
  /** The rows, one object a row keyed by column name. */
  rows: Record<string, unknown>[];
}

interface PoolLike extends SqlClient {
  connect(): Promise<SqlClient & { release(err?: unknown): void }>;
  readonly totalCount: number;
}

interface PgliteLike extends SqlClient {
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

function isPool(c: SqlClient): c is PoolLike {
  return (
    typeof (c as Partial<PoolLike>).connect === 'function' &&
    typeof (c as Partial<PoolLike>).totalCount === 'number'
  );
}

function isPglite(c: SqlClient): c is PgliteLike {
  return typeof (c as Partial<PgliteLike>).transaction === 'function';
}

/** Serialises transactions run on one plain connection (a `pg` Client, say). */
const queues = new WeakMap<SqlClient, Promise<unknown>>();

/**
 * Runs `fn` in one transaction (READ COMMITTED), committing when it resolves and rolling back
 * when it throws.
 */
export async function withTransaction<T>(
  client: SqlClient,
  fn: (tx: SqlClient) => Promise<T>,
): Promise<T> {
  if (isPglite(client)) return client.transaction(fn);
  if (isPool(client)) {
    const conn = await client.connect();
    const state = { broken: undefined as unknown };
    try {
      return await inTransaction(conn, fn, state);
    } finally {
      // An application's error (a conflict, a refused order) rolled back cleanly: the connection
      // goes back to the pool. Only one whose ROLLBACK failed is thrown away.
      conn.release(state.broken);
    }
  }
  return inTurn(client, () => inTransaction(client, fn));
}

/** Runs `work` on a plain connection after everything queued on it before. */
function inTurn<T>(client: SqlClient, work: () => Promise<T>): Promise<T> {
  const before = queues.get(client) ?? Promise.resolve();
  const run = before.then(work, work);
  queues.set(
    client,
    run.catch(() => undefined),
  );
  return run;
}

async function inTransaction<T>(
  c: SqlClient,
  fn: (tx: SqlClient) => Promise<T>,
  state: { broken: unknown } = { broken: undefined },
): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    try {
      await c.query('ROLLBACK');
    } catch (rollbackFailed) {
      // the connection is gone; the server rolled back
      state.broken = rollbackFailed;
    }
    throw err;
  }
}

/**
 * Runs `fn` on the client outside a transaction. On a plain connection (not a pool, not PGlite)
 * it waits its turn behind the transactions this package runs on it, so a statement never lands
 * inside another call's transaction.
 */
export async function withClient<T>(
  client: SqlClient,
  fn: (c: SqlClient) => Promise<T>,
): Promise<T> {
  if (isPglite(client) || isPool(client)) return fn(client);
  return inTurn(client, () => fn(client));
}

/** A Postgres error's SQLSTATE, or `undefined`. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A schema name: a plain lower-case identifier (written into statements double-quoted, so a
 * reserved word such as `select` is a name like any other); `pg_…` names are the server's own.
 */
export function checkSchema(schema: string): string {
  if (
    typeof schema !== 'string' ||
    !/^[a-z_][a-z0-9_]{0,62}$/.test(schema) ||
    schema.startsWith('pg_')
  )
    throw new RangeError(
      `"schema" must be a lower-case SQL identifier (letters, digits, _; not pg_…), got ${JSON.stringify(schema)}`,
    );
  return schema;
}

/** A checked schema name as written in statements: double-quoted. */
export function quoteIdent(schema: string): string {
  return `"${checkSchema(schema)}"`;
}

/**
 * The schema's migrations, in order; each is a list of single statements (PGlite's `query` takes
 * one at a time). A migration runs once, recorded in `schema_version`.
 */
function migrations(s: string): string[][] {
  return [
    [
      // 1: the ledger.
      `CREATE TABLE ${s}.blocks (
        market text NOT NULL,
        height bigint NOT NULL CHECK (height >= 0),
        hash text NOT NULL,
        previous_hash text NOT NULL,
        parent_height bigint GENERATED ALWAYS AS (CASE WHEN height = 0 THEN NULL ELSE height - 1 END) STORED,
        "timestamp" text NOT NULL,
        block text NOT NULL,
        PRIMARY KEY (market, height),
        UNIQUE (market, hash),
        UNIQUE (market, height, hash),
        CHECK (height > 0 OR previous_hash = repeat('0', length(hash))),
        FOREIGN KEY (market, parent_height, previous_hash) REFERENCES ${s}.blocks (market, height, hash)
      )`,
      `CREATE INDEX blocks_market_timestamp ON ${s}.blocks (market, "timestamp")`,
      `CREATE TABLE ${s}.leaves (
        market text NOT NULL,
        height bigint NOT NULL,
        leaf integer NOT NULL CHECK (leaf >= 0),
        records text NOT NULL,
        PRIMARY KEY (market, height, leaf),
        FOREIGN KEY (market, height) REFERENCES ${s}.blocks (market, height)
      )`,
      `CREATE FUNCTION ${s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'the ledger is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
           USING ERRCODE = 'restrict_violation';
       END $$`,
      `CREATE TRIGGER blocks_append_only BEFORE UPDATE OR DELETE ON ${s}.blocks
         FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_change()`,
      `CREATE TRIGGER blocks_no_truncate BEFORE TRUNCATE ON ${s}.blocks
         FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_change()`,
      `CREATE TRIGGER leaves_append_only BEFORE UPDATE OR DELETE ON ${s}.leaves
         FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_change()`,
      `CREATE TRIGGER leaves_no_truncate BEFORE TRUNCATE ON ${s}.leaves
         FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_change()`,
    ],
    [
      // 2: markets' state (PostgresMarket).
      `CREATE TABLE ${s}.markets (
        market text PRIMARY KEY,
        state text NOT NULL,
        journal_length bigint NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE ${s}.journal (
        market text NOT NULL REFERENCES ${s}.markets (market),
        n bigint NOT NULL,
        entry text NOT NULL,
        PRIMARY KEY (market, n)
      )`,
      `CREATE TABLE ${s}.results (
        market text NOT NULL,
        height bigint NOT NULL,
        result text NOT NULL,
        PRIMARY KEY (market, height),
        FOREIGN KEY (market, height) REFERENCES ${s}.blocks (market, height)
      )`,
    ],
    [
      // 3: cycles scheduled and not yet cleared (the queue's jobs only wake workers up).
      `CREATE TABLE ${s}.schedule (
        market text NOT NULL REFERENCES ${s}.markets (market),
        "timestamp" text NOT NULL,
        PRIMARY KEY (market, "timestamp")
      )`,
    ],
  ];
}

/** The newest schema version this package writes. */
export const SCHEMA_VERSION = 3;

/**
 * Creates or upgrades the schema: idempotent, and safe when several processes migrate at once
 * (a transaction-scoped advisory lock keyed by the schema's name serialises them).
 */
export async function migrate(client: SqlClient, schema: string): Promise<number> {
  const s = quoteIdent(schema);
  return withTransaction(client, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`microgrid-clearing:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query(
      `SELECT coalesce(max(version), 0) AS v FROM ${s}.schema_version`,
    );
    const current = Number(rows[0]?.['v'] ?? 0);
    if (current > SCHEMA_VERSION)
      throw new Error(
        `schema ${s} is at version ${current}, newer than this package's ${SCHEMA_VERSION}: upgrade microgrid-clearing`,
      );
    const all = migrations(s);
    for (let v = current + 1; v <= all.length; v++) {
      for (const statement of all[v - 1]!) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [v]);
    }
    return all.length;
  });
}

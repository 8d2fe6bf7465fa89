/**
 * The PostgreSQL entry, `microgrid-clearing/postgres`: a ledger many machines share
 * ({@link PostgresLedger}), markets whose state lives in the database ({@link PostgresMarket}),
 * and clearing spread over processes and machines with pg-boss ({@link startClearingWorker}).
 * It takes any client with `query(text, params)`: `pg`'s `Pool` or `Client` for a server, or
 * PGlite (`@electric-sql/pglite`, Postgres in WebAssembly, in-process) with no server at all.
 * Both are optional peer dependencies; the core entry never loads this one. Architecture,
 * guarantees and failure modes: `docs/distributed.md`.
 *
 * @packageDocumentation
 */

export {
  type AppendResult,
  ChainConflictError,
  PostgresLedger,
  type PostgresLedgerOptions,
} from './ledger.js';
export { type PostgresCycle, PostgresMarket, type PostgresMarketOptions } from './market.js';
export { SCHEMA_VERSION, type SqlClient, type SqlResult } from './sql.js';
export {
  CLEARING_QUEUE,
  type ClearingJob,
  type ClearingQueueOptions,
  type ClearingWorker,
  type ClearingWorkerOptions,
  enqueueCycle,
  type JobQueue,
  startClearingWorker,
} from './worker.js';

/**
 * Clearing spread over processes and machines with pg-boss, a job queue kept in the same
 * PostgreSQL database: {@link enqueueCycle} puts one job a market for a cycle's timestamp;
 * {@link startClearingWorker}, run in any number of processes on any machines, takes jobs and runs
 * `PostgresMarket.runScheduled`. A worker that dies mid-job leaves its job active until it expires;
 * pg-boss then retries it elsewhere, and the retry either finds the block already committed
 * (`already-cleared`) or clears it — the same inputs give the same bytes. See `docs/distributed.md`.
 *
 * Nothing here imports pg-boss: a started `PgBoss` instance is handed in.
 *
 * @module
 */
import type { CommissionPolicy } from '../commission/commission.js';
import type { BlockHasher } from '../ledger/hasher.js';
import { type PostgresCycle, PostgresMarket } from './market.js';
import type { SqlClient } from './sql.js';

/**
 * The part of a started pg-boss (version 10) instance the clearing jobs use.
 *
 * @example
 * ```ts
 * import type { JobQueue } from 'microgrid-clearing/postgres';
 * // import PgBoss from 'pg-boss'; const boss: JobQueue = await new PgBoss(url).start();
 * ```
 */
export interface JobQueue {
  /** Creates a queue (idempotent). */
  createQueue(name: string, options?: object): Promise<void>;
  /** Inserts jobs in one statement. */
  insert(jobs: { name: string; data: object }[]): Promise<void>;
  /** Starts a polling worker; resolves to its id. */
  work(
    name: string,
    options: object,
    handler: (jobs: { id: string; data: unknown }[]) => Promise<unknown>,
  ): Promise<string>;
  /** Stops a worker by id. */
  offWork(value: string | { id: string }): Promise<void>;
  /** Wakes a worker to fetch again now rather than after its polling interval. */
  notifyWorker?(workerId: string): void;
}

/**
 * One clearing job: clear `market`'s cycle at `timestamp`.
 *
 * @example
 * ```ts
 * import type { ClearingJob } from 'microgrid-clearing/postgres';
 * const job: ClearingJob = { market: 'zone-1/heat', timestamp: '2026-03-01T12:00:00Z' };
 * ```
 */
export interface ClearingJob {
  /** The market's key. */
  readonly market: string;
  /** The cycle's timestamp. */
  readonly timestamp: string;
}

/** The default queue's name. */
export const CLEARING_QUEUE = 'microgrid-clearing-cycle';

/**
 * Queue options of the clearing queue.
 *
 * @example
 * ```ts
 * import type { ClearingQueueOptions } from 'microgrid-clearing/postgres';
 * const q: ClearingQueueOptions = { expireInSeconds: 30, retryLimit: 10 };
 * ```
 */
export interface ClearingQueueOptions {
  /** The queue's name. @defaultValue {@link CLEARING_QUEUE} */
  readonly queue?: string;
  /**
   * How long a job may stay active before it counts as failed and is retried (a worker that died
   * holds its job this long). @defaultValue 60
   */
  readonly expireInSeconds?: number;
  /** Retries of a failed or expired job. @defaultValue 10 */
  readonly retryLimit?: number;
}

async function ensureQueue(boss: JobQueue, options: ClearingQueueOptions): Promise<string> {
  const queue = options.queue ?? CLEARING_QUEUE;
  const settings = {
    expireInSeconds: options.expireInSeconds ?? 60,
    retryLimit: options.retryLimit ?? 10,
  };
  // pg-boss's createQueue is idempotent, but two processes creating one queue at the same moment
  // can collide on its tables: the loser tries again and finds the queue made.
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(queue, settings);
      return queue;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

/**
 * Enqueues one cycle: schedules it in each market (`PostgresMarket.schedule`), then puts a job a
 * market on the queue to wake a worker. The schedule is the truth: a worker clears every scheduled
 * cycle up to its job's timestamp, oldest first, so jobs that run out of order, twice, or never
 * (a crash between the two steps) still clear each cycle once, in order.
 *
 * @param boss - a started pg-boss instance.
 * @param client - the database the markets live in.
 * @param timestamp - the cycle's timestamp (ISO 8601 UTC).
 * @param markets - the markets' keys.
 * @param options - queue name, expiry and retries.
 * @example
 * ```ts
 * import { enqueueCycle, type JobQueue, type SqlClient } from 'microgrid-clearing/postgres';
 * declare const boss: JobQueue;
 * declare const pool: SqlClient;
 * await enqueueCycle(boss, pool, '2026-03-01T12:00:00Z', ['zone-1/electricity', 'zone-1/heat']);
 * ```
 */
export async function enqueueCycle(
  boss: JobQueue,
  client: SqlClient,
  timestamp: string,
  markets: readonly string[],
  options: ClearingQueueOptions & { readonly schema?: string } = {},
): Promise<void> {
  const queue = await ensureQueue(boss, options);
  // The schedule first: it is what the workers clear; a job only wakes one up. Every market is
  // opened before any is scheduled, so a market that does not exist schedules nothing.
  const opened: PostgresMarket[] = [];
  for (const market of markets)
    opened.push(
      await PostgresMarket.open(
        client,
        market,
        options.schema === undefined ? {} : { schema: options.schema },
      ),
    );
  for (const m of opened) await m.schedule([timestamp]);
  const jobs = markets.map((market) => ({
    name: queue,
    data: { market, timestamp } satisfies ClearingJob,
    expireInSeconds: options.expireInSeconds ?? 60,
    retryLimit: options.retryLimit ?? 10,
  }));
  for (let i = 0; i < jobs.length; i += 500) await boss.insert(jobs.slice(i, i + 500));
}

/**
 * Options of {@link startClearingWorker}.
 *
 * @example
 * ```ts
 * import type { ClearingWorkerOptions, JobQueue, SqlClient } from 'microgrid-clearing/postgres';
 * declare const pool: SqlClient;
 * declare const boss: JobQueue;
 * const options: ClearingWorkerOptions = { client: pool, boss, batchSize: 4 };
 * ```
 */
export interface ClearingWorkerOptions extends ClearingQueueOptions {
  /** The database: a `pg` `Pool` (one connection a transaction). */
  readonly client: SqlClient;
  /** A started pg-boss instance on the same database. */
  readonly boss: JobQueue;
  /** The schema of the markets and the ledger. @defaultValue `'microgrid'` */
  readonly schema?: string;
  /** The blocks' hasher. @defaultValue {@link index!defaultHasher} */
  readonly hasher?: BlockHasher;
  /** The custom commission policy of a market, if it has one. */
  readonly commission?: (market: string) => CommissionPolicy | undefined;
  /**
   * Jobs taken a fetch. A worker that got a full batch fetches again at once; one that got less
   * waits its polling interval. Keep it small so that few jobs spread over many workers.
   * @defaultValue 1
   */
  readonly batchSize?: number;
  /** Seconds between polls when the queue is empty (pg-boss allows ≥ 0.5). @defaultValue 0.5 */
  readonly pollingIntervalSeconds?: number;
  /** Called for each cycle a job cleared (or found cleared), with what it gave. */
  readonly onCycle?: (job: ClearingJob, outcome: PostgresCycle) => void;
}

/**
 * A running clearing worker.
 *
 * @example
 * ```ts
 * import type { ClearingWorker } from 'microgrid-clearing/postgres';
 * declare const worker: ClearingWorker;
 * await worker.stop();
 * ```
 */
export interface ClearingWorker {
  /** pg-boss's id of the worker. */
  readonly id: string;
  /** Stops taking jobs (a job in hand finishes first). */
  stop(): Promise<void>;
}

/**
 * Starts a worker that clears the markets' cycles it takes from the queue. Run it in as many
 * processes, on as many machines, as the load needs: each (market, timestamp) is cleared once.
 *
 * @param options - the database, pg-boss, the queue and the markets' options.
 * @returns the worker, to stop it.
 * @example
 * ```ts
 * import { startClearingWorker, type JobQueue, type SqlClient } from 'microgrid-clearing/postgres';
 * declare const pool: SqlClient;
 * declare const boss: JobQueue;
 * const worker = await startClearingWorker({ client: pool, boss });
 * ```
 */
export async function startClearingWorker(options: ClearingWorkerOptions): Promise<ClearingWorker> {
  const queue = await ensureQueue(options.boss, options);
  const markets = new Map<string, Promise<PostgresMarket>>();
  const open = (market: string) => {
    let m = markets.get(market);
    if (m === undefined) {
      const commission = options.commission?.(market);
      m = PostgresMarket.open(options.client, market, {
        ...(options.schema === undefined ? {} : { schema: options.schema }),
        ...(options.hasher === undefined ? {} : { hasher: options.hasher }),
        ...(commission === undefined ? {} : { commission }),
      });
      m.catch(() => markets.delete(market));
      markets.set(market, m);
    }
    return m;
  };
  const batchSize = options.batchSize ?? 1;
  let id = '';
  id = await options.boss.work(
    queue,
    {
      batchSize,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
    },
    async (jobs) => {
      for (const job of jobs) {
        const data = job.data as ClearingJob;
        const market = await open(data.market);
        for (const outcome of await market.runScheduled(data.timestamp))
          options.onCycle?.({ market: data.market, timestamp: outcome.block.timestamp }, outcome);
      }
      // A full batch: more are likely waiting, so fetch again without the polling pause.
      if (jobs.length === batchSize && id !== '') options.boss.notifyWorker?.(id);
    },
  );
  return { id, stop: () => options.boss.offWork({ id }) };
}
